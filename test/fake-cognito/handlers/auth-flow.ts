/** The sign-in state machine shared by InitiateAuth and RespondToAuthChallenge. */
import { CognitoFault } from '../errors.js';
import type { Pool } from '../pool.js';
import type { ChallengeName, NewSession } from '../sessions.js';
import type { AuthenticationResult } from '../tokens.js';
import type { UserRecord } from '../users.js';

/** The body of an InitiateAuth / RespondToAuthChallenge response. */
export interface AuthResponse {
  ChallengeName?: ChallengeName;
  Session?: string;
  ChallengeParameters: Record<string, string>;
  AuthenticationResult?: AuthenticationResult;
}

/** A challenge with a fresh Session; ChallengeParameters always carry the internal USERNAME. */
export function issueChallenge(
  pool: Pool,
  user: UserRecord,
  challenge: ChallengeName,
  parameters: Record<string, string>,
  flow: string,
  state: Partial<Pick<NewSession, 'srp' | 'setup'>> = {},
): AuthResponse {
  const session = pool.sessions.create({ challenge, username: user.username, sub: user.sub, flow, ...state });
  return {
    ChallengeName: challenge,
    Session: session.id,
    ChallengeParameters: { ...parameters, USERNAME: user.username },
  };
}

export function signedIn(pool: Pool, user: UserRecord): AuthResponse {
  return { AuthenticationResult: pool.tokens.signIn(user), ChallengeParameters: {} };
}

export function passwordResetRequired(): CognitoFault {
  return new CognitoFault('PasswordResetRequiredException', 'Password reset required for the user');
}

/** Next step once the user has proven the password (SRP or USER_PASSWORD_AUTH). */
export function afterPassword(pool: Pool, user: UserRecord, flow: string): AuthResponse {
  if (user.status === 'UNCONFIRMED')
    throw new CognitoFault('UserNotConfirmedException', 'User is not confirmed.');
  if (user.status === 'RESET_REQUIRED') throw passwordResetRequired();
  if (user.status === 'FORCE_CHANGE_PASSWORD') return newPasswordChallenge(pool, user, flow);
  return afterPasswordSettled(pool, user, flow);
}

/** Next step once the password is settled (also after NEW_PASSWORD_REQUIRED). */
export function afterPasswordSettled(pool: Pool, user: UserRecord, flow: string): AuthResponse {
  if (user.customChallenge) return customChallenge(pool, user, flow);
  return mfaOrTokens(pool, user, flow);
}

export function customChallenge(pool: Pool, user: UserRecord, flow: string): AuthResponse {
  return issueChallenge(
    pool,
    user,
    'CUSTOM_CHALLENGE',
    { question: user.customChallenge?.question ?? '' },
    flow,
  );
}

function newPasswordChallenge(pool: Pool, user: UserRecord, flow: string): AuthResponse {
  const { sub: _sub, ...visible } = user.attributes;
  const missing = user.requiredAttributes.filter((name) => !user.attributes[name]);
  return issueChallenge(
    pool,
    user,
    'NEW_PASSWORD_REQUIRED',
    {
      userAttributes: JSON.stringify(visible),
      requiredAttributes: JSON.stringify(missing.map((name) => `userAttributes.${name}`)),
    },
    flow,
  );
}

/** The MFA factors a user can be challenged with right now. */
export function enabledMfa(user: UserRecord): { sms: boolean; totp: boolean } {
  return {
    sms: user.smsMfaEnabled && Boolean(user.attributes.phone_number),
    totp: user.totpEnabled && Boolean(user.totpSecret),
  };
}

/** MFA as the pool's setting and the user's factors demand, else tokens. */
export function mfaOrTokens(pool: Pool, user: UserRecord, flow: string): AuthResponse {
  if (pool.mfa === 'OFF') return signedIn(pool, user);
  const { sms, totp } = enabledMfa(user);
  if (!sms && !totp) {
    if (pool.mfa !== 'ON') return signedIn(pool, user);
    return issueChallenge(pool, user, 'MFA_SETUP', { MFAS_CAN_SETUP: '["SOFTWARE_TOKEN_MFA"]' }, flow, {
      setup: { verified: false },
    });
  }
  if (sms && totp && !user.preferredMfa) {
    return issueChallenge(
      pool,
      user,
      'SELECT_MFA_TYPE',
      { MFAS_CAN_CHOOSE: '["SMS_MFA","SOFTWARE_TOKEN_MFA"]' },
      flow,
    );
  }
  const kind = sms && totp ? user.preferredMfa : sms ? 'SMS' : 'TOTP';
  return kind === 'SMS' ? smsChallenge(pool, user, flow) : totpChallenge(pool, user, flow);
}

export function smsChallenge(pool: Pool, user: UserRecord, flow: string): AuthResponse {
  const delivery = pool.sendCode(user, 'sms', 'phone_number', user.attributes.phone_number ?? '');
  return issueChallenge(
    pool,
    user,
    'SMS_MFA',
    { CODE_DELIVERY_DELIVERY_MEDIUM: 'SMS', CODE_DELIVERY_DESTINATION: delivery.Destination },
    flow,
  );
}

export function totpChallenge(pool: Pool, user: UserRecord, flow: string): AuthResponse {
  return issueChallenge(pool, user, 'SOFTWARE_TOKEN_MFA', {}, flow);
}

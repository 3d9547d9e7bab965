/** The sign-in state machine shared by InitiateAuth and RespondToAuthChallenge. */
import { CognitoFault } from '../errors.js';
import type { Pool } from '../pool.js';
import type { ChallengeName, NewSession } from '../sessions.js';
import type { AuthenticationResult } from '../tokens.js';
import type { UserRecord } from '../users.js';

/** The body of an InitiateAuth / RespondToAuthChallenge response. */
export interface AuthResponse {
  ChallengeName?: ChallengeName;
  /** InitiateAuth's SELECT_CHALLENGE: the first factors the user may choose. */
  AvailableChallenges?: string[];
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
  state: Partial<Pick<NewSession, 'srp' | 'setup' | 'available' | 'webAuthnChallenge' | 'emailOtp'>> = {},
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
export function enabledMfa(user: UserRecord): { sms: boolean; totp: boolean; email: boolean } {
  return {
    sms: user.smsMfaEnabled && Boolean(user.attributes.phone_number),
    totp: user.totpEnabled && Boolean(user.totpSecret),
    email: user.emailMfaEnabled && Boolean(user.attributes.email),
  };
}

/** MFA as the pool's setting and the user's factors demand, else tokens. */
export function mfaOrTokens(pool: Pool, user: UserRecord, flow: string): AuthResponse {
  if (pool.mfa === 'OFF') return signedIn(pool, user);
  const { sms, totp, email } = enabledMfa(user);
  if (!sms && !totp && !email) {
    if (pool.mfa !== 'ON') return signedIn(pool, user);
    const canSetUp = pool.emailMfa ? '["SOFTWARE_TOKEN_MFA","EMAIL_OTP"]' : '["SOFTWARE_TOKEN_MFA"]';
    return issueChallenge(pool, user, 'MFA_SETUP', { MFAS_CAN_SETUP: canSetUp }, flow, {
      setup: { verified: false },
    });
  }
  const enabled = [sms && 'SMS_MFA', totp && 'SOFTWARE_TOKEN_MFA', email && 'EMAIL_OTP'].filter(Boolean);
  const preferred =
    user.preferredMfa && enabledMfa(user)[kindKey(user.preferredMfa)] ? user.preferredMfa : undefined;
  if (enabled.length > 1 && !preferred) {
    return issueChallenge(pool, user, 'SELECT_MFA_TYPE', { MFAS_CAN_CHOOSE: JSON.stringify(enabled) }, flow);
  }
  const kind = preferred ?? (sms ? 'SMS' : totp ? 'TOTP' : 'EMAIL');
  if (kind === 'EMAIL') return emailMfaChallenge(pool, user, flow);
  return kind === 'SMS' ? smsChallenge(pool, user, flow) : totpChallenge(pool, user, flow);
}

function kindKey(kind: 'SMS' | 'TOTP' | 'EMAIL'): 'sms' | 'totp' | 'email' {
  return kind === 'SMS' ? 'sms' : kind === 'TOTP' ? 'totp' : 'email';
}

/** An EMAIL_OTP challenge: a code by email, as a first factor, as MFA, or to finish an email MFA set-up. */
export function emailOtpChallenge(
  pool: Pool,
  user: UserRecord,
  flow: string,
  emailOtp: { kind: 'first' | 'mfa' | 'setup'; email?: string },
): AuthResponse {
  const address = emailOtp.email ?? user.attributes.email ?? '';
  const delivery = pool.sendCode(user, 'emailOtp', 'email', address);
  return issueChallenge(
    pool,
    user,
    'EMAIL_OTP',
    { CODE_DELIVERY_DELIVERY_MEDIUM: 'EMAIL', CODE_DELIVERY_DESTINATION: delivery.Destination },
    flow,
    { emailOtp },
  );
}

export function emailMfaChallenge(pool: Pool, user: UserRecord, flow: string): AuthResponse {
  return emailOtpChallenge(pool, user, flow, { kind: 'mfa' });
}

/** A code by SMS: the second factor (SMS_MFA), or USER_AUTH's first factor (SMS_OTP). */
export function smsChallenge(
  pool: Pool,
  user: UserRecord,
  flow: string,
  name: 'SMS_MFA' | 'SMS_OTP' = 'SMS_MFA',
): AuthResponse {
  const purpose = name === 'SMS_MFA' ? 'sms' : 'smsOtp';
  const delivery = pool.sendCode(user, purpose, 'phone_number', user.attributes.phone_number ?? '');
  return issueChallenge(
    pool,
    user,
    name,
    { CODE_DELIVERY_DELIVERY_MEDIUM: 'SMS', CODE_DELIVERY_DESTINATION: delivery.Destination },
    flow,
  );
}

export function totpChallenge(pool: Pool, user: UserRecord, flow: string): AuthResponse {
  return issueChallenge(pool, user, 'SOFTWARE_TOKEN_MFA', {}, flow);
}

/**
 * Choice-based sign-in (InitiateAuth USER_AUTH) and its challenges: SELECT_CHALLENGE, EMAIL_OTP and
 * SMS_OTP codes (read them from the outbox: `lastCode(user, 'emailOtp' | 'smsOtp')`), WEB_AUTHN
 * (verified with @simplewebauthn/server), email MFA and its set-up, and the sign-in with the
 * Session of ConfirmSignUp. As Cognito documents them (ChallengeResponseType, InitiateAuth).
 */
import { CognitoFault, invalidParameter, notAuthorized, requireParam } from '../errors.js';
import type { Pool } from '../pool.js';
import type { ChallengeSession } from '../sessions.js';
import type { UserRecord } from '../users.js';
import {
  type AuthResponse,
  emailOtpChallenge,
  issueChallenge,
  passwordResetRequired,
  signedIn,
  smsChallenge,
} from './auth-flow.js';
import {
  afterFirstFactorOnDevice,
  afterPasswordOnDevice,
  presentedDevice,
  withDevice,
} from './device-auth.js';
import { EMAIL_PATTERN } from './sign-up.js';
import { authenticationOptions, verifyAssertion } from './webauthn.js';

const FIRST_FACTORS = ['PASSWORD', 'PASSWORD_SRP', 'EMAIL_OTP', 'SMS_OTP', 'WEB_AUTHN'];

type Responses = Record<string, string>;
type StartSrp = (pool: Pool, params: Record<string, string>, flow: string) => AuthResponse;

/** The first factors this user can use now, in Cognito's order. */
export function availableFactors(pool: Pool, user: UserRecord): string[] {
  const allowed = pool.allowedFirstAuthFactors;
  const factors: string[] = [];
  if (allowed.includes('PASSWORD') && !user.passwordless) factors.push('PASSWORD', 'PASSWORD_SRP');
  if (allowed.includes('EMAIL_OTP') && user.attributes.email_verified === 'true') factors.push('EMAIL_OTP');
  if (allowed.includes('SMS_OTP') && user.attributes.phone_number_verified === 'true')
    factors.push('SMS_OTP');
  if (allowed.includes('WEB_AUTHN') && user.passkeys.length > 0) factors.push('WEB_AUTHN');
  return factors;
}

/** InitiateAuth with AuthFlow USER_AUTH. */
export async function userAuth(
  pool: Pool,
  params: Record<string, string>,
  session: string | undefined,
  startSrp: StartSrp,
): Promise<AuthResponse> {
  const username = requireParam(params, 'USERNAME');
  const user = pool.requireUser(username);
  // DEVICE_KEY: "add DEVICE_KEY if you want to bypass MFA with a remembered device" (AuthParameters).
  presentedDevice(pool, user, params.DEVICE_KEY);
  const device = { key: params.DEVICE_KEY };
  if (session !== undefined) return withDevice(pool, user, signInAfterSignUp(pool, user, session), device);
  if (user.status === 'UNCONFIRMED')
    throw new CognitoFault('UserNotConfirmedException', 'User is not confirmed.');
  if (user.status === 'RESET_REQUIRED') throw passwordResetRequired();
  const preferred = params.PREFERRED_CHALLENGE;
  if (preferred !== undefined && !FIRST_FACTORS.includes(preferred)) {
    throw invalidParameter(`Invalid PREFERRED_CHALLENGE ${preferred}`);
  }
  const available = availableFactors(pool, user);
  if (preferred !== undefined && available.includes(preferred)) {
    return withDevice(
      pool,
      user,
      await startFactor(pool, user, preferred, params, startSrp, device.key),
      device,
    );
  }
  const selection = issueChallenge(pool, user, 'SELECT_CHALLENGE', {}, 'USER_AUTH', { available });
  return withDevice(pool, user, { ...selection, AvailableChallenges: available }, device);
}

/** The chosen first factor: a password check, SRP, a code sent, or passkey options. */
async function startFactor(
  pool: Pool,
  user: UserRecord,
  factor: string,
  params: Record<string, string>,
  startSrp: StartSrp,
  deviceKey: string | undefined,
): Promise<AuthResponse> {
  switch (factor) {
    case 'PASSWORD':
      if (!pool.users.checkPassword(user, requireParam(params, 'PASSWORD'))) throw notAuthorized();
      return afterPasswordOnDevice(pool, user, 'USER_AUTH', deviceKey);
    case 'PASSWORD_SRP': {
      const { DEVICE_KEY: _sent, ...rest } = params;
      const srpParams = { ...rest, USERNAME: user.username };
      return startSrp(pool, deviceKey ? { ...srpParams, DEVICE_KEY: deviceKey } : srpParams, 'USER_AUTH');
    }
    case 'EMAIL_OTP':
      return emailOtpChallenge(pool, user, 'USER_AUTH', { kind: 'first' });
    case 'SMS_OTP':
      return smsChallenge(pool, user, 'USER_AUTH', 'SMS_OTP');
    default: {
      const options = await authenticationOptions(pool, user);
      return issueChallenge(
        pool,
        user,
        'WEB_AUTHN',
        { CREDENTIAL_REQUEST_OPTIONS: JSON.stringify(options) },
        'USER_AUTH',
        { webAuthnChallenge: options.challenge },
      );
    }
  }
}

function signInAfterSignUp(pool: Pool, user: UserRecord, sessionId: string): AuthResponse {
  const session = pool.sessions.get(sessionId);
  if (session.challenge !== 'SIGN_UP_CONFIRMED' || session.username !== user.username) {
    throw notAuthorized('Invalid session for the user.');
  }
  pool.sessions.consume(session);
  return signedIn(pool, user);
}

/** RespondToAuthChallenge for SELECT_CHALLENGE, EMAIL_OTP, SMS_OTP, WEB_AUTHN and MFA_SETUP with EMAIL. */
export async function answerPasswordless(
  pool: Pool,
  session: ChallengeSession,
  user: UserRecord,
  responses: Responses,
  startSrp: StartSrp,
): Promise<AuthResponse | undefined> {
  switch (session.challenge) {
    case 'SELECT_CHALLENGE': {
      const answer = requireParam(responses, 'ANSWER');
      if (!session.available?.includes(answer)) {
        throw invalidParameter(`${answer} is not an available challenge for this user`);
      }
      return startFactor(pool, user, answer, responses, startSrp, session.deviceKey);
    }
    case 'EMAIL_OTP': {
      pool.codes.redeem(user.username, 'emailOtp', requireParam(responses, 'EMAIL_OTP_CODE'), pool.now());
      const setup = session.emailOtp;
      if (setup?.kind === 'setup' && setup.email) {
        user.attributes.email = setup.email;
        user.attributes.email_verified = 'true';
        user.emailMfaEnabled = true;
        user.preferredMfa ??= 'EMAIL';
      }
      // A first factor may still need the device proven; MFA (and its set-up) was the last step.
      return setup?.kind === 'first'
        ? afterFirstFactorOnDevice(pool, user, session.flow, session.deviceKey)
        : signedIn(pool, user);
    }
    case 'SMS_OTP':
      pool.codes.redeem(user.username, 'smsOtp', requireParam(responses, 'SMS_OTP_CODE'), pool.now());
      return afterFirstFactorOnDevice(pool, user, session.flow, session.deviceKey);
    case 'WEB_AUTHN':
      await verifyAssertion(
        pool,
        user,
        session.webAuthnChallenge ?? '',
        requireParam(responses, 'CREDENTIAL'),
      );
      return afterFirstFactorOnDevice(pool, user, session.flow, session.deviceKey);
    case 'MFA_SETUP': {
      const email = responses.EMAIL;
      if (email === undefined) return undefined;
      if (!pool.emailMfa) throw invalidParameter('Email MFA is not enabled for this user pool.');
      if (!EMAIL_PATTERN.test(email)) throw invalidParameter('Invalid email address format.');
      return emailOtpChallenge(pool, user, session.flow, { kind: 'setup', email });
    }
    default:
      return undefined;
  }
}

import { randomBase32Secret, totp } from '../../helpers/totp.js';
import {
  type Body,
  CognitoFault,
  invalidParameter,
  invalidSession,
  optionalString,
  requireString,
} from '../errors.js';
import type { Pool } from '../pool.js';
import type { UserRecord } from '../users.js';

/** RFC 6238 check with one 30-second step of slack either side, as Cognito allows. */
export function totpMatches(secret: string | undefined, code: string, now: number): boolean {
  if (!secret || !/^\d{6}$/.test(code)) return false;
  return [-1, 0, 1].some((step) => totp(secret, now + step * 30_000) === code);
}

function requireUserCode(body: Body): string {
  const code = requireString(body, 'UserCode');
  if (!/^[0-9]{6}$/.test(code)) {
    throw invalidParameter(
      "1 validation error detected: Value at 'userCode' failed to satisfy constraint: Member must satisfy regular expression pattern: [0-9]+",
    );
  }
  return code;
}

/** AssociateSoftwareToken with an AccessToken, or with the Session of an MFA_SETUP challenge. */
export function associateSoftwareToken(pool: Pool, body: Body): { SecretCode: string; Session?: string } {
  const secret = randomBase32Secret();
  if (optionalString(body, 'AccessToken') !== undefined) {
    const user = pool.authenticate(body);
    user.pendingTotpSecret = secret;
    return { SecretCode: secret };
  }
  const sessionId = optionalString(body, 'Session');
  if (sessionId === undefined) throw invalidParameter('Either AccessToken or Session must be provided.');
  const session = pool.sessions.get(sessionId);
  if (session.challenge !== 'MFA_SETUP') throw invalidSession();
  const next = pool.sessions.rotate(session);
  next.setup = { secret, verified: false };
  return { SecretCode: secret, Session: next.id };
}

const mismatch = () =>
  new CognitoFault('EnableSoftwareTokenMFAException', 'Code mismatch and fail enable Software Token MFA');

/**
 * VerifySoftwareToken. With an AccessToken the secret becomes the user's verified authenticator
 * (SetUserMFAPreference then turns it on); with an MFA_SETUP Session TOTP MFA is on at once.
 */
export function verifySoftwareToken(pool: Pool, body: Body): { Status: 'SUCCESS'; Session?: string } {
  const code = requireUserCode(body);
  optionalString(body, 'FriendlyDeviceName');
  const now = pool.now();
  if (optionalString(body, 'AccessToken') !== undefined) {
    const user = pool.authenticate(body);
    if (!user.pendingTotpSecret) {
      throw new CognitoFault(
        'SoftwareTokenMFANotFoundException',
        'Software token MFA has not been associated.',
      );
    }
    if (!totpMatches(user.pendingTotpSecret, code, now)) throw mismatch();
    user.totpSecret = user.pendingTotpSecret;
    user.pendingTotpSecret = undefined;
    return { Status: 'SUCCESS' };
  }
  const sessionId = optionalString(body, 'Session');
  if (sessionId === undefined) throw invalidParameter('Either AccessToken or Session must be provided.');
  const session = pool.sessions.get(sessionId);
  const secret = session.setup?.secret;
  if (session.challenge !== 'MFA_SETUP' || !secret) throw invalidSession();
  if (!totpMatches(secret, code, now)) throw mismatch();
  const user = pool.requireUser(session.username);
  user.totpSecret = secret;
  user.totpEnabled = true;
  user.preferredMfa ??= 'TOTP';
  const next = pool.sessions.rotate(session);
  next.setup = { secret, verified: true };
  return { Status: 'SUCCESS', Session: next.id };
}

interface MfaSettings {
  Enabled?: boolean;
  PreferredMfa?: boolean;
}

function readSettings(body: Body, name: string): MfaSettings | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new CognitoFault('SerializationException', `${name} must be an object`);
  }
  const { Enabled, PreferredMfa } = value as Body;
  if (
    (Enabled !== undefined && typeof Enabled !== 'boolean') ||
    (PreferredMfa !== undefined && typeof PreferredMfa !== 'boolean')
  ) {
    throw new CognitoFault('SerializationException', `${name}.Enabled and .PreferredMfa must be booleans`);
  }
  return {
    ...(Enabled === undefined ? {} : { Enabled }),
    ...(PreferredMfa === undefined ? {} : { PreferredMfa }),
  };
}

function apply(user: UserRecord, kind: 'SMS' | 'TOTP' | 'EMAIL', settings: MfaSettings | undefined): void {
  if (!settings) return;
  const enabled = settings.Enabled ?? (settings.PreferredMfa === true ? true : undefined);
  if (enabled !== undefined) {
    if (kind === 'SMS') user.smsMfaEnabled = enabled;
    else if (kind === 'TOTP') user.totpEnabled = enabled;
    else user.emailMfaEnabled = enabled;
    if (!enabled && user.preferredMfa === kind) user.preferredMfa = undefined;
  }
  if (settings.PreferredMfa === true) user.preferredMfa = kind;
  if (settings.PreferredMfa === false && user.preferredMfa === kind) user.preferredMfa = undefined;
}

/** SetUserMFAPreference: SMSMfaSettings / SoftwareTokenMfaSettings { Enabled, PreferredMfa }. */
export function setUserMfaPreference(pool: Pool, body: Body): Record<string, never> {
  const user = pool.authenticate(body);
  const sms = readSettings(body, 'SMSMfaSettings');
  const software = readSettings(body, 'SoftwareTokenMfaSettings');
  const email = readSettings(body, 'EmailMfaSettings');
  for (const settings of [sms, software, email]) {
    if (settings?.PreferredMfa && settings.Enabled === false) {
      throw invalidParameter('A disabled MFA type cannot be preferred.');
    }
  }
  if ([sms, software, email].filter((settings) => settings?.PreferredMfa).length > 1)
    throw invalidParameter('Only one MFA type can be preferred.');
  if ((email?.Enabled || email?.PreferredMfa) && !pool.emailMfa) {
    throw invalidParameter('Email MFA is not enabled for this user pool.');
  }
  if ((email?.Enabled || email?.PreferredMfa) && user.attributes.email_verified !== 'true') {
    throw invalidParameter('User does not have delivery config set to turn on EMAIL_OTP');
  }
  if ((sms?.Enabled || sms?.PreferredMfa) && !user.attributes.phone_number) {
    throw invalidParameter('User does not have delivery config set to turn on SMS_MFA');
  }
  if ((software?.Enabled || software?.PreferredMfa) && !user.totpSecret) {
    throw invalidParameter('User has not verified software token mfa');
  }
  apply(user, 'SMS', sms);
  apply(user, 'TOTP', software);
  apply(user, 'EMAIL', email);
  user.lastModified = pool.now();
  return {};
}

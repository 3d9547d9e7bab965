import {
  type Body,
  CognitoFault,
  invalidParameter,
  notAuthorized,
  optionalString,
  requireParam,
  requireString,
  stringMap,
} from '../errors.js';
import type { Pool } from '../pool.js';
import type { ChallengeSession } from '../sessions.js';
import { passwordClaimSignature, serverSessionKey, signaturesEqual } from '../srp.js';
import { isKnownAttribute, type UserRecord } from '../users.js';
import {
  type AuthResponse,
  afterPasswordSettled,
  emailMfaChallenge,
  enabledMfa,
  signedIn,
  smsChallenge,
  totpChallenge,
} from './auth-flow.js';
import {
  afterPasswordOnDevice,
  devicePasswordVerifier,
  deviceSrpAuth,
  presentedDevice,
  withDevice,
} from './device-auth.js';
import { startSrp } from './initiate-auth.js';
import { totpMatches } from './mfa.js';
import { answerPasswordless } from './passwordless.js';

const NON_MUTABLE = new Set(['sub', 'email_verified', 'phone_number_verified']);
const PREFIX = 'userAttributes.';
/** Errors after which the same Session may be tried again (Cognito lets the user retype a code). */
const RETRYABLE = new Set(['CodeMismatchException', 'InvalidParameterException', 'InvalidPasswordException']);
const MAX_FAILURES = 5;

type Responses = Record<string, string>;

/** RespondToAuthChallenge for every challenge the fake issues. */
export async function respondToAuthChallenge(pool: Pool, body: Body): Promise<AuthResponse> {
  const name = requireString(body, 'ChallengeName');
  pool.checkClient(body);
  const responses = stringMap(body, 'ChallengeResponses');
  const username = requireParam(responses, 'USERNAME');
  const sessionId =
    optionalString(body, 'Session') ??
    (name === 'PASSWORD_VERIFIER'
      ? pool.sessions.idForSecretBlock(responses.PASSWORD_CLAIM_SECRET_BLOCK ?? '')
      : undefined);
  const session = pool.sessions.get(sessionId);
  if (session.challenge !== name) {
    throw invalidParameter(`Invalid challenge name ${name}, the session expects ${session.challenge}`);
  }
  const user = pool.requireUser(username);
  if (user.username !== session.username || user.sub !== session.sub) {
    throw notAuthorized('Invalid session for the user.');
  }
  // "Include a DEVICE_KEY for device authentication" (ChallengeResponseType), in any answer; the
  // device steps carry theirs as the device being proven. Refused before the session is spent:
  // clients retry the same answer without the key (the raw library and Amplify resend
  // PASSWORD_VERIFIER with the same Session and claim after 'Device does not exist').
  const device = name.startsWith('DEVICE_');
  if (responses.DEVICE_KEY && !device) {
    const unknown = pool.deviceTracking !== 'off' && !pool.devices.find(responses.DEVICE_KEY, user.username);
    if (unknown && pool.unknownDeviceInAnswer === 'InvalidParameterException') {
      throw invalidParameter('Invalid device key given.');
    }
    presentedDevice(pool, user, responses.DEVICE_KEY);
    session.deviceKey = responses.DEVICE_KEY;
  }
  try {
    const result =
      (await answerPasswordless(pool, session, user, responses, startSrp)) ??
      answer(pool, session, user, responses);
    pool.sessions.consume(session);
    // The next challenge keeps the sign-in's device. Tokens go to the device this answer names (or
    // the device just proven): an answer without DEVICE_KEY gets a NEW device, even when an
    // earlier step named one. That is what Cognito does: Amplify JS (issue 14622) and the Android
    // SDK (aws-sdk-android 1714) saw a new device per sign-in until their MFA answers sent the key.
    const key = result.Session || device ? session.deviceKey : responses.DEVICE_KEY;
    return withDevice(pool, user, result, { key, verified: session.deviceVerified });
  } catch (error) {
    const retry = error instanceof CognitoFault && RETRYABLE.has(error.type);
    session.failures += 1;
    if (!retry || session.failures >= MAX_FAILURES) pool.sessions.consume(session);
    throw error;
  }
}

function answer(pool: Pool, session: ChallengeSession, user: UserRecord, responses: Responses): AuthResponse {
  switch (session.challenge) {
    case 'PASSWORD_VERIFIER':
      return passwordVerifier(pool, session, user, responses);
    case 'NEW_PASSWORD_REQUIRED':
      return newPassword(pool, session, user, responses);
    case 'SMS_MFA':
      pool.codes.redeem(user.username, 'sms', requireParam(responses, 'SMS_MFA_CODE'), pool.now());
      return signedIn(pool, user);
    case 'SOFTWARE_TOKEN_MFA':
      if (!totpMatches(user.totpSecret, requireParam(responses, 'SOFTWARE_TOKEN_MFA_CODE'), pool.now())) {
        throw new CognitoFault('CodeMismatchException', 'Invalid code received for user');
      }
      return signedIn(pool, user);
    case 'SELECT_MFA_TYPE':
      return selectMfaType(pool, session, user, requireParam(responses, 'ANSWER'));
    case 'MFA_SETUP':
      if (!session.setup?.verified)
        throw invalidParameter('Software token has not been verified for this session.');
      return signedIn(pool, user);
    case 'CUSTOM_CHALLENGE':
      if (requireParam(responses, 'ANSWER') !== user.customChallenge?.answer) throw notAuthorized();
      return signedIn(pool, user);
    case 'DEVICE_SRP_AUTH':
      return deviceSrpAuth(pool, session, user, responses);
    case 'DEVICE_PASSWORD_VERIFIER':
      return devicePasswordVerifier(pool, session, user, responses, (timestamp) =>
        timestampOk(pool, timestamp),
      );
    default:
      throw invalidParameter(`Invalid challenge name ${session.challenge}`);
  }
}

function passwordVerifier(
  pool: Pool,
  session: ChallengeSession,
  user: UserRecord,
  responses: Responses,
): AuthResponse {
  const secretBlock = requireParam(responses, 'PASSWORD_CLAIM_SECRET_BLOCK');
  const signature = requireParam(responses, 'PASSWORD_CLAIM_SIGNATURE');
  const timestamp = requireParam(responses, 'TIMESTAMP');
  if (!timestampOk(pool, timestamp)) throw notAuthorized();
  const srp = session.srp;
  if (!srp || secretBlock !== srp.secretBlock) throw notAuthorized();
  // The password is never seen: a wrong one simply yields a different key and signature.
  const key = serverSessionKey(srp.A, srp.ephemeral, user.srp.verifier);
  if (!key) throw notAuthorized();
  const expected = passwordClaimSignature(key, pool.poolName, user.username, secretBlock, timestamp);
  if (!signaturesEqual(expected, signature)) throw notAuthorized();
  return afterPasswordOnDevice(pool, user, session.flow, session.deviceKey);
}

/** Cognito refuses a claim whose timestamp is not the library's format or not near its clock. */
function timestampOk(pool: Pool, timestamp: string): boolean {
  const signedAt = /^[A-Z][a-z]{2} [A-Z][a-z]{2} \d{1,2} \d{2}:\d{2}:\d{2} UTC \d{4}$/.test(timestamp)
    ? Date.parse(timestamp)
    : Number.NaN;
  return Number.isFinite(signedAt) && Math.abs(signedAt - pool.now()) <= 5 * 60 * 1000;
}

function newPassword(
  pool: Pool,
  session: ChallengeSession,
  user: UserRecord,
  responses: Responses,
): AuthResponse {
  const password = requireParam(responses, 'NEW_PASSWORD');
  const updates: Record<string, string> = {};
  for (const [key, value] of Object.entries(responses)) {
    if (!key.startsWith(PREFIX)) continue;
    const attribute = key.slice(PREFIX.length);
    if (NON_MUTABLE.has(attribute))
      throw invalidParameter(`Cannot modify the non-mutable attribute ${attribute}`);
    if (!isKnownAttribute(attribute))
      throw invalidParameter(`Attribute does not exist in the schema: ${attribute}`);
    updates[attribute] = value;
  }
  const missing = user.requiredAttributes.find((name) => !updates[name] && !user.attributes[name]);
  if (missing) throw invalidParameter(`Invalid attributes given, ${missing} is missing`);
  pool.checkPasswordPolicy(password);
  pool.users.setPassword(user, password);
  Object.assign(user.attributes, updates);
  user.status = 'CONFIRMED';
  user.lastModified = pool.now();
  return afterPasswordSettled(pool, user, session.flow);
}

function selectMfaType(
  pool: Pool,
  session: ChallengeSession,
  user: UserRecord,
  choice: string,
): AuthResponse {
  const { sms, totp, email } = enabledMfa(user);
  if (choice === 'SMS_MFA' && sms) return smsChallenge(pool, user, session.flow);
  if (choice === 'SOFTWARE_TOKEN_MFA' && totp) return totpChallenge(pool, user, session.flow);
  if (choice === 'EMAIL_OTP' && email) return emailMfaChallenge(pool, user, session.flow);
  throw invalidParameter(`Invalid MFA type ${choice}; expected SMS_MFA, SOFTWARE_TOKEN_MFA or EMAIL_OTP`);
}

/**
 * The device part of a sign-in: which device a client presents (DEVICE_KEY), the DEVICE_SRP_AUTH
 * challenge for a confirmed device, and what a finished sign-in carries (NewDeviceMetadata for a
 * new device; the refresh token bound to the device either way).
 */
import { randomBytes } from 'node:crypto';
import type { DeviceRecord } from '../devices.js';
import { invalidParameter, notAuthorized, requireParam } from '../errors.js';
import type { Pool } from '../pool.js';
import type { ChallengeSession } from '../sessions.js';
import {
  createServerEphemeral,
  N,
  padHex,
  parseSrpA,
  passwordClaimSignature,
  serverSessionKey,
  signaturesEqual,
} from '../srp.js';
import type { UserRecord } from '../users.js';
import { type AuthResponse, afterPassword, issueChallenge, signedIn } from './auth-flow.js';

/** Where a sign-in stands with its device. */
export interface DeviceState {
  key?: string | undefined;
  /** The client proved the device (DEVICE_PASSWORD_VERIFIER). */
  verified?: boolean | undefined;
}

/**
 * The device a client presented, checked: with tracking on, a key this user has no device for is
 * refused (ResourceNotFoundException 'Device does not exist.'). An unconfirmed device counts as none.
 */
export function presentedDevice(
  pool: Pool,
  user: UserRecord,
  key: string | undefined,
): DeviceRecord | undefined {
  if (pool.deviceTracking === 'off' || key === undefined) return undefined;
  const device = pool.devices.require(key, user.username);
  return device.verifier ? device : undefined;
}

/**
 * After the password: a remembered device, on a pool where remembered devices stand in for MFA,
 * proves itself with DEVICE_SRP_AUTH and gets tokens without MFA. Any other device goes the usual
 * way (MFA where due) and gets tokens bound to it. amazon-cognito-identity-js expects exactly this:
 * tokens from DEVICE_PASSWORD_VERIFIER, and no device step after MFA.
 */
export function afterPasswordOnDevice(
  pool: Pool,
  user: UserRecord,
  flow: string,
  deviceKey: string | undefined,
): AuthResponse {
  // A custom challenge still comes after the password, device or not.
  return deviceProofOr(pool, user, flow, deviceKey, !user.customChallenge, () =>
    afterPassword(pool, user, flow),
  );
}

/**
 * After a passwordless first factor of USER_AUTH (EMAIL_OTP, SMS_OTP, WEB_AUTHN): a remembered
 * device on such a pool proves itself with DEVICE_SRP_AUTH, as after a password; any other sign-in
 * gets its tokens (bound to the device by withDevice). Cognito documents DEVICE_KEY for every
 * InitiateAuth flow and every challenge response; Amplify answers DEVICE_SRP_AUTH after these codes.
 */
export function afterFirstFactorOnDevice(
  pool: Pool,
  user: UserRecord,
  flow: string,
  deviceKey: string | undefined,
): AuthResponse {
  return deviceProofOr(pool, user, flow, deviceKey, true, () => signedIn(pool, user));
}

/**
 * DEVICE_SRP_AUTH when the presented device is remembered, the pool lets remembered devices stand
 * in for MFA, the user is confirmed and `eligible`; else `otherwise()`. An unknown device key is
 * refused first, either way.
 */
function deviceProofOr(
  pool: Pool,
  user: UserRecord,
  flow: string,
  deviceKey: string | undefined,
  eligible: boolean,
  otherwise: () => AuthResponse,
): AuthResponse {
  const device = presentedDevice(pool, user, deviceKey);
  if (eligible && device?.remembered && pool.rememberedDevicesSkipMfa && user.status === 'CONFIRMED') {
    return issueChallenge(pool, user, 'DEVICE_SRP_AUTH', {}, flow);
  }
  return otherwise();
}

/** DEVICE_SRP_AUTH: the client's SRP_A for the device → DEVICE_PASSWORD_VERIFIER. */
export function deviceSrpAuth(
  pool: Pool,
  session: ChallengeSession,
  user: UserRecord,
  responses: Record<string, string>,
): AuthResponse {
  const device = pool.devices.require(requireParam(responses, 'DEVICE_KEY'), user.username);
  if (device.key !== session.deviceKey || !device.verifier) throw notAuthorized('Invalid device key given.');
  const A = parseSrpA(requireParam(responses, 'SRP_A'));
  if (A === undefined) throw invalidParameter('SRP_A must be a hexadecimal string');
  if (A % N === 0n) throw invalidParameter('SRP_A mod N cannot be 0');
  const ephemeral = createServerEphemeral(device.verifier.verifier);
  const secretBlock = randomBytes(512).toString('base64');
  return issueChallenge(
    pool,
    user,
    'DEVICE_PASSWORD_VERIFIER',
    {
      DEVICE_KEY: device.key,
      SALT: padHex(device.verifier.salt),
      SECRET_BLOCK: secretBlock,
      SRP_B: ephemeral.B.toString(16),
    },
    session.flow,
    { srp: { A, ephemeral, secretBlock } },
  );
}

/**
 * DEVICE_PASSWORD_VERIFIER: the claim checked against the verifier ConfirmDevice stored (so a wrong
 * random password or device group key fails); then MFA, unless the device is remembered and the
 * pool lets remembered devices skip it (then MFA was skipped: this step stands in for it).
 */
export function devicePasswordVerifier(
  pool: Pool,
  session: ChallengeSession,
  user: UserRecord,
  responses: Record<string, string>,
  timestampOk: (timestamp: string) => boolean,
): AuthResponse {
  const device = pool.devices.require(requireParam(responses, 'DEVICE_KEY'), user.username);
  const secretBlock = requireParam(responses, 'PASSWORD_CLAIM_SECRET_BLOCK');
  const signature = requireParam(responses, 'PASSWORD_CLAIM_SIGNATURE');
  const timestamp = requireParam(responses, 'TIMESTAMP');
  const srp = session.srp;
  if (device.key !== session.deviceKey || !device.verifier || !srp || secretBlock !== srp.secretBlock) {
    throw notAuthorized('Incorrect username or password.');
  }
  if (!timestampOk(timestamp)) throw notAuthorized();
  const key = serverSessionKey(srp.A, srp.ephemeral, device.verifier.verifier);
  const expected = key && passwordClaimSignature(key, device.groupKey, device.key, secretBlock, timestamp);
  if (!expected || !signaturesEqual(expected, signature))
    throw notAuthorized('Incorrect username or password.');
  session.deviceVerified = true;
  device.lastAuthenticatedAt = pool.now();
  return signedIn(pool, user);
}

/**
 * What every sign-in answer goes through last: a new challenge keeps the sign-in's device; tokens are
 * bound to the device (a new one, announced as NewDeviceMetadata, when none was presented).
 */
export function withDevice(
  pool: Pool,
  user: UserRecord,
  response: AuthResponse,
  state: DeviceState,
): AuthResponse {
  if (pool.deviceTracking === 'off') return response;
  if (response.Session) {
    const next = pool.sessions.get(response.Session);
    next.deviceKey = state.key;
    next.deviceVerified = state.verified;
    return response;
  }
  const result = response.AuthenticationResult;
  if (!result?.RefreshToken) return response;
  const known = presentedDevice(pool, user, state.key);
  if (known) {
    pool.tokens.bindDevice(result.RefreshToken, known.key);
    return response;
  }
  const device = pool.devices.create(user.username);
  pool.tokens.bindDevice(result.RefreshToken, device.key);
  return {
    ...response,
    AuthenticationResult: {
      ...result,
      NewDeviceMetadata: { DeviceKey: device.key, DeviceGroupKey: device.groupKey },
    },
  };
}

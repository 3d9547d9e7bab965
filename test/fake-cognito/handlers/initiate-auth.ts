import { randomBytes } from 'node:crypto';
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
import { createServerEphemeral, N, parseSrpA } from '../srp.js';
import { type AuthResponse, customChallenge, issueChallenge, passwordResetRequired } from './auth-flow.js';
import { afterPasswordOnDevice, presentedDevice, withDevice } from './device-auth.js';
import { userAuth } from './passwordless.js';

const AUTH_FLOWS = [
  'USER_SRP_AUTH',
  'REFRESH_TOKEN_AUTH',
  'REFRESH_TOKEN',
  'CUSTOM_AUTH',
  'ADMIN_NO_SRP_AUTH',
  'USER_PASSWORD_AUTH',
  'ADMIN_USER_PASSWORD_AUTH',
  'USER_AUTH',
];

/** InitiateAuth: USER_SRP_AUTH, USER_PASSWORD_AUTH, REFRESH_TOKEN(_AUTH), CUSTOM_AUTH, USER_AUTH. */
export function initiateAuth(pool: Pool, body: Body): AuthResponse | Promise<AuthResponse> {
  const flow = requireString(body, 'AuthFlow');
  pool.checkClient(body);
  const params = stringMap(body, 'AuthParameters');
  switch (flow) {
    case 'USER_SRP_AUTH':
      return startSrp(pool, params, flow);
    case 'USER_PASSWORD_AUTH':
      return passwordAuth(pool, params, flow);
    case 'REFRESH_TOKEN_AUTH':
    case 'REFRESH_TOKEN':
      return refresh(pool, params);
    case 'CUSTOM_AUTH':
      return params.SRP_A ? startSrp(pool, params, flow) : startCustom(pool, params, flow);
    case 'USER_AUTH':
      return userAuth(pool, params, optionalString(body, 'Session'), startSrp);
    default:
      if (AUTH_FLOWS.includes(flow)) throw invalidParameter('Initiate Auth method not supported.');
      throw invalidParameter(
        `1 validation error detected: Value '${flow}' at 'authFlow' failed to satisfy constraint: Member must satisfy enum value set: [${AUTH_FLOWS.join(', ')}]`,
      );
  }
}

export function startSrp(pool: Pool, params: Record<string, string>, flow: string): AuthResponse {
  const username = requireParam(params, 'USERNAME');
  const A = parseSrpA(requireParam(params, 'SRP_A'));
  if (A === undefined) throw invalidParameter('SRP_A must be a hexadecimal string');
  if (A % N === 0n) throw invalidParameter('SRP_A mod N cannot be 0');
  const user = pool.requireUser(username);
  if (user.status === 'RESET_REQUIRED') throw passwordResetRequired();
  presentedDevice(pool, user, params.DEVICE_KEY);
  const ephemeral = createServerEphemeral(user.srp.verifier);
  const secretBlock = randomBytes(512).toString('base64');
  const challenge = issueChallenge(
    pool,
    user,
    'PASSWORD_VERIFIER',
    {
      SALT: user.srp.salt.toString(16),
      SECRET_BLOCK: secretBlock,
      SRP_B: ephemeral.B.toString(16),
      USER_ID_FOR_SRP: user.username,
    },
    flow,
    { srp: { A, ephemeral, secretBlock } },
  );
  return withDevice(pool, user, challenge, { key: params.DEVICE_KEY });
}

function passwordAuth(pool: Pool, params: Record<string, string>, flow: string): AuthResponse {
  const username = requireParam(params, 'USERNAME');
  const password = requireParam(params, 'PASSWORD');
  const user = pool.requireUser(username);
  if (user.status === 'RESET_REQUIRED') throw passwordResetRequired();
  presentedDevice(pool, user, params.DEVICE_KEY);
  if (!pool.users.checkPassword(user, password)) throw notAuthorized();
  const device = { key: params.DEVICE_KEY };
  return withDevice(pool, user, afterPasswordOnDevice(pool, user, flow, device.key), device);
}

function startCustom(pool: Pool, params: Record<string, string>, flow: string): AuthResponse {
  const user = pool.requireUser(requireParam(params, 'USERNAME'));
  if (user.status === 'UNCONFIRMED')
    throw new CognitoFault('UserNotConfirmedException', 'User is not confirmed.');
  if (!user.customChallenge)
    throw notAuthorized('Custom auth lambda trigger is not configured for the user pool.');
  return withDevice(pool, user, customChallenge(pool, user, flow), { key: params.DEVICE_KEY });
}

function refresh(pool: Pool, params: Record<string, string>): AuthResponse {
  if (pool.refreshTokenRotation) {
    throw invalidParameter(pool.rotationRefusalMessage);
  }
  const token = requireParam(params, 'REFRESH_TOKEN');
  return {
    AuthenticationResult: refreshTokens(pool, token, false, params.DEVICE_KEY),
    ChallengeParameters: {},
  };
}

/** Shared by REFRESH_TOKEN_AUTH and GetTokensFromRefreshToken. */
export function refreshTokens(pool: Pool, token: string, rotate: boolean, deviceKey: string | undefined) {
  const record = pool.tokens.checkRefresh(token);
  // A refresh token issued to a tracked device works only with that device's key.
  if (record.deviceKey !== undefined && record.deviceKey !== deviceKey)
    throw notAuthorized('Invalid Refresh Token');
  const user = pool.users.find(record.username);
  if (!user || user.sub !== record.sub) throw notAuthorized('Refresh Token has been revoked');
  return pool.tokens.refresh(token, user, rotate);
}

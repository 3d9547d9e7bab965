// Signing in on a confirmed device: DEVICE_KEY on the requests that may carry it, a device Cognito
// no longer knows dropped once, and the DEVICE_SRP_AUTH / DEVICE_PASSWORD_VERIFIER steps answered
// here, so the caller never sees them. Device SRP is the user SRP with the device group key as the
// pool name, the device key as the user and the random password as the password.
import type { CoreLib } from '../internal/core.js';
import type { Transport } from '../internal/http.js';
import type { SessionStore } from '../session-store.js';
import { readDevice, removeDevice, type StoredDevice } from './device-store.js';

/** What the device steps need from their client (a ClientCore or sign-in's context). */
export interface DeviceContext {
  clientId: string;
  transport: Transport;
  store: SessionStore;
  options: { deviceName: string | undefined };
  lib: CoreLib;
}

/** InitiateAuth's or RespondToAuthChallenge's answer, as far as the device steps read it. */
export interface DeviceAnswer {
  ChallengeName?: string;
  ChallengeParameters?: Record<string, string>;
  Session?: string;
}

/**
 * Cognito's answers to a DEVICE_KEY it does not know (a device forgotten elsewhere, another pool's
 * key): 'Device does not exist.' (ResourceNotFoundException, what the raw library and Amplify retry
 * on), and 'Invalid device key given.' (InvalidParameterException), which users of other SDKs see
 * for an MFA answer with a stale key. No other field tells these apart from a wrong client id or
 * password, and a mistaken match costs one more request, never a lost session.
 */
export function isUnknownDevice(lib: CoreLib, error: unknown): boolean {
  if (!(error instanceof lib.CognitoError)) return false;
  return error.code === 'InvalidParameterException'
    ? /invalid device key/i.test(error.message)
    : (error.code === 'ResourceNotFoundException' || error.code === 'NotAuthorizedException') &&
        /device/i.test(error.message);
}

/**
 * Sends with the device's key; when Cognito does not know the device, forgets it locally and sends
 * once more without it. Resolves with the answer and the device still in use.
 */
export async function sendWithDevice<T>(
  ctx: DeviceContext,
  device: StoredDevice,
  send: (deviceKey: string | undefined) => Promise<T>,
): Promise<{ value: T; device: StoredDevice | undefined }> {
  try {
    return { value: await send(device.deviceKey), device };
  } catch (error) {
    if (!isUnknownDevice(ctx.lib, error)) throw error;
    await removeDevice(ctx, device.username).catch(() => undefined);
    return { value: await send(undefined), device: undefined };
  }
}

function parameter(lib: CoreLib, parameters: Record<string, string> | undefined, name: string): string {
  const value = parameters?.[name];
  if (typeof value !== 'string' || value === '') {
    throw new lib.CognitoError('UnexpectedResponseException', `Cognito's challenge lacks ${name}`);
  }
  return value;
}

/** Answers DEVICE_SRP_AUTH and then DEVICE_PASSWORD_VERIFIER; resolves with Cognito's next answer. */
export async function answerDeviceSrp<T extends DeviceAnswer>(
  ctx: DeviceContext,
  answer: DeviceAnswer,
  loginId: string,
): Promise<T> {
  const username = answer.ChallengeParameters?.USERNAME ?? loginId;
  const device = (await readDevice(ctx, username)) ?? (await readDevice(ctx, loginId));
  if (!device) {
    throw new ctx.lib.CognitoError(
      'UnexpectedResponseException',
      'Cognito asked to prove a device that is not stored here',
    );
  }
  const srp = await ctx.lib.startSrp(device.deviceGroupKey);
  const verifier = await ctx.transport.send<DeviceAnswer>('RespondToAuthChallenge', {
    ChallengeName: 'DEVICE_SRP_AUTH',
    ClientId: ctx.clientId,
    ChallengeResponses: { USERNAME: username, DEVICE_KEY: device.deviceKey, SRP_A: srp.largeA },
    ...(answer.Session ? { Session: answer.Session } : {}),
  });
  if (verifier.ChallengeName !== 'DEVICE_PASSWORD_VERIFIER') return verifier as T;
  const challenge = verifier.ChallengeParameters;
  const claim = await srp.claim({
    userIdForSrp: device.deviceKey,
    password: device.randomPassword,
    srpB: parameter(ctx.lib, challenge, 'SRP_B'),
    salt: parameter(ctx.lib, challenge, 'SALT'),
    secretBlock: parameter(ctx.lib, challenge, 'SECRET_BLOCK'),
  });
  return ctx.transport.send<T>('RespondToAuthChallenge', {
    ChallengeName: 'DEVICE_PASSWORD_VERIFIER',
    ClientId: ctx.clientId,
    ChallengeResponses: { USERNAME: username, DEVICE_KEY: device.deviceKey, ...claim },
    ...(verifier.Session ? { Session: verifier.Session } : {}),
  });
}

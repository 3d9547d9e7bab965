// After a sign-in that carries NewDeviceMetadata: confirm the device with Cognito (ConfirmDevice
// with an SRP verifier) and store its keys, so that the next sign-in proves the device.
import type { CognitoError } from '../errors.js';
import type { StoredSession } from '../session-store.js';
import type { DeviceContext } from './device-auth.js';
import { currentUserAgent, defaultDeviceName } from './device-name.js';
import { writeDevice, writeUnconfirmedKey } from './device-store.js';
import { createDeviceVerifier } from './verifier.js';

/** Cognito's NewDeviceMetadataType. */
export interface NewDeviceMetadata {
  DeviceKey?: string;
  DeviceGroupKey?: string;
}

/**
 * Confirms the new device and stores its keys under the session's canonical username. Never throws:
 * a failure is returned (the sign-in stands, the device is not remembered, the next sign-in tries
 * again) and only the device key is kept, because the session's refresh token is bound to it.
 */
export async function confirmNewDevice(
  ctx: DeviceContext,
  stored: StoredSession,
  metadata: NewDeviceMetadata,
  loginId: string,
): Promise<CognitoError | undefined> {
  const { DeviceKey: deviceKey, DeviceGroupKey: deviceGroupKey } = metadata;
  const username = stored.storageUsername;
  try {
    if (
      typeof deviceKey !== 'string' ||
      deviceKey === '' ||
      typeof deviceGroupKey !== 'string' ||
      deviceGroupKey === ''
    ) {
      throw new ctx.lib.CognitoError(
        'UnexpectedResponseException',
        'Cognito announced a new device without its keys',
      );
    }
    const verifier = await createDeviceVerifier(ctx.lib, deviceGroupKey, deviceKey);
    await ctx.transport.send<{ UserConfirmationNecessary?: boolean }>('ConfirmDevice', {
      AccessToken: stored.session.accessToken,
      DeviceKey: deviceKey,
      DeviceSecretVerifierConfig: verifier.config,
      DeviceName: ctx.options.deviceName ?? defaultDeviceName(currentUserAgent()),
    });
    await writeDevice(
      ctx,
      username,
      { deviceKey, deviceGroupKey, randomPassword: verifier.randomPassword },
      loginId,
    );
    return undefined;
  } catch (error) {
    if (typeof deviceKey === 'string' && deviceKey !== '') {
      await writeUnconfirmedKey(ctx, username, deviceKey).catch(() => undefined);
    }
    return ctx.lib.toCognitoError(error);
  }
}

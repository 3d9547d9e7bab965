// A device's SRP verifier, from the wrapped library's device helper
// (AuthenticationHelper.generateHashDevice), in the shape ConfirmDevice takes.
import type { CoreLib } from '../internal/core.js';
import type { AuthenticationHelperLike } from '../internal/srp.js';

// The library's device methods, untyped in its typings: the boundary, nothing more.
interface DeviceHelper {
  generateHashDevice(groupKey: string, deviceKey: string, callback: (error: unknown) => void): void;
  getSaltDevices(): string;
  getVerifierDevices(): string;
  getRandomPassword(): string;
}

/** What ConfirmDevice sends and what the device keeps to prove itself later. */
export interface DeviceVerifier {
  randomPassword: string;
  /** ConfirmDevice's DeviceSecretVerifierConfig: both base64 of the library's padded hex. */
  config: { PasswordVerifier: string; Salt: string };
}

/** Generates the random password, salt and verifier for a new device, as the raw library does. */
export async function createDeviceVerifier(
  lib: CoreLib,
  deviceGroupKey: string,
  deviceKey: string,
): Promise<DeviceVerifier> {
  const { AuthenticationHelper } = await lib.loadLibrary();
  const helper = new AuthenticationHelper(deviceGroupKey) as AuthenticationHelperLike & DeviceHelper;
  await new Promise<void>((resolve, reject) => {
    try {
      helper.generateHashDevice(deviceGroupKey, deviceKey, (error) => (error ? reject(error) : resolve()));
    } catch (error) {
      reject(error);
    }
  }).catch((cause: unknown) => {
    throw new lib.CognitoError('UnexpectedResponseException', 'Could not compute the device verifier', {
      cause,
    });
  });
  return {
    randomPassword: helper.getRandomPassword(),
    config: {
      PasswordVerifier: lib.bytesToBase64(lib.hexToBytes(helper.getVerifierDevices())),
      Salt: lib.bytesToBase64(lib.hexToBytes(helper.getSaltDevices())),
    },
  };
}

// This device's keys in the storage, under amazon-cognito-identity-js's names
// (`CognitoIdentityServiceProvider.<clientId>.<username>.deviceKey`, `.deviceGroupKey`,
// `.randomPasswordKey`), so the raw library and cognito-kit use each other's devices. They are
// stored under the canonical username; a typed alias gets a pointer to it, so that the next
// sign-in with the same alias finds the device before Cognito has said who the user is.
import { CognitoError } from '../errors.js';
import { DEVICE_ALIAS, type SessionStore } from '../session-store.js';

/** What proves this device in device SRP. Secret: never logged or put in an error. */
export interface DeviceSecrets {
  deviceKey: string;
  deviceGroupKey: string;
  randomPassword: string;
}

/** A device found in the storage, with the username its keys are stored under. */
export interface StoredDevice extends DeviceSecrets {
  username: string;
}

const KEY = 'deviceKey';
const GROUP = 'deviceGroupKey';
const PASSWORD = 'randomPasswordKey';

async function get(store: SessionStore, key: string): Promise<string | null> {
  const value = await store.storage.getItem(key);
  return typeof value === 'string' && value !== '' ? value : null;
}

function storageError(cause: unknown): CognitoError {
  return cause instanceof CognitoError
    ? cause
    : new CognitoError('StorageException', 'The token storage failed to keep the device', {
        cause,
        retryable: false,
      });
}

/** The complete device of `username` (all three keys), or `null`. */
async function readFor(store: SessionStore, username: string): Promise<StoredDevice | null> {
  const deviceKey = await get(store, store.userKey(username, KEY));
  if (!deviceKey) return null;
  const deviceGroupKey = await get(store, store.userKey(username, GROUP));
  const randomPassword = await get(store, store.userKey(username, PASSWORD));
  // A key without its group key and password (a failed ConfirmDevice) cannot prove the device.
  return deviceGroupKey && randomPassword ? { username, deviceKey, deviceGroupKey, randomPassword } : null;
}

/**
 * The confirmed device stored for `name`: under that name, else under the canonical username a
 * previous sign-in with that alias stored it for. `null` when there is none or the storage fails.
 */
export async function readDevice(store: SessionStore, name: string): Promise<StoredDevice | null> {
  try {
    const direct = await readFor(store, name);
    if (direct) return direct;
    const canonical = await get(store, store.userKey(DEVICE_ALIAS, name.toLowerCase()));
    return canonical && canonical !== name ? await readFor(store, canonical) : null;
  } catch {
    return null;
  }
}

/**
 * Stores a confirmed device for `username`; the device key last, since it is what marks a device as
 * stored. `loginId` (the name typed, when it is an alias) gets a pointer to `username`.
 */
export async function writeDevice(
  store: SessionStore,
  username: string,
  secrets: DeviceSecrets,
  loginId: string | undefined,
): Promise<void> {
  try {
    await store.storage.setItem(store.userKey(username, GROUP), secrets.deviceGroupKey);
    await store.storage.setItem(store.userKey(username, PASSWORD), secrets.randomPassword);
    await store.storage.setItem(store.userKey(username, KEY), secrets.deviceKey);
    if (loginId !== undefined && loginId !== username) {
      await store.storage.setItem(store.userKey(DEVICE_ALIAS, loginId.toLowerCase()), username);
    }
  } catch (error) {
    throw storageError(error);
  }
}

/**
 * Stores only the key of a device that could not be confirmed: the session's refresh token is bound
 * to it, so refreshes must carry it; without the group key and password it is not a remembered device.
 */
export async function writeUnconfirmedKey(
  store: SessionStore,
  username: string,
  deviceKey: string,
): Promise<void> {
  try {
    await store.storage.removeItem(store.userKey(username, GROUP));
    await store.storage.removeItem(store.userKey(username, PASSWORD));
    await store.storage.setItem(store.userKey(username, KEY), deviceKey);
  } catch (error) {
    throw storageError(error);
  }
}

/** Forgets this device locally: its three keys, and the alias pointer `loginId` may have. */
export async function removeDevice(store: SessionStore, username: string, loginId?: string): Promise<void> {
  try {
    await store.storage.removeItem(store.userKey(username, KEY));
    await store.storage.removeItem(store.userKey(username, GROUP));
    await store.storage.removeItem(store.userKey(username, PASSWORD));
    if (loginId !== undefined && loginId !== username) {
      await store.storage.removeItem(store.userKey(DEVICE_ALIAS, loginId.toLowerCase()));
    }
  } catch (error) {
    throw storageError(error);
  }
}

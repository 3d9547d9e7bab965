// This device's keys in the storage, under amazon-cognito-identity-js's names
// (`CognitoIdentityServiceProvider.<clientId>.<username>.deviceKey`, `.deviceGroupKey`,
// `.randomPasswordKey`), so the raw library and cognito-kit use each other's devices. They are
// stored under the canonical username; a typed alias gets a pointer to it, so that the next
// sign-in with the same alias finds the device before Cognito has said who the user is.
import type { CognitoError } from '../errors.js';
import type { CoreLib } from '../internal/core.js';
import type { SessionStore } from '../session-store.js';

/** What the device store needs: the session store and the core's runtime. */
export interface DeviceStoreContext {
  store: SessionStore;
  lib: CoreLib;
}

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

async function get(ctx: DeviceStoreContext, key: string): Promise<string | null> {
  const value = await ctx.store.storage.getItem(key);
  return typeof value === 'string' && value !== '' ? value : null;
}

function storageError({ lib }: DeviceStoreContext, cause: unknown): CognitoError {
  return cause instanceof lib.CognitoError
    ? cause
    : new lib.CognitoError('StorageException', 'The token storage failed to keep the device', {
        cause,
        retryable: false,
      });
}

/** The complete device of `username` (all three keys), or `null`. */
async function readFor(ctx: DeviceStoreContext, username: string): Promise<StoredDevice | null> {
  const { store } = ctx;
  const deviceKey = await get(ctx, store.userKey(username, KEY));
  if (!deviceKey) return null;
  const deviceGroupKey = await get(ctx, store.userKey(username, GROUP));
  const randomPassword = await get(ctx, store.userKey(username, PASSWORD));
  // A key without its group key and password (a failed ConfirmDevice) cannot prove the device.
  return deviceGroupKey && randomPassword ? { username, deviceKey, deviceGroupKey, randomPassword } : null;
}

/**
 * The confirmed device stored for `name`: under that name, else under the canonical username a
 * previous sign-in with that alias stored it for. `null` when there is none or the storage fails.
 */
export async function readDevice(ctx: DeviceStoreContext, name: string): Promise<StoredDevice | null> {
  try {
    const direct = await readFor(ctx, name);
    if (direct) return direct;
    const canonical = await get(ctx, ctx.store.deviceAliasKey(name));
    return canonical && canonical !== name ? await readFor(ctx, canonical) : null;
  } catch {
    return null;
  }
}

/**
 * Stores a confirmed device for `username`; the device key last, since it is what marks a device as
 * stored. `loginId` (the name typed, when it is an alias) gets a pointer to `username`.
 */
export async function writeDevice(
  ctx: DeviceStoreContext,
  username: string,
  secrets: DeviceSecrets,
  loginId: string | undefined,
): Promise<void> {
  const { store } = ctx;
  try {
    await store.storage.setItem(store.userKey(username, GROUP), secrets.deviceGroupKey);
    await store.storage.setItem(store.userKey(username, PASSWORD), secrets.randomPassword);
    await store.storage.setItem(store.userKey(username, KEY), secrets.deviceKey);
    if (loginId !== undefined && loginId !== username) {
      await store.storage.setItem(store.deviceAliasKey(loginId), username);
    }
  } catch (error) {
    throw storageError(ctx, error);
  }
}

/**
 * Stores only the key of a device that could not be confirmed: the session's refresh token is bound
 * to it, so refreshes must carry it; without the group key and password it is not a remembered device.
 */
export async function writeUnconfirmedKey(
  ctx: DeviceStoreContext,
  username: string,
  deviceKey: string,
): Promise<void> {
  const { store } = ctx;
  try {
    await store.storage.removeItem(store.userKey(username, GROUP));
    await store.storage.removeItem(store.userKey(username, PASSWORD));
    await store.storage.setItem(store.userKey(username, KEY), deviceKey);
  } catch (error) {
    throw storageError(ctx, error);
  }
}

/** Forgets this device locally: its three keys, and the alias pointer `loginId` may have. */
export async function removeDevice(
  ctx: DeviceStoreContext,
  username: string,
  loginId?: string,
): Promise<void> {
  const { store } = ctx;
  try {
    await store.storage.removeItem(store.userKey(username, KEY));
    await store.storage.removeItem(store.userKey(username, GROUP));
    await store.storage.removeItem(store.userKey(username, PASSWORD));
    if (loginId !== undefined && loginId !== username) {
      await store.storage.removeItem(store.deviceAliasKey(loginId));
    }
  } catch (error) {
    throw storageError(ctx, error);
  }
}

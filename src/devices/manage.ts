// The signed-in user's devices: remember this one, forget one, list them. One request each, with
// the access token of the current session (refreshed when due).
import type { CognitoError } from '../errors.js';
import type { ClientCore } from '../internal/core.js';
import { removeDevice } from './device-store.js';
import type { Device, ForgetDeviceInput, ListDevicesInput, ListDevicesResult } from './types.js';

interface DeviceType {
  DeviceKey?: unknown;
  DeviceAttributes?: { Name?: unknown; Value?: unknown }[];
  DeviceCreateDate?: unknown;
  DeviceLastAuthenticatedDate?: unknown;
  DeviceLastModifiedDate?: unknown;
}

/** This device's key, as stored with the session. */
async function currentDevice(core: ClientCore) {
  const stored = await core.store.read();
  if (!stored)
    throw new core.lib.CognitoError('NotSignedInException', 'Nobody is signed in', { retryable: false });
  return { stored, deviceKey: stored.deviceKey };
}

function noDevice(core: ClientCore): CognitoError {
  return new core.lib.CognitoError(
    'NoDeviceException',
    'This client has no device key: the pool does not track devices, or this device was forgotten',
    {
      retryable: false,
    },
  );
}

/** Marks this device as remembered (UpdateDeviceStatus), for pools that remember devices on the user's choice. */
export async function rememberDevice(core: ClientCore): Promise<void> {
  const { deviceKey } = await currentDevice(core);
  if (!deviceKey) throw noDevice(core);
  await core.transport.send('UpdateDeviceStatus', {
    AccessToken: await core.lib.accessToken(core),
    DeviceKey: deviceKey,
    DeviceRememberedStatus: 'remembered',
  });
}

/** Forgets a device (ForgetDevice); this device by default, whose keys are then removed here too. */
export async function forgetDevice(core: ClientCore, input: ForgetDeviceInput = {}): Promise<void> {
  const { requireOptions, optionalString } = core.lib;
  const o = requireOptions(input, 'input', ['deviceKey']);
  const requested = optionalString(o.deviceKey, 'deviceKey');
  const { stored, deviceKey: current } = await currentDevice(core);
  const deviceKey = requested ?? current;
  if (!deviceKey) throw noDevice(core);
  await core.transport.send('ForgetDevice', {
    AccessToken: await core.lib.accessToken(core),
    DeviceKey: deviceKey,
  });
  if (deviceKey === current) await removeDevice(core, stored.storageUsername, stored.loginId);
}

function epochDate(value: unknown): Date | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? new Date(value * 1000) : undefined;
}

function toDevice(item: DeviceType): Device | [] {
  if (typeof item?.DeviceKey !== 'string') return [];
  // Object.fromEntries defines own entries: a name like "__proto__" stays an attribute.
  const attributes: Record<string, string> = Object.fromEntries(
    (Array.isArray(item.DeviceAttributes) ? item.DeviceAttributes : []).flatMap((attribute) =>
      typeof attribute?.Name === 'string' && typeof attribute.Value === 'string'
        ? [[attribute.Name, attribute.Value]]
        : [],
    ),
  );
  const createdAt = epochDate(item.DeviceCreateDate);
  const lastAuthenticatedAt = epochDate(item.DeviceLastAuthenticatedDate);
  const lastModifiedAt = epochDate(item.DeviceLastModifiedDate);
  return {
    deviceKey: item.DeviceKey,
    ...(Object.hasOwn(attributes, 'device_name') ? { name: attributes.device_name as string } : {}),
    attributes,
    ...(createdAt ? { createdAt } : {}),
    ...(lastAuthenticatedAt ? { lastAuthenticatedAt } : {}),
    ...(lastModifiedAt ? { lastModifiedAt } : {}),
  };
}

/** One page of the user's devices (ListDevices). */
export async function listDevices(
  core: ClientCore,
  input: ListDevicesInput = {},
): Promise<ListDevicesResult> {
  const { requireOptions, requireNumber, optionalString, invalidParameter } = core.lib;
  const o = requireOptions(input, 'input', ['limit', 'paginationToken']);
  const limit = o.limit === undefined ? undefined : requireNumber(o.limit, 'limit', 1, 60);
  if (limit !== undefined && !Number.isInteger(limit)) throw invalidParameter('limit must be a whole number');
  const paginationToken = optionalString(o.paginationToken, 'paginationToken');
  const answer = await core.transport.send<{ Devices?: DeviceType[]; PaginationToken?: unknown }>(
    'ListDevices',
    {
      AccessToken: await core.lib.accessToken(core),
      ...(limit !== undefined ? { Limit: limit } : {}),
      ...(paginationToken ? { PaginationToken: paginationToken } : {}),
    },
  );
  const devices = (Array.isArray(answer.Devices) ? answer.Devices : []).flatMap(toDevice);
  return {
    devices,
    ...(typeof answer.PaginationToken === 'string' && answer.PaginationToken !== ''
      ? { paginationToken: answer.PaginationToken }
      : {}),
  };
}

/** After DeleteUser: this device's keys go with the user. */
export async function forgetLocalDevice(
  core: Pick<ClientCore, 'store' | 'lib'>,
  username: string,
  loginId?: string,
): Promise<void> {
  await removeDevice(core, username, loginId);
}

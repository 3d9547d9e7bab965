/** The device operations of an access token's user: ConfirmDevice, UpdateDeviceStatus, ForgetDevice, ListDevices, GetDevice. */

import { deviceNotFound, deviceType } from '../devices.js';
import { type Body, CognitoFault, invalidParameter, optionalString, requireString } from '../errors.js';
import type { Pool } from '../pool.js';

const MAX_LIMIT = 60;

function base64Integer(value: unknown, name: string): bigint {
  if (typeof value !== 'string' || !/^[A-Za-z0-9+/]+={0,2}$/.test(value)) {
    throw invalidParameter(`DeviceSecretVerifierConfig.${name} must be base64`);
  }
  const hex = Buffer.from(value, 'base64').toString('hex');
  return hex === '' ? 0n : BigInt(`0x${hex}`);
}

/** ConfirmDevice: stores the device's SRP verifier; remembered at once when tracking is 'always'. */
export function confirmDevice(pool: Pool, body: Body) {
  const user = pool.authenticate(body);
  if (pool.deviceTracking === 'off')
    throw invalidParameter('Device tracking is not enabled for this user pool.');
  const device = pool.devices.require(requireString(body, 'DeviceKey'), user.username);
  const config = body.DeviceSecretVerifierConfig as Body | undefined;
  if (!config || typeof config !== 'object') throw invalidParameter('DeviceSecretVerifierConfig is required');
  const verifier = base64Integer(config.PasswordVerifier, 'PasswordVerifier');
  const salt = base64Integer(config.Salt, 'Salt');
  if (verifier <= 1n) throw invalidParameter('DeviceSecretVerifierConfig.PasswordVerifier is not a verifier');
  const name = optionalString(body, 'DeviceName');
  if (name !== undefined && name.length > 1024) throw invalidParameter('DeviceName is too long');
  device.verifier = { salt, verifier };
  if (name !== undefined) device.name = name;
  device.remembered = pool.deviceTracking === 'always';
  device.lastModifiedAt = pool.now();
  return { UserConfirmationNecessary: pool.deviceTracking === 'opt-in' };
}

/** UpdateDeviceStatus: 'remembered' or 'not_remembered'. */
export function updateDeviceStatus(pool: Pool, body: Body): Record<string, never> {
  const user = pool.authenticate(body);
  const device = pool.devices.require(requireString(body, 'DeviceKey'), user.username);
  const status = optionalString(body, 'DeviceRememberedStatus');
  if (status !== 'remembered' && status !== 'not_remembered') {
    throw invalidParameter(
      "1 validation error detected: Value at 'deviceRememberedStatus' failed to satisfy constraint: Member must satisfy enum value set: [remembered, not_remembered]",
    );
  }
  if (!device.verifier) throw deviceNotFound();
  device.remembered = status === 'remembered';
  device.lastModifiedAt = pool.now();
  return {};
}

/** ForgetDevice: the device is gone; its key no longer signs in. */
export function forgetDevice(pool: Pool, body: Body): Record<string, never> {
  const user = pool.authenticate(body);
  const device = pool.devices.require(requireString(body, 'DeviceKey'), user.username);
  pool.devices.delete(device.key);
  return {};
}

/** GetDevice. */
export function getDevice(pool: Pool, body: Body) {
  const user = pool.authenticate(body);
  const device = pool.devices.require(requireString(body, 'DeviceKey'), user.username);
  return { Device: deviceType(device) };
}

/** ListDevices: confirmed devices, oldest first, `Limit` (1 to 60, default 60) at a time. */
export function listDevices(pool: Pool, body: Body) {
  const user = pool.authenticate(body);
  const rawLimit = body.Limit;
  if (
    rawLimit !== undefined &&
    (typeof rawLimit !== 'number' || !Number.isInteger(rawLimit) || rawLimit < 0 || rawLimit > MAX_LIMIT)
  ) {
    throw invalidParameter(
      "1 validation error detected: Value at 'limit' failed to satisfy constraint: Member must have value less than or equal to 60",
    );
  }
  const limit = typeof rawLimit === 'number' && rawLimit > 0 ? rawLimit : MAX_LIMIT;
  const token = optionalString(body, 'PaginationToken');
  const devices = pool.devices.list(user.username);
  let start = 0;
  if (token !== undefined) {
    const index = devices.findIndex((device) => pagination(device.key) === token);
    if (index < 0) throw new CognitoFault('InvalidParameterException', 'Invalid pagination token.');
    start = index;
  }
  const page = devices.slice(start, start + limit);
  const next = devices[start + limit];
  return {
    Devices: page.map(deviceType),
    ...(next ? { PaginationToken: pagination(next.key) } : {}),
  };
}

function pagination(deviceKey: string): string {
  return Buffer.from(`next:${deviceKey}`).toString('base64');
}

/**
 * Device tracking, as a user pool with "remember user devices" does it: devices created at sign-in
 * (NewDeviceMetadata), confirmed with an SRP verifier (ConfirmDevice), remembered per the pool's
 * setting ('always') or the user's choice ('opt-in', UpdateDeviceStatus), proven at sign-in with
 * device SRP (DEVICE_SRP_AUTH / DEVICE_PASSWORD_VERIFIER), listed and forgotten.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { CognitoFault } from './errors.js';

/** The pool's device setting: Cognito's DeviceConfiguration. */
export type DeviceTracking = 'always' | 'opt-in' | 'off';

export interface DeviceRecord {
  key: string;
  groupKey: string;
  username: string;
  /** Set by ConfirmDevice. */
  verifier?: { salt: bigint; verifier: bigint };
  remembered: boolean;
  name?: string;
  createdAt: number;
  lastAuthenticatedAt: number;
  lastModifiedAt: number;
}

export const deviceNotFound = () => new CognitoFault('ResourceNotFoundException', 'Device does not exist.');

/** Every device of the pool, by device key; one device group per user. */
export class DeviceStore {
  private readonly devices = new Map<string, DeviceRecord>();
  private readonly groups = new Map<string, string>();

  constructor(
    private readonly region: string,
    private readonly now: () => number,
  ) {}

  /** A new, unconfirmed device of `username` (what NewDeviceMetadata announces). */
  create(username: string): DeviceRecord {
    let groupKey = this.groups.get(username);
    if (!groupKey) {
      groupKey = `-${randomBytes(6).toString('base64url')}`;
      this.groups.set(username, groupKey);
    }
    const now = this.now();
    const device: DeviceRecord = {
      key: `${this.region}_${randomUUID()}`,
      groupKey,
      username,
      remembered: false,
      createdAt: now,
      lastAuthenticatedAt: now,
      lastModifiedAt: now,
    };
    this.devices.set(device.key, device);
    return device;
  }

  /** The device `key` of `username`, confirmed or not. */
  find(key: string | undefined, username: string): DeviceRecord | undefined {
    const device = key === undefined ? undefined : this.devices.get(key);
    return device && device.username === username ? device : undefined;
  }

  /** Like {@link find}, with Cognito's error when there is no such device. */
  require(key: string, username: string): DeviceRecord {
    const device = this.find(key, username);
    if (!device) throw deviceNotFound();
    return device;
  }

  get(key: string): DeviceRecord | undefined {
    return this.devices.get(key);
  }

  /** The user's confirmed devices, oldest first. */
  list(username: string): DeviceRecord[] {
    return [...this.devices.values()]
      .filter((device) => device.username === username && device.verifier)
      .sort((a, b) => a.createdAt - b.createdAt);
  }

  delete(key: string): void {
    this.devices.delete(key);
  }

  deleteUser(username: string): void {
    for (const device of [...this.devices.values()]) {
      if (device.username === username) this.devices.delete(device.key);
    }
    this.groups.delete(username);
  }
}

/** DeviceType as ListDevices and GetDevice return it (dates in epoch seconds). */
export function deviceType(device: DeviceRecord) {
  const attributes: Record<string, string> = {
    device_status: 'valid',
    'dev:device_remembered_status': device.remembered ? 'remembered' : 'not_remembered',
    last_ip_used: '127.0.0.1',
    ...(device.name ? { device_name: device.name } : {}),
  };
  return {
    DeviceKey: device.key,
    DeviceAttributes: Object.entries(attributes).map(([Name, Value]) => ({ Name, Value })),
    DeviceCreateDate: device.createdAt / 1000,
    DeviceLastAuthenticatedDate: device.lastAuthenticatedAt / 1000,
    DeviceLastModifiedDate: device.lastModifiedAt / 1000,
  };
}

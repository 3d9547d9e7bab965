/** A device Cognito tracks for the signed-in user, as {@link CognitoClient.listDevices} returns it. */
export interface Device {
  /** Cognito's device key (`<region>_<uuid>`); pass it to {@link CognitoClient.forgetDevice}. */
  deviceKey: string;
  /** The name given when the device was confirmed (the `deviceName` option). */
  name?: string;
  /**
   * Every device attribute Cognito returned, by name: `device_name`, `device_status`,
   * `dev:device_remembered_status` (`'remembered'` / `'not_remembered'`), `last_ip_used`, …
   */
  attributes: Record<string, string>;
  /** When the device was first seen (DeviceCreateDate). */
  createdAt?: Date;
  /** When the device last signed in (DeviceLastAuthenticatedDate). */
  lastAuthenticatedAt?: Date;
  /** When the device's status or name last changed (DeviceLastModifiedDate). */
  lastModifiedAt?: Date;
}

/** Input of {@link CognitoClient.listDevices}. */
export interface ListDevicesInput {
  /** At most this many devices (1 to 60). @defaultValue Cognito's default */
  limit?: number;
  /** The `paginationToken` of the previous page. */
  paginationToken?: string;
}

/** What {@link CognitoClient.listDevices} resolves with. */
export interface ListDevicesResult {
  /** This page's devices, oldest first as Cognito lists them. */
  devices: Device[];
  /** Set when there are more devices: pass it back for the next page. */
  paginationToken?: string;
}

/** Input of {@link CognitoClient.forgetDevice}. */
export interface ForgetDeviceInput {
  /** The device to forget. @defaultValue this device (which is then also forgotten locally) */
  deviceKey?: string;
}

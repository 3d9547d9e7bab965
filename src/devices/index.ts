// Remembered devices (device tracking): loaded on first use by the facade's device methods, and by
// the core only when a sign-in meets a device (a stored device key, NewDeviceMetadata,
// DEVICE_SRP_AUTH), so an app on a pool without device tracking never loads it.
export { confirmNewDevice, type NewDeviceMetadata } from './confirm.js';
export { answerDeviceSrp, type DeviceContext, isUnknownDevice, sendWithDevice } from './device-auth.js';
export { readDevice, type StoredDevice } from './device-store.js';
export { forgetDevice, forgetLocalDevice, listDevices, rememberDevice } from './manage.js';

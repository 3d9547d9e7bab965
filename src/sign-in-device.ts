// The sign-in's hooks into remembered devices: find this storage's device behind a cheap check
// (two storage reads) and send with its key. src/devices/ is loaded by dynamic import only when a
// device is found, so a sign-in on a pool without device tracking never loads it.
import type { DeviceContext } from './devices/device-auth.js';

type Devices = typeof import('./devices/index.js');

/** This storage's confirmed device for `name`; src/devices/ is loaded only when the cheap check finds a key. */
export async function storedDevice(ctx: DeviceContext, name: string) {
  if (!(await ctx.store.mayHaveDevice(name))) return undefined;
  const devices: Devices = await import('./devices/index.js');
  const device = await devices.readDevice(ctx, name);
  return device ? { devices, device } : undefined;
}

/** Sends with the device's key, or without one when there is no device (or Cognito no longer knows it). */
export async function withDevice<T>(
  ctx: DeviceContext,
  found: Awaited<ReturnType<typeof storedDevice>>,
  send: (deviceKey: string | undefined) => Promise<T>,
) {
  if (!found) return { answer: await send(undefined), device: undefined };
  const sent = await found.devices.sendWithDevice(ctx, found.device, send);
  return { answer: sent.value, device: sent.device ? found : undefined };
}

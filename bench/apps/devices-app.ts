// The bundle-size app for remembered devices: sign in (confirming the device, or proving a
// remembered one), remember it, list and forget devices. bench/bundle.ts resolves this import to
// the published build of the package, as `import … from 'cognito-kit'` would in a user's app.
import { CognitoClient } from '../../src/index.js';

const client = new CognitoClient({
  userPoolId: 'us-east-1_AbCdEf123',
  clientId: '1example23456789',
  deviceName: 'Bench browser',
});

export async function logIn(username: string, password: string): Promise<string> {
  const result = await client.signIn({ username, password });
  if (!result.isSignedIn) return result.nextStep.signInStep;
  return result.deviceError ? `DONE (device not remembered: ${result.deviceError.code})` : 'DONE';
}

export async function remember(): Promise<void> {
  await client.rememberDevice();
}

export async function devices(): Promise<string[]> {
  const { devices } = await client.listDevices({ limit: 10 });
  return devices.map(
    (device) => `${device.name ?? device.deviceKey} ${device.lastAuthenticatedAt?.toISOString() ?? ''}`,
  );
}

export async function forgetThisDevice(): Promise<void> {
  await client.forgetDevice();
}

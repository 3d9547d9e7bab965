/**
 * `npm run demo:devices`: remembered devices through cognito-kit, step by step, against the
 * in-process fake Cognito (test/fake-cognito/) served over real HTTP on 127.0.0.1, with device
 * tracking set to "always" and a user with TOTP MFA. It shows: the first sign-in asks for TOTP and
 * confirms the device; the device survives sign-out; the next sign-in proves the device and skips
 * TOTP; listDevices; a refresh carrying the device key; forgetDevice; TOTP again after it.
 * Every step checks its own claim; a failed one ends the run with exit code 1.
 * Nothing secret is printed: the password is generated, keys appear shortened.
 */
import { randomBytes } from 'node:crypto';
import nock from 'nock';
import { CognitoClient, memoryStorage } from '../src/index.js';
import { FakeCognito, startFakeCognitoServer } from '../test/fake-cognito/index.js';
import { totp } from '../test/helpers/totp.js';
import { bold, check, StepPrinter } from './lib/steps.js';

// Importing the fake loads nock, which patches http and fetch: undo it, this demo talks real HTTP.
if (nock.isActive()) nock.restore();

const { step } = new StepPrinter({ labelWidth: 46, msWidth: 5 });

const short = (key: string | null | undefined) => (key ? `${key.slice(0, 18)}…` : 'none');

async function main(): Promise<void> {
  const fake = new FakeCognito({ deviceTracking: 'always' });
  const password = `Demo-${randomBytes(9).toString('base64url')}`;
  const { totpSecret = '' } = fake.addUser({
    username: 'ann@example.com',
    password,
    totp: true,
    attributes: { email: 'ann@example.com' },
  });
  const server = await startFakeCognitoServer(fake);
  const storage = memoryStorage(); // one browser: every client below is a page load on it
  const page = () =>
    new CognitoClient({
      userPoolId: fake.userPoolId,
      clientId: fake.clientId,
      endpoint: server.url,
      storage,
      deviceName: 'Demo laptop',
    });
  const deviceKey = () =>
    storage.getItem(`CognitoIdentityServiceProvider.${fake.clientId}.ann@example.com.deviceKey`) as
      | string
      | null;
  const sentSince = (from: number) =>
    fake.requests
      .slice(from)
      .map((r) => (r.target === 'RespondToAuthChallenge' ? r.body.ChallengeName : r.target))
      .join(' → ');
  console.log(
    bold('cognito-kit: remembered devices (fake Cognito, device tracking "always", TOTP MFA on)\n'),
  );
  try {
    let mark = fake.requests.length;
    await step('sign in on a new browser', async () => {
      const result = await page().signIn({ username: 'ann@example.com', password });
      check(
        !result.isSignedIn && result.nextStep.signInStep === 'CONFIRM_SIGN_IN_WITH_TOTP_CODE',
        'TOTP asked',
      );
      return [null, `next step ${result.nextStep.signInStep}`];
    });
    await step('answer TOTP (device confirmed)', async () => {
      const result = await page().confirmSignIn({ challengeResponse: totp(totpSecret) });
      check(result.isSignedIn && !result.deviceError, 'signed in, device confirmed');
      check(deviceKey(), 'device key stored');
      return [null, `${sentSince(mark)}; device ${short(deviceKey())} stored`];
    });
    const before = deviceKey();
    await step('sign out (device keys stay)', async () => {
      await page().signOut();
      check(deviceKey() === before && (await page().getSession()) === null, 'signed out, device kept');
      return [null, `session gone, device ${short(deviceKey())} kept`];
    });
    mark = fake.requests.length;
    await step('sign in again: no TOTP step', async () => {
      const result = await page().signIn({ username: 'ann@example.com', password });
      check(result.isSignedIn, 'signed in without TOTP');
      return [null, `DONE; ${sentSince(mark)}`];
    });
    await step('listDevices()', async () => {
      const { devices } = await page().listDevices();
      check(devices.length === 1 && devices[0]?.deviceKey === before, 'one device, this one');
      const [device] = devices;
      return [
        null,
        `${devices.length} device: "${device?.name}", ${device?.attributes['dev:device_remembered_status']}, created ${device?.createdAt?.toISOString()}`,
      ];
    });
    mark = fake.requests.length;
    await step('refresh (carries the device key)', async () => {
      const session = await page().getSession({ forceRefresh: true });
      const sent = fake.requests.at(-1)?.body.DeviceKey as string | undefined;
      check(session && sent === before, 'refreshed with the device key');
      return [null, `${sentSince(mark)} with DeviceKey ${short(sent)}`];
    });
    await step('forgetDevice()', async () => {
      await page().forgetDevice();
      check(deviceKey() === null, 'device keys removed');
      return [null, 'forgotten at Cognito and in this storage'];
    });
    await step('sign in again: TOTP is back', async () => {
      await page().signOut();
      const result = await page().signIn({ username: 'ann@example.com', password });
      check(
        !result.isSignedIn && result.nextStep.signInStep === 'CONFIRM_SIGN_IN_WITH_TOTP_CODE',
        'TOTP asked',
      );
      return [null, `next step ${result.nextStep.signInStep}: a new device`];
    });
  } finally {
    await server.close();
  }
}

main().catch(() => {
  process.exitCode = 1;
});

/**
 * Remembered devices in a real browser: a page bundled by esbuild from dist/ (as an app would
 * bundle the package), served on 127.0.0.1, driven in Debian's Chromium against the fake Cognito
 * over HTTP with device tracking "always" and TOTP MFA. The first sign-in asks for TOTP and
 * confirms the device in localStorage; after a reload, the next sign-in skips TOTP.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeCognito, startFakeCognitoServer } from '../fake-cognito/index.js';
import { totp } from '../helpers/totp.js';
import { assertBundledFromDist, bundlePage } from './builds.js';
import { BrowserSuite, closeContext, openContext, ROOT, type StaticServer, serveStatic } from './harness.js';

const PASSWORD = 'Correct-horse-1';

// The page's API: what the test calls with page.evaluate.
const ENTRY = `
import { CognitoClient } from 'cognito-kit';
const params = new URLSearchParams(location.search);
const client = new CognitoClient({
  userPoolId: params.get('pool'),
  clientId: params.get('client'),
  endpoint: params.get('endpoint'),
});
const outcome = (result) =>
  result.isSignedIn
    ? { step: 'DONE', deviceError: result.deviceError ? result.deviceError.code : null }
    : { step: result.nextStep.signInStep };
window.devicesApp = {
  signIn: (username, password) => client.signIn({ username, password }).then(outcome),
  confirm: (code) => client.confirmSignIn({ challengeResponse: code }).then(outcome),
  signOut: () => client.signOut(),
  devices: () => client.listDevices().then((page) => page.devices.map((d) => d.name)),
};
`;

const suite = new BrowserSuite({ workDir: 'devices', dist: true });
let site: StaticServer | undefined;
let fakeServer: { url: string; close(): Promise<void> } | undefined;
const fake = new FakeCognito({
  userPoolId: 'us-east-1_BrowserDev1',
  clientId: 'browserdeviceclient1',
  deviceTracking: 'always',
});
const { totpSecret = '' } = fake.addUser({ username: 'dev-user', password: PASSWORD, totp: true });

beforeAll(
  () =>
    suite.setUp(async (workDir) => {
      await writeFile(join(workDir, 'entry.js'), ENTRY);
      await writeFile(
        join(workDir, 'index.html'),
        '<!doctype html><link rel="icon" href="data:,"><script type="module" src="./main.js"></script>',
      );
      // `cognito-kit` is this package: its package.json points the bundler at dist/.
      const metafile = await bundlePage(join(workDir, 'entry.js'), workDir, {
        splitting: true,
        alias: { 'cognito-kit': ROOT },
      });
      assertBundledFromDist(metafile);
      site = await serveStatic(workDir);
      fakeServer = await startFakeCognitoServer(fake);
    }),
  90_000,
);

afterAll(() => suite.tearDown(site, fakeServer));

async function call<T>(page: Page, method: 'signIn' | 'confirm' | 'signOut' | 'devices', ...args: string[]) {
  return page.evaluate(
    ([name, values]) =>
      (window as unknown as { devicesApp: Record<string, (...a: string[]) => Promise<unknown>> }).devicesApp[
        name as string
      ]?.(...(values as string[])),
    [method, args] as const,
  ) as Promise<T>;
}

describe('remembered devices in Chromium', () => {
  it('skips the TOTP step after a reload once the device is remembered', async () => {
    const watched = await openContext(suite.browser);
    const page = await watched.context.newPage();
    const url = `${site?.url}?pool=${fake.userPoolId}&client=${fake.clientId}&endpoint=${encodeURIComponent(fakeServer?.url ?? '')}`;
    await page.goto(url);
    await page.waitForFunction(() => 'devicesApp' in window);

    expect(await call(page, 'signIn', 'dev-user', PASSWORD)).toEqual({
      step: 'CONFIRM_SIGN_IN_WITH_TOTP_CODE',
    });
    expect(await call(page, 'confirm', totp(totpSecret))).toEqual({ step: 'DONE', deviceError: null });
    const confirm = fake.requests.find((r) => r.target === 'ConfirmDevice');
    expect(confirm?.body.DeviceName).toBe('Chrome on Linux');
    const stored = await page.evaluate(() => ({ ...localStorage }));
    const prefix = `CognitoIdentityServiceProvider.${fake.clientId}.dev-user`;
    expect(stored[`${prefix}.deviceKey`]).toBe(confirm?.body.DeviceKey);
    expect(stored[`${prefix}.deviceGroupKey`]).toEqual(expect.any(String));
    expect(stored[`${prefix}.randomPasswordKey`]).toEqual(expect.any(String));
    await call(page, 'signOut');

    await page.reload();
    await page.waitForFunction(() => 'devicesApp' in window);
    fake.requests.length = 0;
    expect(await call(page, 'signIn', 'dev-user', PASSWORD)).toEqual({ step: 'DONE', deviceError: null });
    expect(
      fake.requests.map((r) => (r.target === 'RespondToAuthChallenge' ? r.body.ChallengeName : r.target)),
    ).toEqual(['InitiateAuth', 'PASSWORD_VERIFIER', 'DEVICE_SRP_AUTH', 'DEVICE_PASSWORD_VERIFIER']);
    expect(await call(page, 'devices')).toEqual(['Chrome on Linux']);
    await closeContext(watched);
  }, 60_000);
});

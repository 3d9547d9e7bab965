/**
 * Remembered devices in a real browser: a page bundled by esbuild from dist/ (as an app would
 * bundle the package), served on 127.0.0.1, driven in Debian's Chromium against the fake Cognito
 * over HTTP with device tracking "always" and TOTP MFA. The first sign-in asks for TOTP and
 * confirms the device in localStorage; after a reload, the next sign-in skips TOTP.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeCognito, startFakeCognitoServer } from '../fake-cognito/index.js';
import { totp } from '../helpers/totp.js';
import { ensureDist, launchChromium, ProblemLog, ROOT, type StaticServer, serveStatic } from './harness.js';

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

let browser: Browser | undefined;
let site: StaticServer | undefined;
let fakeServer: { url: string; close(): Promise<void> } | undefined;
let workDir: string | undefined;
let setupError: unknown;
const fake = new FakeCognito({
  userPoolId: 'us-east-1_BrowserDev1',
  clientId: 'browserdeviceclient1',
  deviceTracking: 'always',
});
const { totpSecret = '' } = fake.addUser({ username: 'dev-user', password: PASSWORD, totp: true });

beforeAll(async () => {
  try {
    browser = await launchChromium();
    await ensureDist();
    workDir = await mkdtemp(join(tmpdir(), 'cognito-kit-devices-'));
    await writeFile(join(workDir, 'entry.js'), ENTRY);
    await writeFile(
      join(workDir, 'index.html'),
      '<!doctype html><link rel="icon" href="data:,"><script type="module" src="./main.js"></script>',
    );
    const result = await build({
      entryPoints: { main: join(workDir, 'entry.js') },
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'browser',
      outdir: workDir,
      metafile: true,
      logLevel: 'silent',
      // `cognito-kit` is this package: its package.json points the bundler at dist/.
      alias: { 'cognito-kit': ROOT },
      absWorkingDir: ROOT,
    });
    if (!Object.keys(result.metafile.inputs).some((input) => input.startsWith('dist/'))) {
      throw new Error('the page was not bundled from dist/');
    }
    site = await serveStatic(workDir);
    fakeServer = await startFakeCognitoServer(fake);
  } catch (error) {
    setupError = error;
  }
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await Promise.all([site?.close(), fakeServer?.close()]);
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

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
    if (setupError) throw setupError;
    const context = await (browser as Browser).newContext();
    const problems = new ProblemLog();
    problems.watch(context);
    const page = await context.newPage();
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
    expect(problems.problems).toEqual([]);
    await context.close();
  }, 60_000);
});

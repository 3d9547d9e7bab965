// signInWithLoopback (cognito-kit/node): a CLI's sign-in through the browser, driven by Chromium
// through the stand-in's login page.
import { createServer } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CognitoClient, isCognitoError, memoryStorage, signInWithLoopback } from '../../src/node.js';
import { launchChromium } from '../browser/harness.js';
import { type HostedUi, startHostedUi } from '../helpers/hosted-ui.js';

let ui: HostedUi;
let browser: Browser;
let port: number;

/** A port free right now on 127.0.0.1 (the callback URL must name its port, as in Cognito). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port: free } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return free;
}

/** Resolves once nothing listens on 127.0.0.1:`p` any more. */
async function refused(p: number): Promise<boolean> {
  return fetch(`http://127.0.0.1:${p}/callback`).then(
    () => false,
    () => true,
  );
}

beforeAll(async () => {
  browser = await launchChromium();
  port = await freePort();
  ui = await startHostedUi({ redirectUris: [`http://localhost:${port}/callback`] });
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await ui?.close();
});

function cliClient() {
  return new CognitoClient({
    userPoolId: ui.userPoolId,
    clientId: ui.clientId,
    storage: memoryStorage(),
    endpoint: 'http://127.0.0.1:9/',
    oauth: ui.oauthOptions() as never,
  });
}

describe('signInWithLoopback', () => {
  it('signs in through the browser: loopback listener, login page, "close this tab" page, listener closed', async () => {
    const client = cliClient();
    const context = await browser.newContext();
    const page = await context.newPage();
    let opened = '';
    const result = await signInWithLoopback(client, {
      timeoutMs: 30_000,
      open: async (url) => {
        opened = url;
        await page.goto(url);
        await page.fill('#username', 'ann');
        await page.fill('#password', 'any');
        await page.click('#signin');
      },
    });
    expect(result.isSignedIn).toBe(true);
    expect(new URL(opened).searchParams.get('redirect_uri')).toBe(`http://localhost:${port}/callback`);
    await page.waitForSelector('text=You can close this tab');
    expect((await client.getSession())?.username).toBe('ann');
    expect(ui.requestsTo('/oauth2/token')).toHaveLength(1);
    expect(await refused(port)).toBe(true);
    await context.close();
  });

  it('refuses a callback with a wrong state (no request sent), keeps waiting, then times out and closes the listener', async () => {
    const client = cliClient();
    const before = ui.requestsTo('/oauth2/token').length;
    let forged: Response | undefined;
    const outcome = await signInWithLoopback(client, {
      timeoutMs: 1_000,
      open: async () => {
        forged = await fetch(`http://127.0.0.1:${port}/callback?code=stolen&state=not-ours`);
      },
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(forged?.status).toBe(400);
    expect(isCognitoError(outcome, 'TimeoutError')).toBe(true);
    expect(ui.requestsTo('/oauth2/token')).toHaveLength(before);
    expect(await refused(port)).toBe(true);
    // The abandoned sign-in is forgotten.
    expect(await client.getSession()).toBeNull();
  });

  it("rejects with the callback's error and closes the listener", async () => {
    const client = cliClient();
    const outcome = await signInWithLoopback(client, {
      open: async (url) => {
        const state = new URL(url).searchParams.get('state') ?? '';
        await fetch(`http://127.0.0.1:${port}/callback?error=access_denied&state=${state}`);
      },
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isCognitoError(outcome, 'access_denied')).toBe(true);
    expect(await refused(port)).toBe(true);
  });

  it('rejects options without a matching loopback callback before listening', async () => {
    const client = cliClient();
    for (const options of [
      { port: port + 1 },
      { path: '/other' },
      { timeoutMs: 0 },
      { open: 'x' },
      { extra: 1 },
    ]) {
      const error = await signInWithLoopback(client, options as never).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isCognitoError(error, 'InvalidParameterException')).toBe(true);
    }
  });
});

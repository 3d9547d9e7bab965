/**
 * Cookie shadowing in real Chromium: app.example.test and other.example.test both resolve to
 * 127.0.0.1 (`--host-resolver-rules`), so a script on the sibling host can set cookies for the
 * parent domain example.test, as an attacker on a sibling subdomain (or an old set-up with a Domain)
 * would. A new sign-in on the app host must win over them, and sign-out must leave none behind.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { build } from 'esbuild';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeCognito, startFakeCognitoServer } from '../fake-cognito/index.js';
import { BrowserSuite, ROOT, type StaticServer, serveStatic } from './harness.js';

const PASSWORD = 'Correct-Horse-1';
const PREFIX = 'CognitoIdentityServiceProvider.';

const suite = new BrowserSuite({
  workDir: 'cookie-shadowing',
  chromiumArgs: ['--host-resolver-rules=MAP *.example.test 127.0.0.1'],
});
let site: StaticServer | undefined;
let fakeServer: { url: string; close(): Promise<void> } | undefined;
let port = '';
const fake = new FakeCognito({ userPoolId: 'us-east-1_CookieShadow1', clientId: 'cookieshadowclient1' });

beforeAll(
  () =>
    suite.setUp(async (workDir) => {
      await build({
        entryPoints: { kit: join(ROOT, 'test/browser/fixtures/cookie-page.ts') },
        bundle: true,
        format: 'iife',
        platform: 'browser',
        outdir: workDir,
        logLevel: 'silent',
        absWorkingDir: ROOT,
      });
      await writeFile(
        join(workDir, 'index.html'),
        '<!doctype html><meta charset="utf-8"><title>cookies</title><script src="/kit.js"></script>',
      );
      // Every path (/account/settings too) is the same page.
      site = await serveStatic(workDir, { fallback: 'index.html' });
      port = new URL(site.url).port;
      fake.addUser({ username: 'ann', password: PASSWORD });
      fake.addUser({ username: 'mallory', password: 'Mallory-Pass-1' });
      fakeServer = await startFakeCognitoServer(fake);
    }),
  60_000,
);

afterAll(() => suite.tearDown(fakeServer, site));

const current = suite.contextPerTest();

const url = (host: 'app' | 'other', path = '/') => `http://${host}.example.test:${port}${path}`;

async function open(host: 'app' | 'other', path = '/'): Promise<Page> {
  const page = await current.context.newPage();
  await page.goto(url(host, path));
  await page.waitForFunction(() => typeof window.cookieKit === 'object');
  return page;
}

/** What the sibling host plants: cookies for the whole parent domain. */
async function plant(page: Page, cookies: Record<string, string>, path = '/'): Promise<void> {
  await page.evaluate(
    ([entries, cookiePath]) => {
      for (const [key, value] of entries) {
        // biome-ignore lint/suspicious/noDocumentCookie: the sibling subdomain's script
        document.cookie = `${encodeURIComponent(key)}=${encodeURIComponent(value)}; domain=example.test; path=${cookiePath}`;
      }
    },
    [Object.entries(cookies), path] as const,
  );
}

/** Our cookie names as the page sees them. */
function ourCookies(page: Page): Promise<string[]> {
  return page.evaluate(
    (prefix) =>
      document.cookie
        .split('; ')
        .filter((pair) => decodeURIComponent(pair).startsWith(prefix))
        .map((pair) => decodeURIComponent(pair.slice(0, pair.indexOf('=')))),
    PREFIX,
  );
}

/** A client on the app page, over cookieStorage, against the fake Cognito. */
function clientCall<T>(page: Page, action: 'signIn' | 'getSession' | 'signOut'): Promise<T> {
  return page.evaluate(
    async ([what, endpoint, userPoolId, clientId, password]) => {
      const client = new window.cookieKit.CognitoClient({
        userPoolId,
        clientId,
        endpoint,
        authFlow: 'USER_PASSWORD_AUTH',
        storage: window.cookieKit.cookieStorage({ secure: false }),
      });
      if (what === 'signIn') {
        const result = await client.signIn({ username: 'ann', password });
        return result.isSignedIn ? result.session.username : 'not signed in';
      }
      if (what === 'getSession') return (await client.getSession())?.username ?? null;
      await client.signOut();
      return null;
    },
    [action, fakeServer?.url ?? '', fake.userPoolId, fake.clientId, PASSWORD] as const,
  ) as Promise<T>;
}

function plantedSession(): Record<string, string> {
  const tokens = fake.issueTokens('mallory');
  const base = `${PREFIX}${fake.clientId}`;
  return {
    [`${base}.LastAuthUser`]: 'mallory',
    [`${base}.mallory.idToken`]: tokens.IdToken,
    [`${base}.mallory.accessToken`]: tokens.AccessToken,
    [`${base}.mallory.refreshToken`]: tokens.RefreshToken,
    [`${base}.mallory.clockDrift`]: '0',
  };
}

describe('cookieStorage with a sibling subdomain in real Chromium', () => {
  it("a new sign-in wins over the parent domain's session cookies, and sign-out leaves none", async () => {
    const sibling = await open('other');
    await plant(sibling, plantedSession());
    const app = await open('app');
    // Before the sign-in the planted session is visible: that is what a Domain cookie is for.
    expect(await clientCall(app, 'getSession')).toBe('mallory');

    expect(await clientCall(app, 'signIn')).toBe('ann');
    expect(await clientCall(app, 'getSession')).toBe('ann');
    await app.reload();
    await app.waitForFunction(() => typeof window.cookieKit === 'object');
    expect(await clientCall(app, 'getSession')).toBe('ann');
    expect(await ourCookies(app)).not.toContain(`${PREFIX}${fake.clientId}.mallory.idToken`);

    await clientCall(app, 'signOut');
    expect(await clientCall(app, 'getSession')).toBeNull();
    expect(await ourCookies(app)).toEqual([]);
    await sibling.reload();
    expect(await ourCookies(sibling)).toEqual([]);
    const left = await current.context.cookies([url('app'), url('other')]);
    expect(left.filter((cookie) => decodeURIComponent(cookie.name).startsWith(PREFIX))).toEqual([]);
  });

  it('a write under /account/settings clears same-named cookies of every path prefix and the parent domain', async () => {
    const sibling = await open('other', '/account/');
    const key = `${PREFIX}${fake.clientId}.LastAuthUser`;
    await plant(sibling, { [key]: 'mallory' }, '/account');
    await plant(sibling, { [key]: 'eve' }, '/');
    const app = await open('app', '/account/settings');
    const result = await app.evaluate((name) => {
      const storage = window.cookieKit.cookieStorage({ secure: false });
      const before = storage.getItem(name);
      storage.setItem(name, 'ann');
      const after = storage.getItem(name);
      const count = document.cookie
        .split('; ')
        .filter((pair) => pair.startsWith(encodeURIComponent(name))).length;
      storage.removeItem(name);
      return { before, after, count, removed: storage.getItem(name), cookie: document.cookie };
    }, key);
    expect(result).toEqual({ before: null, after: 'ann', count: 1, removed: null, cookie: '' });
    const left = await current.context.cookies([url('app', '/account/settings'), url('other', '/account/x')]);
    expect(left).toEqual([]);
  });
});

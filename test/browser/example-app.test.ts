/**
 * The package in a real browser: examples/browser bundled from dist/ by Vite (default production
 * config, no `global` define, no polyfill) and by esbuild, served on 127.0.0.1 and driven in Debian's
 * Chromium against cognito-local (USER_PASSWORD_AUTH) and the fake Cognito over HTTP (SRP).
 * Any page error or unexpected console error fails the test.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { BrowserContext, Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppEvent, SessionView } from '../../examples/browser/src/api.js';
import { FakeCognito, startFakeCognitoServer } from '../fake-cognito/index.js';
import { type CognitoLocal, startCognitoLocal } from '../helpers/cognito-local.js';
import { buildWithEsbuild, buildWithVite, type ExampleBuild } from './builds.js';
import { appValue, BrowserSuite, callApp, openApp, ROOT, type StaticServer, serveStatic } from './harness.js';

const BUNDLERS = ['vite', 'esbuild'] as const;
type Bundler = (typeof BUNDLERS)[number];
const PASSWORD = 'Correct-horse-1';
/** Access and ID token lifetime of the two-tab pool: refresh is due after half of it. */
const SHORT_LIFETIME_S = 4;
const KEY_PREFIX = 'CognitoIdentityServiceProvider.';

const suite = new BrowserSuite({ workDir: 'browser', dist: true });
let emulator: CognitoLocal | undefined;
let fakeServer: { url: string; close(): Promise<void> } | undefined;
const fake = new FakeCognito({ userPoolId: 'us-east-1_BrowserSrp1', clientId: 'browsersrpclient1' });
let pool: { userPoolId: string; clientId: string };
let shortPool: { userPoolId: string; clientId: string };
const builds = {} as Record<Bundler, ExampleBuild>;
const servers = {} as Record<Bundler, StaticServer>;

beforeAll(
  () =>
    suite.setUp(async (workDir) => {
      const [vite, esbuild, local] = await Promise.all([
        buildWithVite(join(workDir, 'vite')),
        buildWithEsbuild(join(workDir, 'esbuild')),
        startCognitoLocal(),
      ]);
      builds.vite = vite;
      builds.esbuild = esbuild;
      emulator = local;
      for (const bundler of BUNDLERS) servers[bundler] = await serveStatic(builds[bundler].dir);
      pool = await emulator.createPool();
      shortPool = await emulator.createPool({ accessTokenValiditySeconds: SHORT_LIFETIME_S });
      fake.addUser({ username: 'srp-user', password: PASSWORD });
      fakeServer = await startFakeCognitoServer(fake);
    }),
  90_000,
);

afterAll(async () => {
  await suite.tearDown(fakeServer, ...Object.values(servers));
  await emulator?.stop();
});

// Each test: fresh cookies, localStorage and Web Locks.
const current = suite.contextPerTest();

function appUrl(
  bundler: Bundler,
  params: { userPoolId: string; clientId: string; endpoint: string; authFlow?: string; storage?: string },
): string {
  const query = new URLSearchParams(
    Object.entries(params).filter(([, v]) => v !== undefined) as [string, string][],
  );
  return `${servers[bundler].url}?${query}`;
}

/** The emulator/fake requests of a context, by X-Amz-Target operation, seen at the network level. */
function recordCognitoRequests(target: BrowserContext): { operation: string; body: string }[] {
  const seen: { operation: string; body: string }[] = [];
  target.on('request', (request) => {
    const operation = request.headers()['x-amz-target'];
    if (request.method() === 'POST' && operation) {
      seen.push({
        operation: operation.replace('AWSCognitoIdentityProviderService.', ''),
        body: request.postData() ?? '',
      });
    }
  });
  return seen;
}

function isRefresh(request: Request): boolean {
  return (
    request.method() === 'POST' &&
    request.headers()['x-amz-target'] === 'AWSCognitoIdentityProviderService.InitiateAuth' &&
    (request.postData() ?? '').includes('"REFRESH_TOKEN_AUTH"')
  );
}

async function registerUser(
  target: { userPoolId: string; clientId: string },
  username: string,
): Promise<void> {
  if (!emulator) throw new Error('no emulator');
  await emulator.call('SignUp', {
    ClientId: target.clientId,
    Username: username,
    Password: PASSWORD,
    UserAttributes: [{ Name: 'email', Value: `${username}@example.com` }],
  });
  await emulator.call('AdminConfirmSignUp', { UserPoolId: target.userPoolId, Username: username });
}

const events = (page: Page): Promise<AppEvent[]> => page.evaluate(() => window.app.events);
const storedKeys = (page: Page): Promise<string[]> =>
  page.evaluate((prefix) => Object.keys(localStorage).filter((key) => key.startsWith(prefix)), KEY_PREFIX);

/** The keys of a signed-in session, sorted: amazon-cognito-identity-js's layout plus our login id. */
function sessionKeys(clientId: string, username: string): string[] {
  const prefix = `${KEY_PREFIX}${clientId}`;
  return [
    `${prefix}.LastAuthUser`,
    `${prefix}.${username}.accessToken`,
    `${prefix}.${username}.clockDrift`,
    `${prefix}.${username}.cognitoKit.loginId`,
    `${prefix}.${username}.idToken`,
    `${prefix}.${username}.refreshToken`,
  ].sort();
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(BUNDLERS)('examples/browser bundled by %s, in Chromium', (bundler) => {
  const unique = (name: string) => `${name}-${bundler}-${Date.now().toString(36)}`;

  it('signs up, confirms, signs in, restores the session after a reload, updates an attribute, signs out', async () => {
    if (!emulator) throw new Error('no emulator');
    const requests = recordCognitoRequests(current.context);
    const page = await current.context.newPage();
    await openApp(
      page,
      appUrl(bundler, { ...pool, endpoint: emulator.endpoint, authFlow: 'USER_PASSWORD_AUTH' }),
    );
    expect(await page.textContent('#status')).toBe('Signed out');

    const username = unique('ann');
    const signUp = await appValue(page, 'signUp', {
      username,
      password: PASSWORD,
      attributes: { email: `${username}@example.com`, 'custom:nickname': 'annie' },
    });
    expect(signUp.userConfirmed).toBe(false);
    expect(signUp.userSub).toMatch(/^[0-9a-f-]{36}$/);
    await appValue(page, 'confirmSignUp', username, emulator.code);
    expect(await appValue(page, 'signIn', username, PASSWORD)).toEqual({
      isSignedIn: true,
      signInStep: 'DONE',
    });

    const session = (await appValue(page, 'getSession')) as SessionView;
    expect(session.username).toBe(username);
    expect(session.idTokenClaims['custom:nickname']).toBe('annie');
    // The default storage in a browser is localStorage, in amazon-cognito-identity-js's key layout.
    expect((await storedKeys(page)).sort()).toEqual(sessionKeys(pool.clientId, username));
    expect(await page.textContent('#status')).toContain(`Signed in as ${username}`);
    if (bundler === 'vite') {
      await mkdir(join(ROOT, '.tmp'), { recursive: true });
      await page.screenshot({ path: join(ROOT, '.tmp/browser-example-signed-in.png'), fullPage: true });
    }

    // A reload restores the session from localStorage, without a request.
    const before = requests.length;
    await page.reload();
    await page.waitForFunction(() => typeof window.app === 'object');
    const restored = await page.evaluate(() => window.app.ready);
    expect(restored?.accessToken).toBe(session.accessToken);
    expect(requests.length).toBe(before);
    expect(await page.textContent('#status')).toContain(`Signed in as ${username}`);

    // New attribute values show up in the ID token claims of the next getSession (one refresh).
    // The client asks for GetTokensFromRefreshToken first; cognito-local answers 500 Unsupported
    // (which Chromium logs), and the client refreshes with REFRESH_TOKEN_AUTH.
    current.problems.allow(/status of 500 \(Internal Server Error\) \(http:\/\/127\.0\.0\.1:\d+\/\)$/);
    expect(await appValue(page, 'updateAttributes', { 'custom:nickname': 'nan' })).toEqual({
      'custom:nickname': { isUpdated: true },
    });
    const fresh = (await appValue(page, 'getSession')) as SessionView;
    expect(fresh.idTokenClaims['custom:nickname']).toBe('nan');
    expect(fresh.accessToken).not.toBe(session.accessToken);
    expect(requests.filter((r) => r.body.includes('"REFRESH_TOKEN_AUTH"'))).toHaveLength(1);

    await appValue(page, 'signOut');
    expect(await storedKeys(page)).toEqual([]);
    expect(await appValue(page, 'getSession')).toBeNull();
    expect(await page.textContent('#status')).toBe('Signed out');
    expect((await events(page)).map((e) => [e.name, e.detail])).toEqual([
      ['tokenRefreshed', undefined],
      ['signedOut', 'user'],
    ]);
    expect(requests.map((r) => r.operation)).toEqual([
      'SignUp',
      'ConfirmSignUp',
      'InitiateAuth',
      'UpdateUserAttributes',
      'GetTokensFromRefreshToken',
      'InitiateAuth',
    ]);
    // USER_PASSWORD_AUTH never loads the SRP code (amazon-cognito-identity-js is a lazy chunk).
    const { srpChunk } = builds[bundler];
    if (srpChunk) expect(servers[bundler].requests).not.toContain(`/${srpChunk}`);
  });

  it('two tabs refreshing due tokens at the same time send one refresh request and stay signed in', async () => {
    if (!emulator) throw new Error('no emulator');
    const username = unique('tabs');
    await registerUser(shortPool, username);
    const url = appUrl(bundler, {
      ...shortPool,
      endpoint: emulator.endpoint,
      authFlow: 'USER_PASSWORD_AUTH',
    });
    const tabA = await current.context.newPage();
    const tabB = await current.context.newPage();
    await Promise.all([openApp(tabA, url), openApp(tabB, url)]);
    await appValue(tabA, 'signIn', username, PASSWORD);
    const first = (await appValue(tabA, 'getSession')) as SessionView;
    // Tab B sees the sign-in through the shared localStorage.
    expect((await appValue(tabB, 'getSession'))?.accessToken).toBe(first.accessToken);

    // Hold the refresh request until both tabs have asked (and a little longer, so that the second
    // one is waiting for the lock): the tabs overlap however slow the machine is.
    const refreshes: number[] = [];
    // A new client asks for GetTokensFromRefreshToken first; cognito-local answers 500 Unsupported
    // (which Chromium logs), and the client refreshes with REFRESH_TOKEN_AUTH from then on.
    const probes: string[] = [];
    current.problems.allow(/status of 500 \(Internal Server Error\) \(http:\/\/127\.0\.0\.1:\d+\/\)$/);
    current.context.on('request', (request) => {
      if (isRefresh(request)) refreshes.push(Date.now());
      if (request.headers()['x-amz-target'] === 'AWSCognitoIdentityProviderService.GetTokensFromRefreshToken')
        probes.push(request.url());
    });
    const asked = (tab: Page) => tab.waitForFunction(() => document.body.dataset.asked === 'yes');
    await current.context.route(`${emulator.endpoint}**`, async (route) => {
      if (isRefresh(route.request())) {
        await Promise.all([asked(tabA), asked(tabB)]);
        await sleep(300);
      }
      await route.continue();
    });
    // Refresh is due at half the tokens' life (refreshMarginSeconds is capped there).
    const due = first.expiresAt - (SHORT_LIFETIME_S / 2) * 1000;
    await sleep(Math.max(0, due - Date.now() + 150));

    const ask = (tab: Page) =>
      tab.evaluate(async () => {
        const startedAt = Date.now();
        document.body.dataset.asked = 'yes';
        const session = await window.app.getSession();
        return { startedAt, finishedAt: Date.now(), accessToken: session?.accessToken ?? null };
      });
    const [a, b] = await Promise.all([ask(tabA), ask(tabB)]);

    expect(refreshes).toHaveLength(1);
    // Only the tab that refreshed asked the emulator for GetTokensFromRefreshToken; the other adopted.
    expect(probes).toHaveLength(1);
    // Both tabs asked before either had an answer: the Web Lock, not luck, kept it to one request.
    expect(Math.max(a.startedAt, b.startedAt)).toBeLessThan(Math.min(a.finishedAt, b.finishedAt));
    expect(a.accessToken).not.toBeNull();
    expect(a.accessToken).not.toBe(first.accessToken);
    expect(b.accessToken).toBe(a.accessToken);
    // One refresh: the tab that sent it hears tokenRefreshed at once; the tab that took its tokens
    // from the shared storage hears it too, once, when the session sync tells it (moments later).
    const refreshedIn = async (tab: Page) =>
      (await events(tab)).filter((e) => e.name === 'tokenRefreshed').length;
    await expect.poll(() => refreshedIn(tabA)).toBe(1);
    await expect.poll(() => refreshedIn(tabB)).toBe(1);
    const [eventsA, eventsB] = await Promise.all([events(tabA), events(tabB)]);
    expect(
      [...eventsA, ...eventsB].filter((e) => e.name === 'signedOut' || e.name === 'sessionExpired'),
    ).toEqual([]);
    expect(eventsA.filter((e) => e.name === 'tokenRefreshed')).toHaveLength(1);
    expect(eventsB.filter((e) => e.name === 'tokenRefreshed')).toHaveLength(1);
    await current.context.unrouteAll({ behavior: 'wait' });
  });

  it('cookieStorage(): the session lives in our cookies, survives a reload, and sign-out removes only ours', async () => {
    if (!emulator) throw new Error('no emulator');
    const username = unique('cookie');
    await registerUser(pool, username);
    const server = servers[bundler];
    await current.context.addCookies([{ name: 'foreign', value: 'keep-me', url: server.url }]);
    const page = await current.context.newPage();
    await openApp(
      page,
      appUrl(bundler, {
        ...pool,
        endpoint: emulator.endpoint,
        authFlow: 'USER_PASSWORD_AUTH',
        storage: 'cookie',
      }),
    );
    await page.evaluate(() => {
      // biome-ignore lint/suspicious/noDocumentCookie: a cookie of the page's own, set the way apps do
      document.cookie = 'theme=dark; path=/';
    });
    await appValue(page, 'signIn', username, PASSWORD);
    const session = await appValue(page, 'getSession');
    expect(session?.username).toBe(username);

    const prefix = `${KEY_PREFIX}${pool.clientId}`;
    const ours = sessionKeys(pool.clientId, username);
    const cookies = await current.context.cookies(server.url);
    expect(cookies.map((c) => c.name).sort()).toEqual([...ours, 'foreign', 'theme'].sort());
    const idCookie = cookies.find((c) => c.name === `${prefix}.${username}.idToken`);
    expect(idCookie).toMatchObject({ path: '/', sameSite: 'Lax', secure: false, httpOnly: false });
    expect(decodeURIComponent(idCookie?.value ?? '')).toBe(session?.idToken);
    // 30 days, Cognito's default refresh-token validity (not a year: the cookie must not outlive it).
    expect((idCookie?.expires ?? 0) * 1000).toBeGreaterThan(Date.now() + 29 * 86_400_000);
    expect((idCookie?.expires ?? 0) * 1000).toBeLessThanOrEqual(Date.now() + 30 * 86_400_000);
    expect(await page.evaluate(() => document.cookie)).toContain(
      `${encodeURIComponent(`${prefix}.LastAuthUser`)}=`,
    );
    expect(await storedKeys(page)).toEqual([]); // nothing in localStorage

    await page.reload();
    await page.waitForFunction(() => typeof window.app === 'object');
    expect((await page.evaluate(() => window.app.ready))?.accessToken).toBe(session?.accessToken);

    await appValue(page, 'signOut');
    expect(await appValue(page, 'getSession')).toBeNull();
    const left = await current.context.cookies(server.url);
    expect(left.map((c) => [c.name, c.value]).sort()).toEqual([
      ['foreign', 'keep-me'],
      ['theme', 'dark'],
    ]);
  });

  it('SRP sign-in (the default flow) against the fake Cognito: the right password signs in, a wrong one is NotAuthorizedException', async () => {
    if (!fakeServer) throw new Error('no fake Cognito server');
    const server = servers[bundler];
    // What makes this test prove the point: the bundled library reads a bare `global`, defined by nobody
    // but cognito-kit itself (no define, no polyfill in either build).
    expect(builds[bundler].readsBareGlobal).toBe(true);
    const firstRequest = fake.requests.length;
    const page = await current.context.newPage();
    await openApp(
      page,
      appUrl(bundler, { userPoolId: fake.userPoolId, clientId: fake.clientId, endpoint: fakeServer.url }),
    );
    expect(await page.evaluate(() => window.app.config?.authFlow)).toBe('USER_SRP_AUTH');

    // Chromium logs the expected 400 of the wrong password as a console error; nothing else may appear.
    const escaped = fakeServer.url.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    current.problems.allow(new RegExp(`status of 400 \\(Bad Request\\) \\(${escaped}\\)$`));
    const wrong = await callApp(page, 'signIn', 'srp-user', 'Wrong-password-1');
    expect(wrong).toMatchObject({
      ok: false,
      error: { name: 'CognitoError', code: 'NotAuthorizedException' },
    });
    expect(await page.textContent('#status')).toContain('NotAuthorizedException');

    expect(await appValue(page, 'signIn', 'srp-user', PASSWORD)).toEqual({
      isSignedIn: true,
      signInStep: 'DONE',
    });
    const session = await appValue(page, 'getSession');
    expect(session?.username).toBe('srp-user');
    expect(await page.textContent('#status')).toContain('Signed in as srp-user');

    const seen = fake.requests.slice(firstRequest);
    expect(seen.map((r) => [r.target, r.body?.AuthFlow ?? r.body?.ChallengeName])).toEqual([
      ['InitiateAuth', 'USER_SRP_AUTH'],
      ['RespondToAuthChallenge', 'PASSWORD_VERIFIER'],
      ['InitiateAuth', 'USER_SRP_AUTH'],
      ['RespondToAuthChallenge', 'PASSWORD_VERIFIER'],
    ]);
    expect(fake.internalErrors).toEqual([]);
    // The SRP code was loaded on demand, as its own chunk where the bundler splits.
    const { srpChunk } = builds[bundler];
    if (srpChunk) expect(server.requests).toContain(`/${srpChunk}`);
  });
});

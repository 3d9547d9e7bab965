/**
 * A session shared by Chromium and an Express server: the page (bundled with esbuild from src/)
 * signs in with cookieStorage, an Express route reads it through requestCookieStorage and refreshes
 * it when due, the page sees the refreshed cookies; sign-out on the server ends the page's session.
 * HttpOnly: the server signs in, refreshes and signs out while document.cookie shows no token.
 */
import { build } from 'esbuild';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeCognito, startFakeCognitoServer } from '../fake-cognito/index.js';
import { createExpressApp } from '../server/apps/express-app.js';
import { idTokenVerifier, listen } from '../server/support.js';
import { BrowserSuite, ROOT } from './harness.js';

const PASSWORD = 'Correct-Horse-1';
/** Token lifetime: refresh is due after half of it (the margin is capped at half the lifetime). */
const LIFETIME_S = 20;
const PREFIX = 'CognitoIdentityServiceProvider.';

const suite = new BrowserSuite();
let bundle = '';
const fake = new FakeCognito({
  userPoolId: 'us-east-1_ServerCookie1',
  clientId: 'servercookieclient1',
  accessTokenTtlSeconds: LIFETIME_S,
  idTokenTtlSeconds: LIFETIME_S,
});
/** The fake Cognito's server and every app's: closed after the file. */
const servers: { close(): Promise<void> }[] = [];
let cognitoUrl = '';

beforeAll(
  () =>
    suite.setUp(async () => {
      const served = await startFakeCognitoServer(fake);
      servers.push(served);
      cognitoUrl = served.url;
      const result = await build({
        entryPoints: [`${ROOT}test/browser/pages/cookie-session.ts`],
        bundle: true,
        format: 'esm',
        platform: 'browser',
        write: false,
        logLevel: 'silent',
      });
      bundle = result.outputFiles[0]?.text ?? '';
    }),
  120_000,
);

afterAll(() => suite.tearDown(...servers));

/** The Express app of the SSR recipe, also serving the page; returns its origin. */
async function startApp(cookies: { httpOnly?: boolean }): Promise<string> {
  const config = { userPoolId: fake.userPoolId, clientId: fake.clientId, endpoint: cognitoUrl };
  const app = createExpressApp(
    {
      client: { ...config, authFlow: 'USER_PASSWORD_AUTH' },
      // The page is on http://127.0.0.1, where the browser's cookieStorage writes no Secure flag.
      cookies: { secure: false, ...cookies },
      verify: idTokenVerifier(fake),
    },
    (express) => {
      express.get('/', (_req, res) => {
        res
          .type('html')
          .send(
            `<!doctype html><html><body><script type="application/json" id="config">${JSON.stringify(config)}</script><script type="module" src="/page.js"></script></body></html>`,
          );
      });
      express.get('/page.js', (_req, res) => {
        res.type('text/javascript').send(bundle);
      });
    },
  );
  const server = await listen(app);
  servers.push(server);
  return `${server.url}/`;
}

async function openPage(url: string): Promise<Page> {
  const context = await suite.browser.newContext();
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(url);
  await page.waitForSelector('body[data-ready="true"]', { state: 'attached' });
  expect(errors).toEqual([]);
  return page;
}

type App = {
  signIn(u: string, p: string): Promise<string | null>;
  accessToken(): Promise<string | null>;
  cookie(): string;
  call(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: Record<string, unknown> }>;
};
const app = <T>(page: Page, run: (app: App, arg: unknown) => Promise<T> | T, arg?: unknown): Promise<T> =>
  page.evaluate(
    ([source, value]) =>
      new Function('app', 'arg', `return (${source})(app, arg)`)(
        (window as never as { app: App }).app,
        value,
      ),
    [run.toString(), arg] as const,
  ) as Promise<T>;

const ourCookies = (cookie: string) =>
  cookie.split('; ').filter((c) => c.startsWith(encodeURIComponent(PREFIX)));

describe('Chromium and Express share one cookie session', () => {
  it('signs in in the page, refreshes on the server when due, and signs out on the server', async () => {
    const { sub } = fake.addUser({ username: 'page-user', password: PASSWORD });
    const page = await openPage(await startApp({}));
    const signedIn = await app(page, (a) => a.signIn('page-user', 'Correct-Horse-1'));
    expect(signedIn).toEqual(expect.any(String));
    expect(ourCookies(await app(page, (a) => a.cookie())).length).toBeGreaterThan(3);

    const first = await app(page, (a) => a.call('GET', '/api/me'));
    expect(first).toEqual({ status: 200, body: { signedIn: true, sub, accessToken: signedIn } });
    expect(fake.refreshCount()).toBe(0);

    // Wait until the tokens are inside the refresh margin (half their lifetime).
    await page.waitForTimeout((LIFETIME_S / 2) * 1000 + 500);
    const due = await app(page, (a) => a.call('GET', '/api/me'));
    expect(due.status).toBe(200);
    expect(due.body.accessToken).not.toBe(signedIn);
    expect(fake.refreshCount()).toBe(1);
    // The page reads the refreshed cookies: same tokens, no refresh of its own.
    expect(await app(page, (a) => a.accessToken())).toBe(due.body.accessToken);
    expect(fake.refreshCount()).toBe(1);

    expect((await app(page, (a) => a.call('POST', '/api/sign-out'))).status).toBe(204);
    expect(ourCookies(await app(page, (a) => a.cookie()))).toEqual([]);
    expect(await app(page, (a) => a.accessToken())).toBeNull();
    expect(fake.count('RevokeToken')).toBe(1);
  }, 60_000);

  it('keeps an HttpOnly session out of document.cookie while the server signs in, refreshes and signs out', async () => {
    const { sub } = fake.addUser({ username: 'http-only-user', password: PASSWORD });
    const page = await openPage(await startApp({ httpOnly: true }));
    const refreshes = fake.refreshCount();
    const signIn = await app(page, (a) =>
      a.call('POST', '/api/sign-in', { username: 'http-only-user', password: 'Correct-Horse-1' }),
    );
    expect(signIn).toEqual({ status: 200, body: { sub } });
    const stored = await page.context().cookies();
    expect(stored.filter((c) => c.name.startsWith(encodeURIComponent(PREFIX))).every((c) => c.httpOnly)).toBe(
      true,
    );
    expect(stored.length).toBeGreaterThan(3);
    expect(await app(page, (a) => a.cookie())).toBe('');
    expect(await app(page, (a) => a.accessToken())).toBeNull();

    expect((await app(page, (a) => a.call('POST', '/api/refresh'))).status).toBe(200);
    expect(fake.refreshCount()).toBe(refreshes + 1);
    expect((await app(page, (a) => a.call('GET', '/api/me'))).body).toMatchObject({ signedIn: true, sub });
    expect(await app(page, (a) => a.cookie())).toBe('');

    expect((await app(page, (a) => a.call('POST', '/api/sign-out'))).status).toBe(204);
    expect(await page.context().cookies()).toEqual([]);
    expect((await app(page, (a) => a.call('GET', '/api/me'))).status).toBe(401);
  }, 60_000);
});

/**
 * The hosted UI in a real browser: a small app bundled from dist/ by esbuild (no define), the
 * oidc-provider stand-in as the hosted UI. Every page only calls getSession(): the callback page
 * completes the sign-in through it. Any page error or console error fails the test.
 */
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HostedUi, signInThroughLoginPage, startHostedUi } from '../helpers/hosted-ui.js';
import { buildWithEsbuild, buildWithVite } from './builds.js';
import { BrowserSuite, closeContext, openContext, ROOT, type StaticServer, serveStatic } from './harness.js';

const APP_DIR = join(ROOT, 'test/browser/hosted-ui-app');
/** The login page and the app have no icon; Chromium asks for one. */
const NO_FAVICON = [/favicon\.ico/];

const suite = new BrowserSuite({ workDir: 'hosted-ui', dist: true });
let ui: HostedUi | undefined;

const BUNDLERS = ['esbuild', 'vite'] as const;
type Bundler = (typeof BUNDLERS)[number];
const apps = {} as Record<Bundler, StaticServer>;

beforeAll(
  () =>
    suite.setUp(async (workDir) => {
      const dirs = { esbuild: join(workDir, 'esbuild'), vite: join(workDir, 'vite') };
      await mkdir(dirs.esbuild);
      await buildWithEsbuild(dirs.esbuild, { root: APP_DIR, entry: 'main.ts', splitting: true });
      await buildWithVite(dirs.vite, APP_DIR);
      for (const bundler of BUNDLERS) {
        // The callback page is the same app.
        await copyFile(join(dirs[bundler], 'index.html'), join(dirs[bundler], 'callback.html'));
        apps[bundler] = await serveStatic(dirs[bundler]);
      }
      const urls = BUNDLERS.map((bundler) => apps[bundler].url);
      ui = await startHostedUi({
        redirectUris: urls.map((url) => `${url}callback.html`),
        postLogoutRedirectUris: urls,
      });
      for (const bundler of BUNDLERS) {
        const url = apps[bundler].url;
        await writeFile(
          join(dirs[bundler], 'config.json'),
          JSON.stringify({
            userPoolId: ui.userPoolId,
            clientId: ui.clientId,
            oauth: {
              domain: ui.url,
              redirectSignIn: [`${url}callback.html`],
              redirectSignOut: [url],
              issuer: ui.issuer,
            },
          }),
        );
      }
    }),
  180_000,
);

afterAll(() => suite.tearDown(...Object.values(apps), ui));

function ready(bundler: Bundler): { browser: Browser; app: StaticServer; ui: HostedUi } {
  const browser = suite.browser;
  const app = apps[bundler];
  if (!app || !ui) throw new Error('set-up did not finish');
  return { browser, app, ui };
}

async function statusOf(page: Page): Promise<string> {
  await page.waitForFunction(() => document.querySelector('#status')?.textContent !== 'loading');
  return (await page.textContent('#status')) ?? '';
}

describe.each(BUNDLERS)('hosted UI in Chromium (%s build, no define)', (bundler) => {
  it('signs in with redirect, completes the callback by getSession() alone, keeps the session on reload, signs out through /logout', async () => {
    const { browser, app, ui } = ready(bundler);
    ui.requests.length = 0;
    const watched = await openContext(browser, NO_FAVICON);
    const page = await watched.context.newPage();

    await page.goto(app.url);
    expect(await statusOf(page)).toBe('signed out');
    // No OAuth code was downloaded by a page that only asked for the session.
    expect(app.requests.some((path) => /oauth|refresh|jwks/i.test(path))).toBe(false);

    await Promise.all([
      page.waitForURL(`${ui.url}/interaction/**`),
      page.evaluate(() => window.hostedApp.signIn('/after')),
    ]);
    await page.fill('#username', 'ann');
    await page.fill('#password', 'any');
    await Promise.all([page.waitForURL(`${app.url}callback.html*`), page.click('#signin')]);

    expect(await statusOf(page)).toBe('signed in as ann');
    // code and state are gone from the address bar.
    expect(page.url()).toBe(`${app.url}callback.html`);
    expect(ui.requestsTo('/oauth2/token')).toHaveLength(1);

    await page.reload();
    expect(await statusOf(page)).toBe('signed in as ann');
    expect(ui.requestsTo('/oauth2/token')).toHaveLength(1);

    await Promise.all([page.waitForURL(app.url), page.evaluate(() => window.hostedApp.signOut())]);
    expect(await statusOf(page)).toBe('signed out');
    expect(ui.requestsTo('/oauth2/revoke')).toHaveLength(1);
    expect(ui.requestsTo('/logout').map((r) => r.query)).toEqual([
      { client_id: ui.clientId, logout_uri: app.url },
    ]);
    const stored = await page.evaluate(() => Object.keys(localStorage));
    expect(stored.filter((key) => key.startsWith('CognitoIdentityServiceProvider.'))).toEqual([]);
    await closeContext(watched);
  });

  it('a callback opened in another browser context (no pending sign-in there) leaves the page signed out, never hanging', async () => {
    const { browser, app, ui } = ready(bundler);
    ui.requests.length = 0;
    const starter = await browser.newContext();
    const page = await starter.newPage();
    await page.goto(app.url);
    await statusOf(page);
    // The sign-in starts in this context; the hosted UI's answer is opened in another one.
    const callbackUrl = await signInThroughLoginPage(await page.evaluate(() => window.hostedApp.signInUrl()));
    expect(callbackUrl).toContain('code=');
    const tokenRequests = ui.requestsTo('/oauth2/token').length;

    const other = await openContext(browser, NO_FAVICON);
    const second = await other.context.newPage();
    await second.goto(callbackUrl);
    // No pending sign-in in this storage: getSession() does not try the code, handleRedirect() says why.
    expect(await statusOf(second)).toBe('signed out');
    expect(ui.requestsTo('/oauth2/token')).toHaveLength(tokenRequests);
    await starter.close();
    await closeContext(other);
  });
});

/**
 * The hosted UI in a real browser: a small app bundled from dist/ by esbuild (no define), the
 * oidc-provider stand-in as the hosted UI. Every page only calls getSession(): the callback page
 * completes the sign-in through it. Any page error or console error fails the test.
 */
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HostedUi, signInThroughLoginPage, startHostedUi } from '../helpers/hosted-ui.js';
import {
  buildWithVite,
  ensureDist,
  launchChromium,
  ProblemLog,
  ROOT,
  type StaticServer,
  serveStatic,
} from './harness.js';

const APP_DIR = join(ROOT, 'test/browser/hosted-ui-app');

let browser: Browser | undefined;
let workDir: string | undefined;
let ui: HostedUi | undefined;
let setupError: unknown;

const BUNDLERS = ['esbuild', 'vite'] as const;
type Bundler = (typeof BUNDLERS)[number];
const apps = {} as Record<Bundler, StaticServer>;

async function buildEsbuild(outDir: string): Promise<void> {
  const result = await build({
    entryPoints: { main: join(APP_DIR, 'main.ts') },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    minify: true,
    splitting: true,
    outdir: outDir,
    metafile: true,
    logLevel: 'silent',
    absWorkingDir: ROOT,
  });
  if (!Object.keys(result.metafile.inputs).includes('dist/index.js')) {
    throw new Error('the esbuild bundle did not take cognito-kit from dist/index.js');
  }
  const html = await readFile(join(APP_DIR, 'index.html'), 'utf8');
  await writeFile(join(outDir, 'index.html'), html.replace('src="./main.ts"', 'src="./main.js"'));
}

beforeAll(async () => {
  try {
    browser = await launchChromium();
    await ensureDist();
    workDir = await mkdtemp(join(tmpdir(), 'cognito-kit-hosted-ui-'));
    const dirs = { esbuild: join(workDir, 'esbuild'), vite: join(workDir, 'vite') };
    await mkdir(dirs.esbuild);
    await buildEsbuild(dirs.esbuild);
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
  } catch (error) {
    setupError = error;
  }
}, 180_000);

afterAll(async () => {
  await browser?.close();
  for (const server of Object.values(apps)) await server.close();
  await ui?.close();
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

function ready(bundler: Bundler): { browser: Browser; app: StaticServer; ui: HostedUi } {
  if (setupError) throw setupError;
  const app = apps[bundler];
  if (!browser || !app || !ui) throw new Error('set-up did not finish');
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
    const context = await browser.newContext();
    const problems = new ProblemLog();
    problems.watch(context);
    // The login page and the app have no icon; Chromium asks for one.
    problems.allow(/favicon\.ico/);
    const page = await context.newPage();

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
    expect(problems.problems).toEqual([]);
    await context.close();
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

    const other = await browser.newContext();
    const problems = new ProblemLog();
    problems.watch(other);
    problems.allow(/favicon\.ico/);
    const second = await other.newPage();
    await second.goto(callbackUrl);
    // No pending sign-in in this storage: getSession() does not try the code, handleRedirect() says why.
    expect(await statusOf(second)).toBe('signed out');
    expect(ui.requestsTo('/oauth2/token')).toHaveLength(tokenRequests);
    expect(problems.problems).toEqual([]);
    await starter.close();
    await other.close();
  });
});

/**
 * examples/react in Debian's Chromium: type-checked against the built package, built with Vite's
 * default production build (its JSX through Vite's own transform, no React plugin), served on
 * 127.0.0.1 and driven against the fake Cognito over HTTP. The page shows "loading" until the
 * session is known (here: until a due refresh has settled), then the signed-in user; a sign-out in
 * another tab switches it to the sign-in form.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { promisify } from 'node:util';
import type { Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeCognito, startFakeCognitoServer } from '../fake-cognito/index.js';
import { type ViteChunk, viteBuild } from './builds.js';
import { BrowserSuite, ROOT, type StaticServer, serveStatic } from './harness.js';

const run = promisify(execFile);
const EXAMPLE = join(ROOT, 'examples/react');
const PASSWORD = 'Correct-horse-1';
/** Token lifetime: the refresh falls due at half of it. */
const LIFETIME_S = 4;

const suite = new BrowserSuite({ workDir: 'react', dist: true });
let site: StaticServer | undefined;
let cognito: { url: string; close(): Promise<void> } | undefined;
let chunks: ViteChunk[] = [];
let typeCheck: { code: number; output: string } | undefined;
let outDir = '';
const fake = new FakeCognito({
  userPoolId: 'us-east-1_ReactApp1',
  clientId: 'reactappclient1',
  accessTokenTtlSeconds: LIFETIME_S,
  idTokenTtlSeconds: LIFETIME_S,
});

beforeAll(
  () =>
    suite.setUp(async (workDir) => {
      outDir = join(workDir, 'dist');
      const tsc = join(ROOT, 'node_modules/typescript/bin/tsc');
      // A plain `vite build` (with the example's config file), beside the example's type check.
      const [built, checked] = await Promise.all([
        viteBuild(EXAMPLE, outDir),
        run(process.execPath, [tsc, '--noEmit', '-p', join(EXAMPLE, 'tsconfig.json'), '--pretty', 'false'], {
          cwd: ROOT,
        }).then(
          ({ stdout }) => ({ code: 0, output: stdout }),
          (error: { code?: number; stdout?: string }) => ({
            code: error.code ?? 1,
            output: error.stdout ?? '',
          }),
        ),
      ]);
      chunks = built;
      typeCheck = checked;
      site = await serveStatic(outDir);
      fake.addUser({ username: 'ann', password: PASSWORD });
      cognito = await startFakeCognitoServer(fake);
    }),
  120_000,
);

afterAll(() => suite.tearDown(site, cognito));

const current = suite.contextPerTest({ afterEach: () => expect(fake.internalErrors).toEqual([]) });

const appUrl = () =>
  `${site?.url}?${new URLSearchParams({
    userPoolId: fake.userPoolId,
    clientId: fake.clientId,
    endpoint: cognito?.url ?? '',
    authFlow: 'USER_PASSWORD_AUTH',
  })}`;
const isRefresh = (request: Request) =>
  request.method() === 'POST' &&
  (request.headers()['x-amz-target']?.endsWith('.GetTokensFromRefreshToken') ||
    (request.postData() ?? '').includes('"REFRESH_TOKEN_AUTH"'));
const heading = (tab: Page) => tab.textContent('#root h1, #root p');

describe('examples/react', () => {
  it('type-checks against the built package and bundles cognito-kit and cognito-kit/react from dist/', async () => {
    expect(typeCheck).toEqual({ code: 0, output: '' });
    const ids = chunks.flatMap((chunk) => chunk.moduleIds);
    expect(ids).toContain(join(ROOT, 'dist', 'react.js'));
    expect(ids.some((id) => id.startsWith(join(ROOT, 'src') + sep))).toBe(false);
    const main = chunks.find((chunk) => chunk.moduleIds.some((id) => id.endsWith('main.tsx')));
    const code = await readFile(join(outDir, main?.fileName ?? 'missing'), 'utf8');
    expect(code).toContain('useSyncExternalStore');
  });

  it('shows loading until the due refresh settles, then the user; a sign-out in another tab shows the sign-in form', async () => {
    const tabA = await current.context.newPage();
    await tabA.goto(appUrl());
    await tabA.waitForSelector('form[aria-label="Sign in"]');
    await tabA.fill('input[name=username]', 'ann');
    await tabA.fill('input[name=password]', PASSWORD);
    await tabA.click('button[type=submit]');
    await tabA.waitForSelector('text=Signed in as ann');

    // Hold tab B's refresh: until it settles, B has no session to show, only "loading".
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let refreshes = 0;
    await current.context.route(`${cognito?.url}**`, async (route) => {
      if (isRefresh(route.request())) {
        refreshes++;
        await held;
      }
      await route.continue();
    });
    // The tokens fall due at half their life (tab A, with autoRefresh, may start the refresh
    // first; either way one tab refreshes under the storage lock and the other takes its tokens).
    await new Promise((resolve) => setTimeout(resolve, (LIFETIME_S / 2) * 1000 + 300));
    const tabB = await current.context.newPage();
    await tabB.goto(appUrl());
    await expect.poll(() => refreshes).toBe(1);
    expect(await heading(tabB)).toBe('loading');
    release();
    await tabB.waitForSelector('text=Signed in as ann');
    expect(refreshes).toBe(1);
    await current.context.unrouteAll({ behavior: 'wait' });

    // Sign out in A: B switches to the sign-in form (told through the shared storage, no request).
    await tabA.click('text=Sign out');
    await tabA.waitForSelector('form[aria-label="Sign in"]');
    await tabB.waitForSelector('form[aria-label="Sign in"]');
    expect(await heading(tabB)).toBe('Sign in');
  });
});

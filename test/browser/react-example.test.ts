/**
 * examples/react in Debian's Chromium: type-checked against the built package, built with Vite's
 * default production build (its JSX through Vite's own transform, no React plugin), served on
 * 127.0.0.1 and driven against the fake Cognito over HTTP. The page shows "loading" until the
 * session is known (here: until a due refresh has settled), then the signed-in user; a sign-out in
 * another tab switches it to the sign-in form.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { promisify } from 'node:util';
import type { Browser, BrowserContext, Page, Request } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakeCognito, startFakeCognitoServer } from '../fake-cognito/index.js';
import { ensureDist, launchChromium, ProblemLog, ROOT, type StaticServer, serveStatic } from './harness.js';

const run = promisify(execFile);
const EXAMPLE = join(ROOT, 'examples/react');
const PASSWORD = 'Correct-horse-1';
/** Token lifetime: the refresh falls due at half of it. */
const LIFETIME_S = 4;

// A plain `vite build` in its own process (no vitest module state), with the example's config file.
const VITE_SCRIPT = `
import { build } from 'vite';
const [root, outDir] = process.argv.slice(1);
const result = await build({ root, logLevel: 'warn', build: { outDir, emptyOutDir: true } });
const chunks = (Array.isArray(result) ? result : [result]).flatMap((r) => r.output).filter((o) => o.type === 'chunk');
process.stdout.write('\\n' + JSON.stringify(chunks.map((c) => ({ fileName: c.fileName, moduleIds: c.moduleIds }))));
`;

let browser: Browser | undefined;
let workDir: string | undefined;
let site: StaticServer | undefined;
let cognito: { url: string; close(): Promise<void> } | undefined;
let chunks: { fileName: string; moduleIds: string[] }[] = [];
let typeCheck: { code: number; output: string } | undefined;
const fake = new FakeCognito({
  userPoolId: 'us-east-1_ReactApp1',
  clientId: 'reactappclient1',
  accessTokenTtlSeconds: LIFETIME_S,
  idTokenTtlSeconds: LIFETIME_S,
});
let setupError: unknown;

beforeAll(async () => {
  try {
    browser = await launchChromium();
    await ensureDist();
    workDir = await mkdtemp(join(tmpdir(), 'cognito-kit-react-'));
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const name of Object.keys(env))
      if (name === 'NODE_ENV' || name.startsWith('VITEST')) delete env[name];
    const tsc = join(ROOT, 'node_modules/typescript/bin/tsc');
    const [built, checked] = await Promise.all([
      run(process.execPath, ['--input-type=module', '-e', VITE_SCRIPT, EXAMPLE, join(workDir, 'dist')], {
        cwd: ROOT,
        env,
        maxBuffer: 16 * 1024 * 1024,
      }),
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
    chunks = JSON.parse(built.stdout.slice(built.stdout.lastIndexOf('\n') + 1));
    typeCheck = checked;
    site = await serveStatic(join(workDir, 'dist'));
    fake.addUser({ username: 'ann', password: PASSWORD });
    cognito = await startFakeCognitoServer(fake);
  } catch (error) {
    setupError = error;
  }
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await Promise.all([site?.close(), cognito?.close()]);
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

let context: BrowserContext;
let problems: ProblemLog;

beforeEach(async () => {
  if (setupError) throw setupError;
  if (!browser) throw new Error('Chromium did not start');
  context = await browser.newContext();
  problems = new ProblemLog();
  problems.watch(context);
});

afterEach(async () => {
  if (setupError) return;
  try {
    expect(problems.problems, 'page errors / console errors').toEqual([]);
    expect(fake.internalErrors).toEqual([]);
  } finally {
    await context?.close();
  }
});

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
    const code = await readFile(join(workDir ?? '', 'dist', main?.fileName ?? 'missing'), 'utf8');
    expect(code).toContain('useSyncExternalStore');
  });

  it('shows loading until the due refresh settles, then the user; a sign-out in another tab shows the sign-in form', async () => {
    const tabA = await context.newPage();
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
    await context.route(`${cognito?.url}**`, async (route) => {
      if (isRefresh(route.request())) {
        refreshes++;
        await held;
      }
      await route.continue();
    });
    // The tokens fall due at half their life (tab A, with autoRefresh, may start the refresh
    // first; either way one tab refreshes under the storage lock and the other takes its tokens).
    await new Promise((resolve) => setTimeout(resolve, (LIFETIME_S / 2) * 1000 + 300));
    const tabB = await context.newPage();
    await tabB.goto(appUrl());
    await expect.poll(() => refreshes).toBe(1);
    expect(await heading(tabB)).toBe('loading');
    release();
    await tabB.waitForSelector('text=Signed in as ann');
    expect(refreshes).toBe(1);
    await context.unrouteAll({ behavior: 'wait' });

    // Sign out in A: B switches to the sign-in form (told through the shared storage, no request).
    await tabA.click('text=Sign out');
    await tabA.waitForSelector('form[aria-label="Sign in"]');
    await tabB.waitForSelector('form[aria-label="Sign in"]');
    expect(await heading(tabB)).toBe('Sign in');
  });
});

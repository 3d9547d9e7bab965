/**
 * How the browser tests run: Debian's Chromium driven by playwright-core, built pages served over
 * HTTP on 127.0.0.1, page and console errors collected per context, and a file's one-time set-up
 * (BrowserSuite). The builds themselves are in builds.ts.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterEach, beforeEach, expect } from 'vitest';
import type { ExampleApp } from '../../examples/browser/src/api.js';

const run = promisify(execFile);

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const CHROMIUM = '/usr/bin/chromium';

/** Builds dist/ with tsup when it is missing (npm test builds it first; a lone vitest run may not). */
export async function ensureDist(): Promise<void> {
  if (existsSync(join(ROOT, 'dist/index.js'))) return;
  await run(process.execPath, [join(ROOT, 'node_modules/tsup/dist/cli-default.js')], { cwd: ROOT });
  if (!existsSync(join(ROOT, 'dist/index.js'))) throw new Error('npx tsup did not produce dist/index.js');
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
};

export interface StaticServer {
  /** 'http://127.0.0.1:<port>/' */
  url: string;
  /** Paths requested so far. */
  requests: string[];
  close(): Promise<void>;
}

/**
 * Serves `dir` on 127.0.0.1 (a free port), `/` being index.html. With `fallback`, a path with no
 * file is answered with that file (as a single-page app's server does), not 404.
 */
export async function serveStatic(dir: string, options: { fallback?: string } = {}): Promise<StaticServer> {
  const requests: string[] = [];
  const base = resolve(dir);
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
    requests.push(path);
    const file = normalize(join(base, path === '/' ? 'index.html' : path));
    if (file !== base && !file.startsWith(base + sep)) {
      res.writeHead(403).end();
      return;
    }
    const send = (served: string, body: Buffer) => {
      res.writeHead(200, {
        'content-type': TYPES[extname(served)] ?? 'application/octet-stream',
        'cache-control': 'no-store',
      });
      res.end(body);
    };
    const notFound = () => res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    readFile(file).then(
      (body) => send(file, body),
      () => {
        if (options.fallback === undefined) return notFound();
        const fallback = join(base, options.fallback);
        return readFile(fallback).then((body) => send(fallback, body), notFound);
      },
    );
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => ok());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}

/**
 * Launches Debian's Chromium; a missing browser is an error, never a reason to skip. `extraArgs`
 * adds flags (for example `--host-resolver-rules` to serve several host names from 127.0.0.1).
 */
export async function launchChromium(extraArgs: readonly string[] = []): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `The browser tests need Debian's Chromium at ${CHROMIUM} (CI=${process.env.CI ?? 'unset'}). ` +
        'Install it with `apt-get update && apt-get install -y chromium` (.ci/run does); ' +
        'never download a browser with `npx playwright install`.',
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      ...extraArgs,
    ],
  });
}

/** Page errors and console errors of every page of a context, for the test to assert on. */
export class ProblemLog {
  readonly problems: string[] = [];
  readonly #allowed: RegExp[] = [];

  watch(context: BrowserContext): void {
    context.on('page', (page) => this.#watchPage(page));
    for (const page of context.pages()) this.#watchPage(page);
  }

  /** Tolerates console errors matching `pattern` (a request the test expects to fail, e.g. HTTP 400). */
  allow(pattern: RegExp): void {
    this.#allowed.push(pattern);
  }

  #watchPage(page: Page): void {
    page.on('pageerror', (error) => this.problems.push(`pageerror: ${error.stack ?? error.message}`));
    page.on('crash', () => this.problems.push('page crashed'));
    page.on('console', (message) => {
      if (message.type() !== 'error') return;
      const where = message.location().url;
      const text = `console.error: ${message.text()}${where ? ` (${where})` : ''}`;
      if (!this.#allowed.some((pattern) => pattern.test(text))) this.problems.push(text);
    });
  }
}

/** A browser context and the log of its pages' errors. */
export interface WatchedContext {
  context: BrowserContext;
  problems: ProblemLog;
}

/**
 * A fresh context (its own cookies, localStorage and Web Locks) whose page errors and console
 * errors are logged, but for those matching `allowed` (requests the test expects to fail).
 */
export async function openContext(
  browser: Browser,
  allowed: readonly RegExp[] = [],
): Promise<WatchedContext> {
  const context = await browser.newContext();
  const problems = new ProblemLog();
  for (const pattern of allowed) problems.allow(pattern);
  problems.watch(context);
  return { context, problems };
}

/** Closes a context from {@link openContext}, then fails the test on any error its pages logged. */
export async function closeContext({ context, problems }: WatchedContext): Promise<void> {
  await context.close();
  expect(problems.problems, 'page errors / console errors').toEqual([]);
}

type Closable = { close(): Promise<void> } | undefined;

/**
 * What the tests of one browser test file share: Chromium, a work directory for builds, and the
 * outcome of the file's one-time set-up. vitest reports the tests of a throwing beforeAll as
 * skipped, and a missing browser is never a skip: `setUp` keeps the error, and every test fails
 * with it when it asks for `browser`.
 */
export class BrowserSuite {
  readonly #options: { workDir?: string; dist?: boolean; chromiumArgs?: readonly string[] };
  #browser: Browser | undefined;
  #workDir: string | undefined;
  #failed = false;
  #error: unknown;

  /**
   * `workDir`: make a temporary directory `cognito-kit-<workDir>-…` (removed by `tearDown`);
   * `dist`: build dist/ when it is missing; `chromiumArgs`: extra flags for {@link launchChromium}.
   */
  constructor(options: { workDir?: string; dist?: boolean; chromiumArgs?: readonly string[] } = {}) {
    this.#options = options;
  }

  /**
   * Launches Chromium first (a missing browser fails at once, with its message), then builds dist/
   * and makes the work directory as asked, then runs the file's own `steps` (given the work
   * directory, or '' without one). Never throws: the error waits for the tests.
   */
  async setUp(steps: (workDir: string) => Promise<void>): Promise<void> {
    try {
      this.#browser = await launchChromium(this.#options.chromiumArgs);
      if (this.#options.dist) await ensureDist();
      if (this.#options.workDir) {
        this.#workDir = await mkdtemp(join(tmpdir(), `cognito-kit-${this.#options.workDir}-`));
      }
      await steps(this.#workDir ?? '');
    } catch (error) {
      this.#failed = true;
      this.#error = error;
    }
  }

  /** The browser; throws the set-up's error if it failed. */
  get browser(): Browser {
    if (this.#failed) throw this.#error;
    if (!this.#browser) throw new Error('Chromium did not start');
    return this.#browser;
  }

  /** Ends what the set-up started, however far it got: Chromium, then `servers` at once, then the work directory. */
  async tearDown(...servers: Closable[]): Promise<void> {
    await this.#browser?.close();
    await Promise.all(servers.map((server) => server?.close()));
    if (this.#workDir) await rm(this.#workDir, { recursive: true, force: true });
  }

  /**
   * Registers the hooks that give each test a fresh context from {@link openContext} (the set-up's
   * error, if any, fails the test first); after it, the context is closed and the test fails on its
   * pages' errors, then on `afterEach` (the file's own checks). The returned object holds the
   * current test's context and problem log.
   */
  contextPerTest(options: { allowed?: readonly RegExp[]; afterEach?: () => void } = {}): WatchedContext {
    const current = {} as WatchedContext;
    beforeEach(async () => {
      Object.assign(current, await openContext(this.browser, options.allowed));
    });
    afterEach(async () => {
      if (this.#failed) return;
      await closeContext(current);
      options.afterEach?.();
    });
    return current;
  }
}

type Methods = {
  [K in keyof ExampleApp as ExampleApp[K] extends (...args: never[]) => unknown ? K : never]: ExampleApp[K];
};

/** What a `window.app` call gave: its value, or the rejection's name/code/message. */
export type Outcome<T> =
  | { ok: true; value: T }
  | { ok: false; error: { name: string; code?: string; message: string } };

/** Calls `window.app[method](...args)` in the page; a rejection comes back as `{ ok: false, error }`. */
export function callApp<M extends keyof Methods>(
  page: Page,
  method: M,
  ...args: Parameters<Methods[M]>
): Promise<Outcome<Awaited<ReturnType<Methods[M]>>>> {
  return page.evaluate(
    async ([name, params]) => {
      try {
        const app = window.app as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>;
        const method = app[name];
        if (typeof method !== 'function') throw new TypeError(`window.app.${name} is not a function`);
        return { ok: true as const, value: await method(...params) };
      } catch (e) {
        const error = e as { name?: string; code?: string; message?: string };
        return {
          ok: false as const,
          error: { name: String(error.name), code: error.code, message: String(error.message) },
        };
      }
    },
    [method, args] as [string, unknown[]],
  ) as Promise<Outcome<Awaited<ReturnType<Methods[M]>>>>;
}

/** Like {@link callApp}, but a rejection fails the test with the page's error. */
export async function appValue<M extends keyof Methods>(
  page: Page,
  method: M,
  ...args: Parameters<Methods[M]>
): Promise<Awaited<ReturnType<Methods[M]>>> {
  const outcome = await callApp(page, method, ...args);
  if (!outcome.ok) {
    throw new Error(
      `window.app.${method} rejected: ${outcome.error.code ?? outcome.error.name}: ${outcome.error.message}`,
    );
  }
  return outcome.value;
}

/** Opens the example and waits until it has restored (or not) the stored session. */
export async function openApp(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.waitForFunction(() => typeof window.app === 'object');
  await page.evaluate(() => window.app.ready);
}

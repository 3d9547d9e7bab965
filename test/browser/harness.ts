/**
 * Builds examples/browser against the built package (dist, through package.json "exports"), serves
 * the result over HTTP on 127.0.0.1 and drives Debian's Chromium with playwright-core.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { build as esbuild } from 'esbuild';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import type { ExampleApp } from '../../examples/browser/src/api.js';

const run = promisify(execFile);

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const EXAMPLE_DIR = join(ROOT, 'examples/browser');
export const CHROMIUM = '/usr/bin/chromium';

/** What a build produced, as far as the tests care. */
export interface ExampleBuild {
  bundler: 'vite' | 'esbuild';
  dir: string;
  /** Output file (relative to `dir`) holding amazon-cognito-identity-js when it is a chunk of its own. */
  srpChunk: string | undefined;
  /** The bundled SRP code reads a bare `global` (buffer@4), which browsers lack: SRP proves it is defined. */
  readsBareGlobal: boolean;
}

const BARE_GLOBAL = /(?<![\w$.])global\.TYPED_ARRAY_SUPPORT/;

/** Builds dist/ with tsup when it is missing (npm test builds it first; a lone vitest run may not). */
export async function ensureDist(): Promise<void> {
  if (existsSync(join(ROOT, 'dist/index.js'))) return;
  await run(process.execPath, [join(ROOT, 'node_modules/tsup/dist/cli-default.js')], { cwd: ROOT });
  if (!existsSync(join(ROOT, 'dist/index.js'))) throw new Error('npx tsup did not produce dist/index.js');
}

// Run in a separate Node process: a plain production build, exactly what `vite build` does, without
// the NODE_ENV=test and module state of the vitest worker. Only root and outDir are set: no define,
// no polyfill, no alias (`cognito-kit` resolves to the package itself through its "exports").
const VITE_SCRIPT = `
import { build } from 'vite';
const [root, outDir] = process.argv.slice(1);
const result = await build({ root, logLevel: 'warn', build: { outDir, emptyOutDir: true } });
const chunks = (Array.isArray(result) ? result : [result]).flatMap((r) => r.output).filter((o) => o.type === 'chunk');
process.stdout.write('\\n' + JSON.stringify(chunks.map((c) => ({ fileName: c.fileName, moduleIds: c.moduleIds }))));
`;

/** Builds `root` (default examples/browser: its index.html and what it loads) with Vite into `outDir`. */
export async function buildWithVite(outDir: string, root = EXAMPLE_DIR): Promise<ExampleBuild> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of Object.keys(env)) if (name === 'NODE_ENV' || name.startsWith('VITEST')) delete env[name];
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', VITE_SCRIPT, root, outDir], {
    cwd: ROOT,
    env,
    maxBuffer: 16 * 1024 * 1024,
  });
  const chunks = JSON.parse(stdout.slice(stdout.lastIndexOf('\n') + 1)) as {
    fileName: string;
    moduleIds: string[];
  }[];
  // dist/index.js only re-exports, so the bundler drops it; its chunks must be there, src/ must not.
  const ids = chunks.flatMap((chunk) => chunk.moduleIds);
  if (
    !ids.some((id) => id.startsWith(join(ROOT, 'dist') + sep)) ||
    ids.some((id) => id.startsWith(join(ROOT, 'src') + sep))
  ) {
    throw new Error('the Vite build did not take cognito-kit from dist/');
  }
  const srp = chunks.find((chunk) =>
    chunk.moduleIds.some((id) => id.includes('/node_modules/amazon-cognito-identity-js/')),
  );
  const srpCode = srp ? await readFile(join(outDir, srp.fileName), 'utf8') : '';
  return {
    bundler: 'vite',
    dir: outDir,
    srpChunk: srp?.fileName,
    readsBareGlobal: BARE_GLOBAL.test(srpCode),
  };
}

export async function buildWithEsbuild(outDir: string): Promise<ExampleBuild> {
  const result = await esbuild({
    entryPoints: { main: join(EXAMPLE_DIR, 'src/main.ts') },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    minify: true,
    outdir: outDir,
    metafile: true,
    logLevel: 'silent',
    absWorkingDir: ROOT,
  });
  if (!Object.keys(result.metafile.inputs).includes('dist/index.js')) {
    throw new Error('the esbuild bundle did not take cognito-kit from dist/index.js');
  }
  const html = await readFile(join(EXAMPLE_DIR, 'index.html'), 'utf8');
  if (!html.includes('src="./src/main.ts"'))
    throw new Error('examples/browser/index.html: script tag not found');
  await writeFile(join(outDir, 'index.html'), html.replace('src="./src/main.ts"', 'src="./main.js"'));
  const code = await readFile(join(outDir, 'main.js'), 'utf8');
  return { bundler: 'esbuild', dir: outDir, srpChunk: undefined, readsBareGlobal: BARE_GLOBAL.test(code) };
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

/** Serves `dir` on 127.0.0.1 (a free port), `/` being index.html. */
export async function serveStatic(dir: string): Promise<StaticServer> {
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
    readFile(file).then(
      (body) => {
        res.writeHead(200, {
          'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
          'cache-control': 'no-store',
        });
        res.end(body);
      },
      () => res.writeHead(404, { 'content-type': 'text/plain' }).end('not found'),
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

// What users install is correct everywhere: the packed tarball, installed into a throw-away
// consumer project, imported from ESM and CommonJS, type-checked by TypeScript under node16 and
// bundler resolution, and bundled. One tarball and one install serve every case; the consumer
// processes and compilers run in parallel, started in beforeAll.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import {
  copyFile,
  mkdir,
  mkdtemp,
  readFile,
  realpath,
  rename,
  rm,
  symlink,
  writeFile,
} from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { builtinModules } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { goodUsage, goodUsageCjs, mustNotCompile } from './typescript-cases.js';

/** How the build reaches amazon-cognito-identity-js: two of its files, through package.json's "imports". */
const LIBRARY_FILES = ['#cognito-kit/authentication-helper', '#cognito-kit/date-helper'];

const repo = fileURLToPath(new URL('../..', import.meta.url));
const fixtures = fileURLToPath(new URL('./consumer', import.meta.url));
const tscBin = join(repo, 'node_modules', 'typescript', 'bin', 'tsc');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const distFiles = [
  'index.js',
  'index.cjs',
  'index.d.ts',
  'index.d.cts',
  'node.js',
  'node.cjs',
  'node.d.ts',
  'node.d.cts',
  'server.js',
  'server.cjs',
  'server.d.ts',
  'server.d.cts',
  'react.js',
  'react.cjs',
  'react.d.ts',
  'react.d.cts',
];

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

// Under `npm test`, npm exports its config (npm_config_local_prefix, …) to the environment; a child
// npm would honour it and install into the repository. Children get a clean environment.
const cleanEnv = Object.fromEntries(
  Object.entries(process.env).filter(([name]) => !name.toLowerCase().startsWith('npm_')),
) as NodeJS.ProcessEnv;

function run(
  command: string,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv = {},
  timeout = 60_000,
): Promise<Run> {
  return new Promise((done) => {
    execFile(
      command,
      args,
      { cwd, env: { ...cleanEnv, ...env }, timeout, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        done({ code, stdout: String(stdout), stderr: String(stderr) });
      },
    );
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Built code without its comments (which may quote import lines from examples). */
function stripComments(code: string): string {
  return code.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
}

type How = 'static' | 'dynamic' | 'require';

/** Every module specifier a built file loads: static, dynamic and `require`. */
function specifiers(code: string): { specifier: string; how: How }[] {
  const found: { specifier: string; how: How }[] = [];
  const patterns: [RegExp, How][] = [
    [/\b(?:import|export)\s[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]/g, 'static'],
    [/\bimport\s*['"]([^'"]+)['"]/g, 'static'],
    [/\bimport\s*\(\s*['"`]([^'"`]+)['"`]\s*\)/g, 'dynamic'],
    [/\brequire\s*\(\s*['"`]([^'"`]+)['"`]\s*\)/g, 'require'],
  ];
  for (const [pattern, how] of patterns) {
    for (const match of code.matchAll(pattern)) found.push({ specifier: match[1] as string, how });
  }
  return found;
}

/**
 * The entry and every file it reaches through relative specifiers; with `eagerOnly`, only through
 * static imports (what evaluates as soon as the entry is imported). Missing files map to `null`.
 */
async function moduleGraph(entry: string, { eagerOnly = false } = {}): Promise<Map<string, string | null>> {
  const graph = new Map<string, string | null>();
  const queue = [entry];
  for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
    if (graph.has(file)) continue;
    const code = existsSync(file) ? stripComments(await readFile(file, 'utf8')) : null;
    graph.set(file, code);
    for (const { specifier, how } of specifiers(code ?? '')) {
      if (specifier.startsWith('.') && !(eagerOnly && how === 'dynamic'))
        queue.push(resolve(dirname(file), specifier));
    }
  }
  return graph;
}

interface Diagnostic {
  file: string;
  code: string;
  message: string;
}

/** tsc's `--pretty false` output as diagnostics (continuation lines joined to their diagnostic). */
function diagnosticsOf(result: Run): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const line of result.stdout.split('\n')) {
    const match = /^(.+?)\(\d+,\d+\): error (TS\d+): (.*)$/.exec(line);
    const last = diagnostics[diagnostics.length - 1];
    if (match)
      diagnostics.push({ file: match[1] as string, code: match[2] as string, message: match[3] as string });
    else if (line.trim() !== '' && last) last.message += `\n${line}`;
    else if (line.trim() !== '') diagnostics.push({ file: '', code: 'unparsed', message: line });
  }
  expect(result.code === 0, result.stdout + result.stderr).toBe(diagnostics.length === 0);
  return diagnostics;
}

const strictOptions = {
  target: 'ES2022',
  lib: ['ES2022', 'DOM'],
  types: [],
  strict: true,
  exactOptionalPropertyTypes: true,
  noUncheckedIndexedAccess: true,
  // Our declaration files are checked as a consumer's compiler sees them (TypeScript's own lib
  // files are not: that only costs time).
  skipLibCheck: false,
  skipDefaultLibCheck: true,
  noEmit: true,
};

const badSources = Object.fromEntries(
  Object.entries(mustNotCompile).map(([file, { source }]) => [file, source]),
);

let tmp: string;
let consumer: string;
let packed: { filename: string; files: { path: string }[] };
let installMode: 'npm install --offline' | 'extracted tarball';
let server: Server;
const requests: { target: string | undefined; body: Record<string, unknown> }[] = [];
let esmRun: Promise<Run>;
let cjsRun: Promise<Run>;
let typeChecks: Record<'node16' | 'bundler' | 'nodeOnly', Promise<Run>>;

const installed = (...path: string[]) => join(consumer, 'node_modules', 'cognito-kit', ...path);

/** Packs the repository and installs the tarball into a fresh consumer project under `dir`. */
async function packAndInstall(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  // prepack builds the API reference (typedoc) first: slower than the other children on a busy machine.
  const pack = await run(npm, ['pack', '--json', '--pack-destination', dir], repo, {}, 240_000);
  if (pack.code !== 0) throw new Error(`npm pack failed (${pack.code}):\n${pack.stderr}\n${pack.stdout}`);
  // prepack (the API reference) may print before npm's JSON: it starts at the first line that is '['.
  [packed] = JSON.parse(pack.stdout.slice(pack.stdout.search(/^\[/m)));
  const tarball = join(dir, packed.filename);
  consumer = join(dir, 'consumer');
  await mkdir(consumer);
  await writeFile(
    join(consumer, 'package.json'),
    JSON.stringify({ name: 'consumer', private: true, type: 'module' }),
  );
  const install = await run(
    npm,
    ['install', '--offline', '--no-audit', '--no-fund', '--no-package-lock', '--prefix', consumer, tarball],
    consumer,
  );
  if (install.code === 0) {
    installMode = 'npm install --offline';
    return;
  }
  // No usable npm cache: unpack the tarball where npm would, and borrow the repository's copy of
  // the one runtime dependency.
  installMode = 'extracted tarball';
  const modules = join(consumer, 'node_modules');
  await mkdir(modules, { recursive: true });
  const untar = await run('tar', ['-xzf', tarball, '-C', dir], dir);
  if (untar.code !== 0) throw new Error(`tar failed:\n${untar.stderr}`);
  await rm(join(modules, 'cognito-kit'), { recursive: true, force: true });
  await rename(join(dir, 'package'), join(modules, 'cognito-kit'));
  await symlink(
    await realpath(join(repo, 'node_modules', 'amazon-cognito-identity-js')),
    join(modules, 'amazon-cognito-identity-js'),
    'dir',
  );
}

/** Every entry is there and every chunk it loads too (a concurrent rebuild can tear dist/ apart). */
async function installComplete(): Promise<boolean> {
  if (!distFiles.every((file) => existsSync(installed('dist', file)))) return false;
  for (const entry of ['index.js', 'index.cjs', 'node.js', 'node.cjs']) {
    const graph = await moduleGraph(installed('dist', entry));
    if ([...graph.values()].includes(null)) return false;
  }
  return true;
}

async function writeTypeScriptProject(name: string, compilerOptions: object, files: Record<string, string>) {
  const dir = join(consumer, name);
  await mkdir(dir, { recursive: true });
  for (const [file, source] of Object.entries(files)) await writeFile(join(dir, file), source);
  const tsconfig = join(dir, 'tsconfig.json');
  const config = { compilerOptions: { ...strictOptions, ...compilerOptions }, files: Object.keys(files) };
  await writeFile(tsconfig, JSON.stringify(config));
  return tsconfig;
}

const typeCheck = (tsconfig: string) =>
  run(process.execPath, [tscBin, '-p', tsconfig, '--pretty', 'false'], consumer);

beforeAll(async () => {
  tmp = await realpath(await mkdtemp(join(tmpdir(), 'cognito-kit-import-')));
  for (let attempt = 1; ; attempt++) {
    if (!distFiles.every((file) => existsSync(join(repo, 'dist', file)))) {
      const build = await run(npm, ['exec', '--no', '--', 'tsup'], repo);
      if (build.code !== 0) throw new Error(`tsup failed:\n${build.stdout}\n${build.stderr}`);
    }
    await packAndInstall(join(tmp, `attempt-${attempt}`));
    if (await installComplete()) break;
    if (attempt === 3)
      throw new Error('dist/ kept changing while it was packed (a build running alongside?)');
    await sleep(3_000);
  }

  for (const file of ['esm.mjs', 'cjs.cjs', 'no-global.mjs'])
    await copyFile(join(fixtures, file), join(consumer, file));

  server = createServer((request, response) => {
    let raw = '';
    request.on('data', (chunk) => {
      raw += chunk;
    });
    request.on('end', () => {
      requests.push({ target: request.headers['x-amz-target'] as string | undefined, body: JSON.parse(raw) });
      response.writeHead(400, { 'Content-Type': 'application/x-amz-json-1.1' });
      response.end(
        JSON.stringify({ __type: 'NotAuthorizedException', message: 'Incorrect username or password.' }),
      );
    });
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;

  const consumerEnv = (name: string) => ({
    COGNITO_ENDPOINT: endpoint,
    TOKEN_FILE: join(tmp, name, 'tokens.json'),
    COGNITO_USERNAME: `ann-${name}`,
  });
  esmRun = run(process.execPath, ['--import', './no-global.mjs', 'esm.mjs'], consumer, consumerEnv('esm'));
  cjsRun = run(process.execPath, ['cjs.cjs'], consumer, consumerEnv('cjs'));
  const projects = await Promise.all([
    writeTypeScriptProject(
      'ts-node16',
      { module: 'node16', moduleResolution: 'node16' },
      { 'good.ts': goodUsage, 'good-cjs.cts': goodUsageCjs, ...badSources },
    ),
    writeTypeScriptProject(
      'ts-bundler',
      { module: 'esnext', moduleResolution: 'bundler' },
      { 'good.ts': goodUsage, ...badSources },
    ),
    writeTypeScriptProject(
      'ts-node-only',
      { module: 'node16', moduleResolution: 'node16', lib: ['ES2022'] },
      { 'good.ts': goodUsageCjs },
    ),
  ]);
  typeChecks = {
    node16: typeCheck(projects[0]),
    bundler: typeCheck(projects[1]),
    nodeOnly: typeCheck(projects[2]),
  };
}, 300_000);

afterAll(async () => {
  // Let every child finish before its directory goes.
  await Promise.allSettled([esmRun, cjsRun, ...Object.values(typeChecks ?? {})]);
  await new Promise((closed) => (server ? server.close(closed) : closed(undefined)));
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

/** The JSON line a consumer script prints last. */
function report(result: Run): Record<string, unknown> {
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  const lines = result.stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1] ?? '{}');
}

const contractExports = [
  'CognitoClient',
  'CognitoError',
  'cookieStorage',
  'isCognitoError',
  'memoryStorage',
  'webStorage',
];
const internalNames = [
  'fileStorage',
  'defaultBrowserStorage',
  'webLock',
  'toCognitoError',
  'invalidParameter',
  'Emitter',
];

function expectRuntimeReport(observed: Record<string, unknown>): void {
  expect(observed).toMatchObject({
    isCognitoError: true,
    errorName: 'CognitoError',
    fileStorage: 'function',
    mainHasFileStorage: false,
    nodeReexportsMain: true,
    fileRoundTrip: 'v',
    session: null,
    signIn: { isCognitoError: true, code: 'NotAuthorizedException', status: 400, retryable: false },
    missingPoolId: 'InvalidParameterException',
  });
  expect(observed.mainExports).toEqual(expect.arrayContaining(contractExports));
  for (const name of internalNames) expect(observed.mainExports).not.toContain(name);
}

/** The AuthParameters of the consumer's SRP InitiateAuth. */
function signInParameters(username: string): Record<string, unknown> {
  const initiate = requests.find(
    (request) =>
      request.target === 'AWSCognitoIdentityProviderService.InitiateAuth' &&
      (request.body.AuthParameters as Record<string, unknown> | undefined)?.USERNAME === username,
  );
  expect(initiate?.body).toMatchObject({ AuthFlow: 'USER_SRP_AUTH', ClientId: '1example23456789' });
  return (initiate?.body.AuthParameters ?? {}) as Record<string, unknown>;
}

describe('the packed tarball', () => {
  it('ships the built entries, their types and the licence, nothing else', () => {
    const paths = packed.files.map((file) => file.path);
    for (const file of distFiles) expect(paths).toContain(`dist/${file}`);
    expect(paths).toContain('package.json');
    expect(paths).toContain('LICENSE');
    const allowed =
      /^(dist\/[^/]+\.(js|cjs|d\.ts|d\.cts)|docs\/[^/]+\.md|docs\/api\/.+|package\.json|README\.md|CHANGELOG\.md|CONTRIBUTING\.md|LICENSE)$/;
    expect(paths.filter((path) => !allowed.test(path))).toEqual([]);
  });

  it('ships the guides and the built API reference', () => {
    const paths = packed.files.map((file) => file.path);
    expect(paths).toContain('docs/api/index.html');
    expect(paths).toContain('docs/local-development.md');
    expect(paths).toContain('docs/react.md');
  });

  // On npm (and in node_modules) a relative link works only if its target is in the tarball.
  it('has no relative link, in the README or a shipped guide, to a file the tarball does not contain', async () => {
    const paths = new Set(packed.files.map((file) => file.path));
    const pages = [...paths].filter((path) => path === 'README.md' || /^docs\/[^/]+\.md$/.test(path));
    expect(pages).toContain('README.md');
    const broken: string[] = [];
    let checked = 0;
    for (const page of pages) {
      // Links inside fenced code blocks are code, not links.
      const text = (await readFile(installed(page), 'utf8')).replace(/^```[\s\S]*?^```/gm, '');
      for (const [, target = ''] of text.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
        if (/^[a-z][a-z+.-]*:/i.test(target) || target.startsWith('#')) continue;
        const file = target.split('#')[0] ?? '';
        const resolved = join(dirname(page), decodeURIComponent(file)).split('\\').join('/');
        checked++;
        if (!paths.has(resolved) && !paths.has(`${resolved.replace(/\/$/, '')}/index.html`)) {
          broken.push(`${page}: ${target}`);
        }
      }
    }
    expect(broken).toEqual([]);
    expect(checked).toBeGreaterThan(20);
  });

  it('installs into a consumer project with one runtime dependency', async () => {
    const manifest = JSON.parse(await readFile(installed('package.json'), 'utf8'));
    const own = JSON.parse(await readFile(join(repo, 'package.json'), 'utf8'));
    expect(manifest.version).toBe(own.version);
    expect(manifest.sideEffects).toBe(false);
    expect(Object.keys(manifest.dependencies ?? {})).toEqual(['amazon-cognito-identity-js']);
    expect(['npm install --offline', 'extracted tarball']).toContain(installMode);
  });
});

describe('an ESM consumer', () => {
  it('imports cognito-kit and cognito-kit/node, and signs in over SRP with no `global` defined', async () => {
    const observed = report(await esmRun);
    expectRuntimeReport(observed);
    // Importing and constructing touch no global; only the lazy SRP load defines `global` itself.
    expect(observed.globalAtStart).toBe('undefined');
    expect(observed.globalAfterConstruct).toBe('undefined');
    expect(signInParameters('ann-esm').SRP_A).toMatch(/^[0-9a-f]{256,}$/);
  });
});

describe('a CommonJS consumer', () => {
  it('requires cognito-kit, cognito-kit/node and the manifest, and signs in over SRP', async () => {
    const observed = report(await cjsRun);
    expectRuntimeReport(observed);
    expect(signInParameters('ann-cjs').SRP_A).toMatch(/^[0-9a-f]{256,}$/);
  });
});

const builtins = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));

describe('the isomorphic entries (cognito-kit, cognito-kit/server)', () => {
  it.each(['index.js', 'index.cjs', 'server.js', 'server.cjs'])(
    '%s and every chunk it loads import no Node built-in',
    async (entry) => {
      const graph = await moduleGraph(installed('dist', entry));
      expect(graph.size).toBeGreaterThan(1);
      for (const [file, code] of graph) {
        const name = relative(installed(), file);
        expect(code, `${name} is missing`).not.toBeNull();
        expect(code, `${name} mentions a node: module`).not.toMatch(/['"`]node:/);
        const loaded = specifiers(code ?? '').map(({ specifier }) => specifier);
        expect(
          loaded.filter((specifier) => builtins.has(specifier)),
          name,
        ).toEqual([]);
        expect(
          loaded.filter((specifier) => !specifier.startsWith('.') && !LIBRARY_FILES.includes(specifier)),
          name,
        ).toEqual([]);
      }
    },
  );

  it('has no require() in its ESM build and loads amazon-cognito-identity-js only lazily', async () => {
    const loadsLibrary = (code: string | null) =>
      specifiers(code ?? '').some(({ specifier }) => LIBRARY_FILES.includes(specifier));
    const all = await moduleGraph(installed('dist', 'index.js'));
    for (const [file, code] of all) expect(code, relative(installed(), file)).not.toMatch(/\brequire\s*\(/);
    expect([...all.values()].some(loadsLibrary)).toBe(true);
    const eager = await moduleGraph(installed('dist', 'index.js'), { eagerOnly: true });
    expect(
      [...eager].filter(([, code]) => loadsLibrary(code)).map(([file]) => relative(installed(), file)),
    ).toEqual([]);
  });

  it('is tree-shaken away by a bundler when unused (sideEffects: false)', async () => {
    const { build } = await import('esbuild');
    const bundle = (contents: string) =>
      build({
        stdin: { contents, resolveDir: consumer, loader: 'js' },
        bundle: true,
        write: false,
        format: 'esm',
        platform: 'browser',
        logLevel: 'silent',
      });
    const unused = await bundle(`import 'cognito-kit';`);
    expect(unused.outputFiles[0]?.text.trim()).toBe('');
    const small = await bundle(`export { isCognitoError } from 'cognito-kit';`);
    const text = small.outputFiles[0]?.text ?? '';
    expect(text).toContain('CognitoError');
    expect(text).not.toContain('amazon-cognito-identity-js');
    expect(text).not.toContain('CognitoIdentityServiceProvider');
  });
});

describe('cognito-kit/react', () => {
  it.each(['react.js', 'react.cjs'])(
    '%s loads react and nothing of the client (no second copy)',
    async (entry) => {
      const graph = await moduleGraph(installed('dist', entry));
      const external = [...graph.values()].flatMap((code) =>
        specifiers(code ?? '')
          .map(({ specifier }) => specifier)
          .filter((specifier) => !specifier.startsWith('.')),
      );
      expect([...new Set(external)]).toEqual(['react']);
      for (const [file, code] of graph) {
        expect(code, relative(installed(), file)).not.toContain('CognitoIdentityServiceProvider');
      }
    },
  );

  it('is not loaded by the other entries', async () => {
    for (const entry of ['index.js', 'index.cjs', 'node.js', 'node.cjs']) {
      for (const [file, code] of await moduleGraph(installed('dist', entry))) {
        expect(code, relative(installed(), file)).not.toMatch(/useSyncExternalStore|['"]react['"]/);
      }
    }
  });
});

const baseName = (file: string): string => file.split(/[\\/]/).pop() ?? '';

/** Correct files and our .d.ts files: no diagnostic; each must-not-compile file: exactly its codes. */
function expectOnlyPlannedErrors(diagnostics: Diagnostic[]): void {
  const unexpected = diagnostics.filter((diagnostic) => !(baseName(diagnostic.file) in mustNotCompile));
  expect(unexpected).toEqual([]);
  for (const [file, { codes, message }] of Object.entries(mustNotCompile)) {
    const found = diagnostics.filter((diagnostic) => baseName(diagnostic.file) === file);
    expect(
      found.map((diagnostic) => diagnostic.code),
      `${file} must fail with ${codes.join(', ')}`,
    ).toEqual(codes);
    if (message) expect(found.map((diagnostic) => diagnostic.message).join('\n'), file).toContain(message);
  }
}

describe('a TypeScript consumer', () => {
  it('type-checks under module node16, from ESM and CommonJS, and rejects misuse', async () => {
    expectOnlyPlannedErrors(diagnosticsOf(await typeChecks.node16));
  });

  it('type-checks under moduleResolution bundler, and rejects misuse', async () => {
    expectOnlyPlannedErrors(diagnosticsOf(await typeChecks.bundler));
  });

  // Our .d.ts must not need the DOM typings (webStorage takes a structural WebStorageLike).
  it('type-checks in a Node-only project without the DOM lib', async () => {
    expect(diagnosticsOf(await typeChecks.nodeOnly)).toEqual([]);
  });
});

/**
 * Builds of the pages the browser tests open: examples/browser and test pages, by Vite (a plain
 * `vite build` in its own process) and by esbuild, taking cognito-kit from dist/ as an app would.
 */
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { promisify } from 'node:util';
import { type BuildOptions, build as esbuild, type Metafile } from 'esbuild';
import { ROOT } from './harness.js';

const run = promisify(execFile);

export const EXAMPLE_DIR = join(ROOT, 'examples/browser');

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

// Run in a separate Node process: a plain production build, exactly what `vite build` does, without
// the NODE_ENV=test and module state of the vitest worker. Only root and outDir are set: no define,
// no polyfill, no alias (`cognito-kit` resolves to the package itself through its "exports"); a
// vite.config file in `root` is read, as `vite build` would.
const VITE_SCRIPT = `
import { build } from 'vite';
const [root, outDir] = process.argv.slice(1);
const result = await build({ root, logLevel: 'warn', build: { outDir, emptyOutDir: true } });
const chunks = (Array.isArray(result) ? result : [result]).flatMap((r) => r.output).filter((o) => o.type === 'chunk');
process.stdout.write('\\n' + JSON.stringify(chunks.map((c) => ({ fileName: c.fileName, moduleIds: c.moduleIds }))));
`;

/** An output chunk of a Vite build: its file (relative to outDir) and the modules it holds. */
export interface ViteChunk {
  fileName: string;
  moduleIds: string[];
}

/** Builds `root` (its index.html and what it loads) with `vite build` into `outDir`; returns the chunks. */
export async function viteBuild(root: string, outDir: string): Promise<ViteChunk[]> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of Object.keys(env)) if (name === 'NODE_ENV' || name.startsWith('VITEST')) delete env[name];
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', VITE_SCRIPT, root, outDir], {
    cwd: ROOT,
    env,
    maxBuffer: 16 * 1024 * 1024,
  });
  return JSON.parse(stdout.slice(stdout.lastIndexOf('\n') + 1)) as ViteChunk[];
}

/** Builds `root` (default examples/browser) with Vite into `outDir`, checking it took cognito-kit from dist/. */
export async function buildWithVite(outDir: string, root = EXAMPLE_DIR): Promise<ExampleBuild> {
  const chunks = await viteBuild(root, outDir);
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

/**
 * Bundles a test page for the browser with esbuild, as an app's bundler would (ESM; `cognito-kit`
 * resolves through the package's "exports" to dist/), into `outDir` as main.js (and its chunks,
 * with `splitting`). Returns esbuild's metafile.
 */
export async function bundlePage(
  entry: string,
  outDir: string,
  options: Pick<BuildOptions, 'splitting' | 'minify' | 'alias'> = {},
): Promise<Metafile> {
  const result = await esbuild({
    entryPoints: { main: entry },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    outdir: outDir,
    metafile: true,
    logLevel: 'silent',
    absWorkingDir: ROOT,
    ...options,
  });
  return result.metafile;
}

/** Throws unless an esbuild bundle took cognito-kit from dist/index.js (the built package, not src/). */
export function assertBundledFromDist(metafile: Metafile): void {
  if (!Object.keys(metafile.inputs).includes('dist/index.js')) {
    throw new Error('the esbuild bundle did not take cognito-kit from dist/index.js');
  }
}

/**
 * Builds an app with esbuild (minified) into `outDir`, with its index.html loading main.js instead
 * of `entry`. Default: examples/browser, whose index.html loads ./src/main.ts.
 */
export async function buildWithEsbuild(
  outDir: string,
  app: { root: string; entry: string; splitting?: boolean } = { root: EXAMPLE_DIR, entry: 'src/main.ts' },
): Promise<ExampleBuild> {
  const metafile = await bundlePage(join(app.root, app.entry), outDir, {
    minify: true,
    splitting: app.splitting ?? false,
  });
  assertBundledFromDist(metafile);
  const html = await readFile(join(app.root, 'index.html'), 'utf8');
  const script = `src="./${app.entry}"`;
  if (!html.includes(script)) throw new Error(`${join(app.root, 'index.html')}: script tag not found`);
  await writeFile(join(outDir, 'index.html'), html.replace(script, 'src="./main.js"'));
  const code = await readFile(join(outDir, 'main.js'), 'utf8');
  return { bundler: 'esbuild', dir: outDir, srpChunk: undefined, readsBareGlobal: BARE_GLOBAL.test(code) };
}

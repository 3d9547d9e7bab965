// What a browser app really downloads from a code-split build: its entry chunk and the chunks that
// imports statically, plus the lazy chunks (dynamic import()) of the features it uses. Each chunk
// is a separate file, gzipped on its own, as a server would send it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build, type Metafile, type Plugin } from 'esbuild';

/** Bytes of a set of chunks: minified, and the sum of each chunk gzipped at level 9. */
export interface BundleSize {
  minified: number;
  gzip: number;
}

/** A code-split bundle of one app, measured by what loads when. */
export interface SplitBundle {
  /** What loads with the page: the entry chunk and its static imports. */
  initial: BundleSize;
  /** What `import()` loads on first use, by feature (see `featureOf`), static closure included. */
  lazy: Map<string, BundleSize>;
}

/**
 * Which feature a module belongs to: the folder under src/ (`oauth`, `identity`, …), or `srp`
 * for the wrapped library's SRP code. `undefined` for the core.
 */
export function featureOf(modulePath: string): string | undefined {
  const path = modulePath.replaceAll('\\', '/');
  if (path.includes('srp-library') || path.includes('node_modules/')) return 'srp';
  return /\/?src\/([a-z-]+)\//.exec(path)?.[1];
}

/** For each file of the kit's build, the features of the src/ modules in it (tsup's metafile). */
function kitChunkFeatures(dist: string): Map<string, Set<string>> {
  const metafile = JSON.parse(readFileSync(join(dist, 'metafile-esm.json'), 'utf8')) as Metafile;
  const result = new Map<string, Set<string>>();
  for (const [output, { inputs }] of Object.entries(metafile.outputs)) {
    const features = new Set<string>();
    for (const input of Object.keys(inputs)) {
      const feature = featureOf(input);
      if (feature && feature !== 'storage' && feature !== 'internal') features.add(feature);
    }
    result.set(output.split('/').pop() ?? output, features);
  }
  return result;
}

/**
 * Bundles `entry` with splitting (esbuild: bundle, minify, ESM, platform browser) and sizes what
 * loads at start and what each feature's lazy chunks add. `dist` is the kit's build whose
 * metafile names the modules in each of its chunks.
 */
export async function splitBundle(entry: string, dist: string, plugins: Plugin[]): Promise<SplitBundle> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    splitting: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    outdir: '/bench-out',
    write: false,
    metafile: true,
    logLevel: 'silent',
    legalComments: 'none',
    plugins,
  });
  const bytes = new Map(
    result.outputFiles.map((file) => [file.path.split('/').pop() ?? file.path, file.contents]),
  );
  const kitFeatures = kitChunkFeatures(dist);
  const outputs = new Map(
    Object.entries(result.metafile.outputs).map(([path, output]) => [path.split('/').pop() ?? path, output]),
  );
  const featuresOf = (chunk: string): Set<string> => {
    const features = new Set<string>();
    for (const input of Object.keys(outputs.get(chunk)?.inputs ?? {})) {
      const file = input.split('/').pop() ?? input;
      for (const feature of kitFeatures.get(file) ?? []) features.add(feature);
      const own = featureOf(input);
      if (own === 'srp') features.add('srp');
    }
    return features;
  };
  const closure = (start: string): Set<string> => {
    const seen = new Set<string>();
    const visit = (chunk: string) => {
      if (seen.has(chunk)) return;
      seen.add(chunk);
      for (const imported of outputs.get(chunk)?.imports ?? []) {
        if (imported.kind === 'import-statement') visit(imported.path.split('/').pop() ?? imported.path);
      }
    };
    visit(start);
    return seen;
  };
  const size = (chunks: Iterable<string>): BundleSize => {
    let minified = 0;
    let gzip = 0;
    for (const chunk of chunks) {
      const contents = bytes.get(chunk);
      if (!contents) throw new Error(`split bundle: no output ${chunk}`);
      minified += contents.byteLength;
      gzip += gzipSync(contents, { level: 9 }).byteLength;
    }
    return { minified, gzip };
  };
  // Every dynamic import is an entry point too in esbuild's metafile: find the app's own.
  const appName = entry.split('/').pop() ?? entry;
  const entryChunk = [...outputs].find(([, output]) => output.entryPoint?.endsWith(appName))?.[0];
  if (!entryChunk) throw new Error('split bundle: no entry chunk');
  const initial = closure(entryChunk);
  // A feature's first use loads the chunks the entry imports dynamically; a feature's chunk may in
  // turn load a part only some apps need (the implicit grant's JWKS check, WebAuthn), reported on
  // its own as `<feature> › <module>`.
  const lazyChunks = new Map<string, Set<string>>();
  for (const [chunk, output] of outputs) {
    if (!chunk.endsWith('.js')) continue;
    for (const imported of output.imports) {
      if (imported.kind !== 'dynamic-import') continue;
      const target = imported.path.split('/').pop() ?? imported.path;
      const module = /^(.+?)(-[A-Z0-9]{8})*\.js$/.exec(target)?.[1] ?? target;
      for (const feature of featuresOf(target)) {
        const name = initial.has(chunk) || feature === 'srp' ? feature : `${feature} › ${module}`;
        const set = lazyChunks.get(name) ?? new Set<string>();
        for (const part of closure(target)) if (!initial.has(part)) set.add(part);
        lazyChunks.set(name, set);
      }
    }
  }
  // What a nested part adds is what its feature's first use has not already loaded.
  for (const [name, set] of lazyChunks) {
    const feature = name.split(' › ')[0] ?? name;
    if (feature === name) continue;
    for (const part of lazyChunks.get(feature) ?? []) set.delete(part);
    if (set.size === 0) lazyChunks.delete(name);
  }
  return {
    initial: size(initial),
    lazy: new Map([...lazyChunks].map(([feature, chunks]) => [feature, size(chunks)])),
  };
}

import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build, type Plugin } from 'esbuild';
import { buildKit, ROOT } from './lib/kit-build.js';
import { type Row, ratioOf, row } from './lib/report.js';
import { summarize } from './lib/stats.js';

const VS_RAW = 1.15;
const VS_AMPLIFY = 0.7;
const LIBRARY = 'amazon-cognito-identity-js';

/** Sends kit-app.ts's `../../src/index.js` to the package's built ESM entry, as `'cognito-kit'` would resolve. */
function packageEntry(entry: string): Plugin {
  return {
    name: 'cognito-kit-package',
    setup(b) {
      b.onResolve({ filter: /(^cognito-kit$)|(\/src\/index\.js$)/ }, () => ({ path: entry }));
    },
  };
}

interface BundleSize {
  minified: number;
  gzip: number;
}

async function bundle(
  app: string,
  options: { plugins?: Plugin[]; external?: string[] } = {},
): Promise<BundleSize> {
  const result = await build({
    entryPoints: [join(ROOT, 'bench', 'apps', app)],
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    write: false,
    logLevel: 'silent',
    legalComments: 'none',
    plugins: options.plugins ?? [],
    external: options.external ?? [],
  });
  const file = result.outputFiles[0];
  if (!file || result.outputFiles.length !== 1) throw new Error(`bundle of ${app}: expected one output file`);
  return { minified: file.contents.byteLength, gzip: gzipSync(file.contents, { level: 9 }).byteLength };
}

/**
 * Figure 4: the same small app (bench/apps/*-app.ts) bundled for the browser with esbuild
 * (bundle, minify, ESM, platform browser; the kit's dynamic import of the library is inlined, no
 * splitting) and gzipped at level 9. Bundling is deterministic, so each size is one sample.
 */
export async function bundleSizes(): Promise<Row[]> {
  const dist = await buildKit();
  const plugins = [packageEntry(join(dist, 'index.js'))];
  const kit = await bundle('kit-app.ts', { plugins });
  const ours = await bundle('kit-app.ts', { plugins, external: [LIBRARY] });
  const raw = await bundle('raw-app.ts');
  const amplify = await bundle('amplify-app.ts');
  const kitGzip = summarize([kit.gzip]);
  const rawGzip = summarize([raw.gzip]);
  const amplifyGzip = summarize([amplify.gzip]);
  const vsRaw = ratioOf(kitGzip, rawGzip);
  const vsAmplify = ratioOf(kitGzip, amplifyGzip);
  const minified = `minified, before gzip: kit ${kit.minified.toLocaleString('en-US')}, raw ${raw.minified.toLocaleString('en-US')}, Amplify ${amplify.minified.toLocaleString('en-US')} bytes`;
  return [
    row({
      id: 'bundle.vs-raw',
      figure: '4. browser bundle (gzip -9) vs raw',
      unit: 'bytes gzip',
      kit: kitGzip,
      raw: rawGzip,
      amplify: amplifyGzip,
      ratio: vsRaw,
      ratioOf: 'kit/raw',
      target: `≤ ${VS_RAW}`,
      met: vsRaw === null ? null : vsRaw <= VS_RAW,
      notes: [minified],
    }),
    row({
      id: 'bundle.vs-amplify',
      figure: '4. browser bundle (gzip -9) vs Amplify',
      unit: 'bytes gzip',
      kit: kitGzip,
      raw: rawGzip,
      amplify: amplifyGzip,
      ratio: vsAmplify,
      ratioOf: 'kit/Amplify',
      target: `≤ ${VS_AMPLIFY}`,
      met: vsAmplify === null ? null : vsAmplify <= VS_AMPLIFY,
    }),
    row({
      id: 'bundle.kit-own',
      figure: `4. kit's own code (${LIBRARY} external)`,
      unit: 'bytes gzip',
      kit: summarize([ours.gzip]),
      ratio: ratioOf(summarize([ours.gzip]), kitGzip),
      ratioOf: 'own/kit total',
      notes: [
        `${ours.minified.toLocaleString('en-US')} bytes minified; the rest of the kit bundle is the library and its dependencies`,
      ],
    }),
  ];
}

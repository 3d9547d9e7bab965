import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build, type Plugin } from 'esbuild';
import { idleCost } from './lib/idle-cost.js';
import { buildKit, ROOT } from './lib/kit-build.js';
import { type Row, ratioOf, row } from './lib/report.js';
import { splitBundle } from './lib/split-bundle.js';
import { summarize } from './lib/stats.js';

const VS_RAW = 1.12;
const VS_AMPLIFY = 0.68;
/** What using a feature may add, gzip bytes (the issues' budgets); a feature not listed has none. */
const FEATURE_BUDGETS: Record<string, number> = { oauth: 5 * 1024, identity: 2 * 1024 };
const LIBRARY = 'amazon-cognito-identity-js';
/**
 * Features whose hooks in the core are marked `// #region <feature>` in src/: what each costs an
 * app that never uses it (bench/lib/idle-cost.ts).
 */
const IDLE_FEATURES: Record<string, string> = {
  oauth: 'the hosted UI',
  identity: 'AWS credentials (identity pools)',
  sync: 'session state across tabs (onSessionChange)',
};

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
 * (bundle, minify, ESM, platform browser) and gzipped at level 9. Bundling is deterministic, so
 * each size is one sample. The kit's app is bundled with splitting, as Vite and webpack do: its
 * size is what it downloads (the entry chunk, its static imports, and the SRP chunk it loads to
 * sign in), each chunk gzipped on its own; the lazy chunks of features it never calls are reported
 * separately and are not part of it. Raw and Amplify are single bundles.
 */
export async function bundleSizes(): Promise<Row[]> {
  const dist = await buildKit();
  const plugins = [packageEntry(join(dist, 'index.js'))];
  const split = await splitBundle(join(ROOT, 'bench', 'apps', 'kit-app.ts'), dist, plugins);
  const srp = split.lazy.get('srp');
  if (!srp) throw new Error('bundle of kit-app.ts: no SRP chunk');
  const kit = { minified: split.initial.minified + srp.minified, gzip: split.initial.gzip + srp.gzip };
  const inlined = await bundle('kit-app.ts', { plugins });
  const ours = await bundle('kit-app.ts', { plugins, external: [LIBRARY, `${LIBRARY}/*`, '#cognito-kit/*'] });
  const raw = await bundle('raw-app.ts');
  const amplify = await bundle('amplify-app.ts');
  const kitGzip = summarize([kit.gzip]);
  const rawGzip = summarize([raw.gzip]);
  const amplifyGzip = summarize([amplify.gzip]);
  const vsRaw = ratioOf(kitGzip, rawGzip);
  const vsAmplify = ratioOf(kitGzip, amplifyGzip);
  const minified = `minified, before gzip: kit ${kit.minified.toLocaleString('en-US')}, raw ${raw.minified.toLocaleString('en-US')}, Amplify ${amplify.minified.toLocaleString('en-US')} bytes`;
  const chunks = `kit = entry ${split.initial.gzip.toLocaleString('en-US')} + SRP chunk ${srp.gzip.toLocaleString('en-US')} (each gzipped); as one inlined bundle ${inlined.gzip.toLocaleString('en-US')}`;
  const features = [...split.lazy].filter(([name]) => name !== 'srp');
  const idle = await Promise.all(
    Object.entries(IDLE_FEATURES).map(async ([feature, label]) => ({
      feature,
      label,
      ...(await idleCost(join(ROOT, 'bench', 'apps', 'kit-app.ts'), feature)),
    })),
  );
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
      notes: [minified, chunks],
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
    row({
      id: 'bundle.session-only',
      figure: '4. what loads with the page (entry chunk; SRP and features load on use)',
      unit: 'bytes gzip',
      kit: summarize([split.initial.gzip]),
      notes: [`${split.initial.minified.toLocaleString('en-US')} bytes minified`],
    }),
    ...idle.map(({ feature, label, with: withHooks, without, regions }) =>
      row({
        id: `bundle.idle.${feature}`,
        figure: `4. ${label} in the page-load chunks of an app that never uses it`,
        unit: 'bytes gzip',
        kit: summarize([withHooks - without]),
        notes: [
          `the small app built from src/ with and without the ${regions} marked hooks of ${feature} (// #region ${feature}): ${withHooks.toLocaleString('en-US')} and ${without.toLocaleString('en-US')} bytes; the feature's own code is in lazy chunks`,
        ],
      }),
    ),
    ...features
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, size]) => {
        const budget = FEATURE_BUDGETS[name];
        const [feature, part] = name.split(' › ');
        return row({
          id: `bundle.feature.${name.replace(' › ', '.')}`,
          figure: part
            ? `4. ${feature}, its ${part} part: lazy chunk, loaded only by the calls that need it`
            : `4. ${name}: lazy chunk, loaded on first use (0 bytes for apps that do not use it)`,
          unit: 'bytes gzip',
          kit: summarize([size.gzip]),
          target: budget === undefined ? null : `≤ ${budget.toLocaleString('en-US')}`,
          met: budget === undefined ? null : size.gzip <= budget,
          notes: [`${size.minified.toLocaleString('en-US')} bytes minified`],
        });
      }),
  ];
}

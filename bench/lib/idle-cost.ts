// What a feature costs an app that never uses it: the bytes of the page-load chunks with the
// feature's hooks in the core, and without them. The hooks are the lines of src/ between
// `// #region <feature>` and `// #endregion <feature>` (a facade method, an option's key, a branch
// that loads the feature); the feature's own folder is lazy and never in the page-load chunks.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { build, type Plugin } from 'esbuild';

/** The page-load bytes of `app` (entry chunk and its static imports, each gzipped), built from src/. */
async function pageLoadGzip(app: string, plugins: Plugin[]): Promise<number> {
  const result = await build({
    entryPoints: [app],
    bundle: true,
    splitting: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    outdir: '/idle-cost',
    write: false,
    metafile: true,
    logLevel: 'silent',
    legalComments: 'none',
    plugins,
  });
  const name = (path: string) => path.split('/').pop() ?? path;
  const outputs = new Map(
    Object.entries(result.metafile.outputs).map(([path, output]) => [name(path), output]),
  );
  const appName = name(app).replace(/\.ts$/, '');
  const entry = [...outputs].find(([, output]) => output.entryPoint?.endsWith(name(app)))?.[0];
  if (!entry) throw new Error(`idle cost: no entry chunk for ${appName}`);
  const seen = new Set<string>();
  const visit = (chunk: string) => {
    if (seen.has(chunk)) return;
    seen.add(chunk);
    for (const imported of outputs.get(chunk)?.imports ?? []) {
      if (imported.kind === 'import-statement') visit(name(imported.path));
    }
  };
  visit(entry);
  let gzip = 0;
  for (const file of result.outputFiles) {
    if (seen.has(name(file.path))) gzip += gzipSync(file.contents, { level: 9 }).byteLength;
  }
  return gzip;
}

/** Drops every `// #region <feature>` … `// #endregion <feature>` block from src/; counts them. */
function withoutHooks(feature: string, found: { regions: number }): Plugin {
  const start = `// #region ${feature}`;
  const end = `// #endregion ${feature}`;
  return {
    name: `without-${feature}-hooks`,
    setup(b) {
      b.onLoad({ filter: /[\\/]src[\\/].*\.ts$/ }, (args) => {
        const kept: string[] = [];
        let skipping = false;
        for (const line of readFileSync(args.path, 'utf8').split('\n')) {
          const text = line.trim();
          if (text === start) {
            if (skipping) throw new Error(`${args.path}: nested ${start}`);
            skipping = true;
            found.regions++;
          } else if (text === end) {
            if (!skipping) throw new Error(`${args.path}: ${end} without ${start}`);
            skipping = false;
          } else if (!skipping) {
            kept.push(line);
          }
        }
        if (skipping) throw new Error(`${args.path}: ${start} is never closed`);
        return { contents: kept.join('\n'), loader: 'ts' };
      });
    },
  };
}

/** The page-load gzip bytes of `app` with and without `feature`'s hooks, and how many hooks there are. */
export async function idleCost(
  app: string,
  feature: string,
): Promise<{ with: number; without: number; regions: number }> {
  const found = { regions: 0 };
  const [withHooks, without] = [
    await pageLoadGzip(app, []),
    await pageLoadGzip(app, [withoutHooks(feature, found)]),
  ];
  // A feature whose markers were all lost would measure 0 and look free: refuse instead.
  if (found.regions === 0) throw new Error(`idle cost: no "// #region ${feature}" in src/`);
  return { with: withHooks, without, regions: found.regions };
}

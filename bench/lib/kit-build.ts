import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'tsup';

export const ROOT = resolve(import.meta.dirname, '../..');
export const TMP = join(ROOT, '.tmp', 'bench');

let built: Promise<string> | undefined;

/**
 * Builds the current src/ exactly as `npm run build` does (the repo's tsup.config.ts, same target,
 * splitting and externals), but into .tmp/bench/dist without declarations, so the bench measures
 * what would be published without touching dist/ (which others may be building or testing).
 * Returns the directory holding index.js.
 */
export function buildKit(): Promise<string> {
  built ??= (async () => {
    const outDir = join(TMP, 'dist');
    rmSync(outDir, { recursive: true, force: true });
    mkdirSync(outDir, { recursive: true });
    // metafile: bench/bundle.ts reads which src/ modules each published chunk holds.
    await build({
      config: join(ROOT, 'tsup.config.ts'),
      outDir,
      dts: false,
      clean: true,
      silent: true,
      metafile: true,
    });
    if (!existsSync(join(outDir, 'index.js'))) throw new Error(`tsup did not write ${outDir}/index.js`);
    return outDir;
  })();
  return built;
}

/** The built ESM entry, imported at run time (as a user would import the package). */
export async function importKit(): Promise<typeof import('../../src/index.js')> {
  const dir = await buildKit();
  return (await import(pathToFileURL(join(dir, 'index.js')).href)) as typeof import('../../src/index.js');
}

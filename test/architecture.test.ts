// The seam's rule (docs/design.md, "How a feature plugs in"): a lazily loaded feature takes its
// runtime from the ClientCore and imports only types from the rest of src/. A runtime import of a
// module the entry also uses makes bundlers move that module into a shared chunk that every app
// then loads, whether it uses the feature or not.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = join(import.meta.dirname, '..', 'src');
const CORE_FOLDERS = new Set(['internal', 'storage']);

/** Every `import`/`export … from` of a file that brings runtime code, with its specifier. */
function runtimeImports(file: string): string[] {
  const code = readFileSync(file, 'utf8');
  const found: string[] = [];
  for (const match of code.matchAll(/^(import|export)\s+(type\s+)?([^;]*?)\s+from\s+'([^']+)'/gms)) {
    const [, , typeOnly, clause = '', specifier = ''] = match;
    if (typeOnly) continue;
    // `import { type A, type B } from …` is type-only too.
    const names = /^\{([^}]*)\}$/.exec(clause.trim())?.[1];
    if (names?.split(',').every((name) => name.trim() === '' || name.trim().startsWith('type '))) continue;
    found.push(specifier);
  }
  return found;
}

const features = readdirSync(SRC).filter(
  (name) => statSync(join(SRC, name)).isDirectory() && !CORE_FOLDERS.has(name),
);

describe('lazily loaded features', () => {
  it('exist (the rule below checks something)', () => {
    expect(features).toContain('devices');
    expect(features).toContain('identity');
  });

  it.each(features)('src/%s/ imports no runtime module from outside its folder', (feature) => {
    const folder = join(SRC, feature);
    const offending = readdirSync(folder)
      .filter((name) => name.endsWith('.ts'))
      .flatMap((name) =>
        runtimeImports(join(folder, name))
          .filter((specifier) => specifier.startsWith('../'))
          .map((specifier) => `${relative(SRC, join(folder, name))} imports ${specifier}`),
      );
    expect(offending).toEqual([]);
  });

  it('the secret-hash chunk imports no runtime module of the entry either', () => {
    expect(runtimeImports(join(SRC, 'internal', 'secret-hash.ts')).filter((s) => s.startsWith('.'))).toEqual(
      [],
    );
  });
});

// The Node and server entries list their runtime exports by name and take every type of the main
// entry (`export type *`); each must offer everything the main entry does, the same objects, except
// its own CognitoClient, which extends the main one and also accepts a clientSecret.
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import * as main from '../src/index.js';
import * as node from '../src/node.js';
import * as server from '../src/server.js';

const SRC = join(import.meta.dirname, '..', 'src');

describe.each([
  [
    'cognito-kit/node',
    node as Record<string, unknown>,
    ['fileStorage', 'requestCookieStorage', 'signInWithLoopback'],
  ],
  ['cognito-kit/server', server as Record<string, unknown>, ['requestCookieStorage']],
])('%s', (_name, entry, extra) => {
  it('exports every runtime value of cognito-kit, the same objects, plus its own', () => {
    for (const [name, value] of Object.entries(main)) {
      if (name !== 'CognitoClient') expect(entry).toHaveProperty(name, value);
    }
    expect(Object.keys(entry).sort()).toEqual([...Object.keys(main), ...extra].sort());
  });

  it('exports a CognitoClient that extends the main one', () => {
    expect(Object.getPrototypeOf(entry.CognitoClient)).toBe(main.CognitoClient);
  });
});

// Types leave no trace at run time: the compiler lists each entry's exports, types included.
describe('exported types', () => {
  const entries = ['index', 'node', 'server'].map((name) => join(SRC, `${name}.ts`));
  const program = ts.createProgram(entries, {
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    target: ts.ScriptTarget.ES2022,
    strict: true,
    noEmit: true,
  });
  const checker = program.getTypeChecker();
  const exportsOf = (file: string): string[] => {
    const source = program.getSourceFile(file);
    const module = source && checker.getSymbolAtLocation(source);
    if (!module) throw new Error(`no module for ${file}`);
    return checker.getExportsOfModule(module).map((symbol) => symbol.name);
  };
  const [mainFile = '', ...others] = entries;

  it.each(others)('%s exports every name cognito-kit exports, types too', (file) => {
    const names = new Set(exportsOf(file));
    expect(exportsOf(mainFile).filter((name) => !names.has(name))).toEqual([]);
  });
});

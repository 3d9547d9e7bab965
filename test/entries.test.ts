// The Node and server entries list their exports by name (no `export *`); each must still offer
// everything the main entry does, the same objects, except its own CognitoClient, which extends
// the main one and also accepts a clientSecret.
import { describe, expect, it } from 'vitest';
import * as main from '../src/index.js';
import * as node from '../src/node.js';
import * as server from '../src/server.js';

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

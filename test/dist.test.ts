import { createRequire } from 'node:module';
import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFake } from './helpers/fake-client.js';

// The built package (npm test builds it first): the lazily loaded SRP code must resolve from both
// the ESM and the CommonJS build, and both entries must share one implementation.
const require = createRequire(import.meta.url);
type Entry = typeof import('../src/node.js');
const load = async (kind: string, entry: 'index' | 'node'): Promise<Entry> =>
  kind === 'cjs' ? require(`../dist/${entry}.cjs`) : import(`../dist/${entry}.js`);

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());

it('recognises a CognitoError from the other build (ESM and CJS loaded side by side)', async () => {
  const [esm, cjs] = await Promise.all([load('esm', 'index'), load('cjs', 'index')]);
  expect(esm.CognitoError).not.toBe(cjs.CognitoError);
  const fromCjs = new cjs.CognitoError('NetworkError', 'offline');
  expect(fromCjs instanceof esm.CognitoError).toBe(true);
  expect(esm.isCognitoError(fromCjs, 'NetworkError')).toBe(true);
  expect(new Error('plain') instanceof esm.CognitoError).toBe(false);
});

describe.each(['cjs', 'esm'])('dist (%s)', (kind) => {
  it('signs in with SRP, loading amazon-cognito-identity-js on demand', async () => {
    const fake = startFake();
    fake.addUser({ username: 'ann', password: 'Correct-Horse-1' });
    const kit = await load(kind, 'index');
    const client = new kit.CognitoClient({
      userPoolId: fake.userPoolId,
      clientId: fake.clientId,
      storage: kit.memoryStorage(),
    });
    const result = await client.signIn({ username: 'ann', password: 'Correct-Horse-1' });
    expect(result.isSignedIn).toBe(true);
    await expect(client.signIn({ username: 'ann', password: 'Wrong-Horse-1' })).rejects.toBeInstanceOf(
      kit.CognitoError,
    );
  });

  it('exports the same CognitoError class from cognito-kit and cognito-kit/node', async () => {
    const [main, node] = await Promise.all([load(kind, 'index'), load(kind, 'node')]);
    expect(node.CognitoError).toBe(main.CognitoError);
    expect(node.CognitoClient).toBe(main.CognitoClient);
    expect(typeof node.fileStorage).toBe('function');
    expect('fileStorage' in main).toBe(false);
  });
});

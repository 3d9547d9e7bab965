import { createRequire } from 'node:module';
import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFake } from './helpers/fake-client.js';

// The built package (npm test builds it first): the lazily loaded SRP code must resolve from both
// the ESM and the CommonJS build, and both entries must share one implementation.
const require = createRequire(import.meta.url);
type Entry = typeof import('../src/node.js');
const load = async (kind: string, entry: 'index' | 'node' | 'server'): Promise<Entry> =>
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
    // cognito-kit/node's client is the main one that also accepts a clientSecret.
    expect(Object.getPrototypeOf(node.CognitoClient)).toBe(main.CognitoClient);
    expect(typeof node.fileStorage).toBe('function');
    expect('fileStorage' in main).toBe(false);
  });

  it('exports cognito-kit/server: every main export, requestCookieStorage, a client accepting a secret, no Node API', async () => {
    const [main, server] = await Promise.all([load(kind, 'index'), load(kind, 'server')]);
    for (const name of Object.keys(main)) {
      if (name !== 'CognitoClient') expect(server[name as keyof Entry], name).toBe(main[name as keyof Entry]);
    }
    expect(Object.getPrototypeOf(server.CognitoClient)).toBe(main.CognitoClient);
    expect(typeof server.requestCookieStorage).toBe('function');
    expect('fileStorage' in server).toBe(false);
    const options = { userPoolId: 'us-east-1_Abc', clientId: 'c', clientSecret: 's3cret-value' };
    expect(() => new main.CognitoClient(options)).toThrow(/clientSecret is accepted only/);
    expect(new server.CognitoClient(options)).toBeInstanceOf(main.CognitoClient);
  });
});

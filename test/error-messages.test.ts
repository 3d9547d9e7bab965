// What a developer reads when something fails: the class name as written (also from the built
// package, where a bundler could rename it), and network and timeout messages that say which
// method, which Cognito operation and which host, and nothing secret.
import { createRequire } from 'node:module';
import { inspect } from 'node:util';
import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CognitoClient, CognitoError, memoryStorage } from '../src/index.js';
import type { FakeCognito } from './fake-cognito/index.js';
import {
  cleanUp,
  makeClient,
  mapStorage,
  PASSWORD,
  rejection,
  seedSession,
  startFake,
} from './faults/support.js';

const require = createRequire(import.meta.url);
type Entry = typeof import('../src/index.js');

beforeAll(() => nock.disableNetConnect());
let fake: FakeCognito | undefined;
afterEach(() => cleanUp(fake));

describe.each(['esm', 'cjs'])('a CognitoError from dist (%s) in a log', (kind) => {
  it('prints as CognitoError with its code, never as a renamed class', async () => {
    const kit: Entry = kind === 'cjs' ? require('../dist/index.cjs') : await import('../dist/index.js');
    const error = new kit.CognitoError('NotAuthorizedException', 'Incorrect username or password.');
    const printed = inspect(error);
    expect(printed.startsWith('CognitoError: Incorrect username or password.')).toBe(true);
    expect(printed).toContain("code: 'NotAuthorizedException'");
    expect(printed).not.toContain('_CognitoError');
    expect(kit.CognitoError.name).toBe('CognitoError');
    expect(String(error)).toBe('CognitoError: Incorrect username or password.');
  });
});

function rejectionOf(promise: Promise<unknown>): Promise<CognitoError> {
  return rejection(promise) as Promise<CognitoError>;
}

describe('network and timeout messages', () => {
  it('name the method, the operation and the host: getSession refreshing offline', async () => {
    fake = startFake();
    fake.addUser({ username: 'ann', password: PASSWORD });
    const storage = mapStorage();
    seedSession(fake, storage);
    const client = makeClient(fake, storage, { maxAttempts: 1 });
    fake.failNext('GetTokensFromRefreshToken', { networkError: true });
    const error = await rejectionOf(client.getSession({ forceRefresh: true }));
    expect(error.code).toBe('NetworkError');
    expect(error.message).toBe(
      'getSession: GetTokensFromRefreshToken could not reach cognito-idp.us-east-1.amazonaws.com',
    );
    expect(error.retryable).toBe(true);
    expect(error.cause).toBeInstanceOf(Error);
    expect(error.cause).not.toBeInstanceOf(CognitoError);
  });

  it('signIn against an endpoint that does not answer in time', async () => {
    fake = startFake();
    fake.addUser({ username: 'ann', password: PASSWORD });
    const client = makeClient(fake, mapStorage(), { maxAttempts: 1, requestTimeoutMs: 30 });
    fake.failNext('InitiateAuth', { delayMs: 300 });
    const error = await rejectionOf(client.signIn({ username: 'ann', password: PASSWORD }));
    expect(error.code).toBe('TimeoutError');
    expect(error.message).toBe(
      'signIn: InitiateAuth got no answer from cognito-idp.us-east-1.amazonaws.com within 30 ms',
    );
    expect(error.message).not.toContain(PASSWORD);
  });

  it('show a custom endpoint by host and port only (no path, no query)', async () => {
    nock('http://127.0.0.1:9229').post('/base/').query(true).replyWithError('connect ECONNREFUSED');
    const client = new CognitoClient({
      userPoolId: 'us-east-1_AbCdEf123',
      clientId: '1example23456789',
      endpoint: 'http://127.0.0.1:9229/base/?key=abc',
      storage: memoryStorage(),
      maxAttempts: 1,
    });
    const error = await rejectionOf(client.forgotPassword({ username: 'ann' }));
    expect(error.message).toBe('forgotPassword: ForgotPassword could not reach 127.0.0.1:9229');
  });

  it('a Cognito answer keeps its own message (no method prefix)', async () => {
    fake = startFake();
    fake.addUser({ username: 'ann', password: PASSWORD });
    const client = makeClient(fake, mapStorage());
    const error = await rejectionOf(client.signIn({ username: 'ann', password: 'Wrong-Horse-1' }));
    expect(error.code).toBe('NotAuthorizedException');
    expect(error.message).toBe('Incorrect username or password.');
  });
});

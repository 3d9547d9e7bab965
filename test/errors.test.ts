import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { version } from '../package.json';
import { CognitoClient, CognitoError, isCognitoError, memoryStorage } from '../src/index.js';
import { cognitoError } from './fake-cognito/index.js';
import { asyncStorage } from './helpers/async-storage.js';
import { makeClient, startFake } from './helpers/fake-client.js';

const ENDPOINT = 'https://cognito-idp.us-east-1.amazonaws.com';
const TARGET = 'AWSCognitoIdentityProviderService.ConfirmSignUp';

function client(options: Partial<ConstructorParameters<typeof CognitoClient>[0]> = {}) {
  return new CognitoClient({
    userPoolId: 'us-east-1_TestPool1',
    clientId: 'testclient123',
    storage: memoryStorage(),
    retryBaseDelayMs: 0,
    ...options,
  });
}

async function rejection(promise: Promise<unknown>): Promise<CognitoError> {
  const error = await promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(CognitoError);
  return error as CognitoError;
}

const confirm = (c: CognitoClient) => c.confirmSignUp({ username: 'ann', code: '123456' });

beforeAll(() => {
  nock.disableNetConnect();
});

afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  expect(pending).toEqual([]);
});

describe('error mapping', () => {
  it('sends the exact JSON-protocol request', async () => {
    let seen: { headers: Record<string, unknown>; body: unknown } | undefined;
    nock(ENDPOINT)
      .post('/')
      .reply(function (_uri, body) {
        seen = { headers: this.req.headers, body: typeof body === 'string' ? JSON.parse(body) : body };
        return [200, '{}'];
      });
    await confirm(client());
    expect(seen?.headers['x-amz-target']).toBe(TARGET);
    expect(seen?.headers['content-type']).toBe('application/x-amz-json-1.1');
    expect(seen?.headers['x-amz-user-agent']).toBe(`cognito-kit/${version}`);
    expect(seen?.body).toEqual({ ClientId: 'testclient123', Username: 'ann', ConfirmationCode: '123456' });
  });

  it("passes Cognito's exception name through as the code, with status and message", async () => {
    nock(ENDPOINT).post('/').reply(400, {
      __type: 'CodeMismatchException',
      message: 'Invalid verification code provided, please try again.',
    });
    const error = await rejection(confirm(client()));
    expect(error.name).toBe('CognitoError');
    expect(error.code).toBe('CodeMismatchException');
    expect(error.status).toBe(400);
    expect(error.retryable).toBe(false);
    expect(error.message).toBe('Invalid verification code provided, please try again.');
    expect(isCognitoError(error, 'CodeMismatchException')).toBe(true);
    expect(isCognitoError(error, 'ExpiredCodeException')).toBe(false);
  });

  it('strips the namespace from a qualified __type', async () => {
    nock(ENDPOINT).post('/').reply(400, {
      __type: 'com.amazonaws.cognito.identity.idp.model#ExpiredCodeException',
      message: 'expired',
    });
    expect((await rejection(confirm(client()))).code).toBe('ExpiredCodeException');
  });

  it('takes the code from x-amzn-errortype when the body has none', async () => {
    nock(ENDPOINT)
      .post('/')
      .reply(400, { message: 'nope' }, { 'x-amzn-errortype': 'NotAuthorizedException:http://internal' });
    expect((await rejection(confirm(client()))).code).toBe('NotAuthorizedException');
  });

  it('maps an HTML 503 to a retryable UnexpectedResponseException, never a TypeError', async () => {
    nock(ENDPOINT)
      .post('/')
      .reply(503, '<html><body>Service Unavailable</body></html>', { 'content-type': 'text/html' });
    const error = await rejection(confirm(client({ maxAttempts: 1 })));
    expect(error.code).toBe('UnexpectedResponseException');
    expect(error.status).toBe(503);
    expect(error.retryable).toBe(true);
    expect(error.message).toContain('text/html');
  });

  it('maps an empty 200 body to UnexpectedResponseException', async () => {
    nock(ENDPOINT).post('/').reply(200, '');
    const error = await rejection(confirm(client()));
    expect(error.code).toBe('UnexpectedResponseException');
    expect(error.status).toBe(200);
    expect(error.message).toContain('empty body');
  });

  it('maps an empty error body to UnexpectedResponseException with the status', async () => {
    nock(ENDPOINT).post('/').reply(502, '');
    const error = await rejection(confirm(client({ maxAttempts: 1 })));
    expect(error.code).toBe('UnexpectedResponseException');
    expect(error.status).toBe(502);
  });

  it('maps a dropped connection to a retryable NetworkError with the cause', async () => {
    nock(ENDPOINT).post('/').replyWithError({ code: 'ECONNRESET', message: 'socket hang up' });
    const error = await rejection(confirm(client({ maxAttempts: 1 })));
    expect(error.code).toBe('NetworkError');
    expect(error.retryable).toBe(true);
    expect(error.cause).toBeDefined();
  });

  it('gives up on a hanging request after requestTimeoutMs with TimeoutError', async () => {
    nock(ENDPOINT).post('/').delay(2_000).reply(200, '{}');
    const started = Date.now();
    const error = await rejection(confirm(client({ requestTimeoutMs: 50, maxAttempts: 1 })));
    expect(error.code).toBe('TimeoutError');
    expect(error.retryable).toBe(true);
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it('retries throttling up to maxAttempts and then succeeds', async () => {
    nock(ENDPOINT)
      .post('/')
      .times(2)
      .reply(400, { __type: 'TooManyRequestsException', message: 'Rate exceeded' })
      .post('/')
      .reply(200, '{}');
    await expect(confirm(client({ maxAttempts: 3 }))).resolves.toBeUndefined();
  });

  it('stops after maxAttempts and rejects with the last error', async () => {
    nock(ENDPOINT).post('/').times(3).reply(500, { __type: 'InternalErrorException', message: 'boom' });
    const signIn = client({ maxAttempts: 3 }).signIn({
      username: 'ann',
      password: 'pw',
      authFlow: 'USER_SRP_AUTH',
    });
    const error = await rejection(signIn);
    expect(error.code).toBe('InternalErrorException');
    expect(error.retryable).toBe(true);
  });

  it('sends a once-only operation (a code, a challenge answer) once after a transient failure', async () => {
    const scope = nock(ENDPOINT)
      .post('/')
      .once()
      .replyWithError({ code: 'ECONNRESET', message: 'socket hang up' })
      .post('/')
      .reply(200, '{}');
    const error = await rejection(confirm(client({ maxAttempts: 3 })));
    expect(error.code).toBe('NetworkError');
    expect(error.retryable).toBe(true);
    // The success answer was never asked for: no second attempt.
    expect(scope.pendingMocks()).toHaveLength(1);
    nock.cleanAll();
  });

  it("does not retry a bare 500 that is not InternalErrorException (e.g. an emulator's Unsupported)", async () => {
    nock(ENDPOINT).post('/').once().reply(500, { __type: 'CognitoLocal#Unsupported', message: 'no' });
    const error = await rejection(confirm(client({ maxAttempts: 3 })));
    expect(error.code).toBe('Unsupported');
    expect(error.retryable).toBe(false);
  });

  it('never retries a non-retryable error', async () => {
    nock(ENDPOINT).post('/').once().reply(400, { __type: 'NotAuthorizedException', message: 'no' });
    expect((await rejection(confirm(client({ maxAttempts: 3 })))).code).toBe('NotAuthorizedException');
  });

  it('redacts secrets Cognito echoes back in a message', async () => {
    nock(ENDPOINT).post('/').reply(400, {
      __type: 'InvalidParameterException',
      message: "Value 'Sup3r-Secret-Pass!' at 'password' failed to satisfy constraint",
    });
    const error = await rejection(client().signUp({ username: 'ann', password: 'Sup3r-Secret-Pass!' }));
    expect(error.message).not.toContain('Sup3r-Secret-Pass!');
    expect(error.message).toContain('[redacted]');
  });
});

describe('redaction of secrets Cognito echoes back, through the client', () => {
  it('redacts a secret that contains another one whole, tail included', async () => {
    const fake = startFake();
    fake.addUser({ username: 'ann', password: 'Summer-2024' });
    const c = makeClient(fake, asyncStorage(0).storage);
    await c.signIn({ username: 'ann', password: 'Summer-2024' });
    fake.failNext(
      'ChangePassword',
      cognitoError(
        'InvalidPasswordException',
        "Value 'Summer-2024-Extra!' at 'proposedPassword' failed; it is too close to 'Summer-2024'",
      ),
    );

    const error = await rejection(
      c.changePassword({ oldPassword: 'Summer-2024', newPassword: 'Summer-2024-Extra!' }),
    );

    expect(error.code).toBe('InvalidPasswordException');
    expect(error.message).toBe(
      "Value '[redacted]' at 'proposedPassword' failed; it is too close to '[redacted]'",
    );
    for (const shown of [error.message, String(error), error.stack ?? '']) {
      expect(shown).not.toContain('Summer-2024');
      expect(shown).not.toContain('-Extra!');
    }
  });
});

// Network faults: what a user sees for every way a request to Cognito can fail, how often it is
// retried, and that the stored session survives every transient failure.
import nock from 'nock';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { type CognitoClient, CognitoError, isCognitoError } from '../../src/index.js';
import { cognitoError, type FakeCognito, type Fault } from '../fake-cognito/index.js';
import {
  cleanUp,
  HTML_503,
  makeClient,
  mapStorage,
  PASSWORD,
  rejection,
  seedSession,
  signedInAs,
  sleep,
  startFakeWithUsers,
  until,
} from './support.js';

let fake: FakeCognito;

/**
 * Faults after which the same request may succeed: each must come back as a retryable CognitoError.
 * `atOnce`: the transport retries it itself (3 attempts in all); otherwise it may clear only later
 * (LimitExceededException: too many attempts for this user), and one request is sent.
 * `throttled`: Cognito did not carry the request out, so even a once-only request is retried.
 */
const TRANSIENT: [
  name: string,
  fault: Fault,
  code: string,
  status: number | undefined,
  retry: { atOnce: boolean; throttled: boolean },
][] = [
  [
    'a dropped connection',
    { networkError: true },
    'NetworkError',
    undefined,
    { atOnce: true, throttled: false },
  ],
  [
    'an HTML 503 from a proxy',
    HTML_503,
    'UnexpectedResponseException',
    503,
    { atOnce: true, throttled: false },
  ],
  [
    'a 502 with an empty body',
    { status: 502, body: '' },
    'UnexpectedResponseException',
    502,
    { atOnce: true, throttled: false },
  ],
  [
    'a 500 InternalErrorException',
    cognitoError('InternalErrorException', 'An internal error occurred', 500),
    'InternalErrorException',
    500,
    { atOnce: true, throttled: false },
  ],
  [
    'a bare 429 without a body',
    { status: 429, body: '' },
    'UnexpectedResponseException',
    429,
    { atOnce: true, throttled: true },
  ],
  [
    'a 429 TooManyRequestsException',
    cognitoError('TooManyRequestsException', 'Rate exceeded', 429),
    'TooManyRequestsException',
    429,
    { atOnce: true, throttled: true },
  ],
  [
    'a 400 TooManyRequestsException',
    cognitoError('TooManyRequestsException', 'Too many requests', 400),
    'TooManyRequestsException',
    400,
    { atOnce: true, throttled: true },
  ],
  [
    'a 400 LimitExceededException',
    cognitoError('LimitExceededException', 'Attempt limit exceeded, please try after some time.', 400),
    'LimitExceededException',
    400,
    { atOnce: false, throttled: false },
  ],
];

/** The first stack frame of `error` outside this file and the spy machinery: who called the spy. */
function callerOf(error: Error): string {
  return (
    (error.stack ?? '')
      .split('\n')
      .slice(1)
      .find((frame) => !/network\.test\.ts|tinyspy|@vitest[\\/]spy/.test(frame)) ?? ''
  );
}

function expectTransient(error: unknown, code: string, status: number | undefined) {
  expect(error).toBeInstanceOf(CognitoError);
  const e = error as CognitoError;
  expect(e.name).toBe('CognitoError');
  expect(e.code).toBe(code);
  expect(e.retryable).toBe(true);
  expect(e.status).toBe(status);
}

/** A signed-in ann (tokens issued by the fake, no request), with expired tokens on request. */
const signedIn = (options: Parameters<typeof makeClient>[2] = {}) =>
  signedInAs(fake, { retryBaseDelayMs: 1, ...options });

/** Moves the clock past the tokens' expiry (one hour), so the next getSession refreshes. */
function expireTokens() {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(Date.now() + 3_601_000);
}

beforeAll(() => nock.disableNetConnect());
beforeEach(() => {
  fake = startFakeWithUsers();
});
afterEach(() => cleanUp(fake));

describe.each(TRANSIENT)('%s', (_name, fault, code, status, retry) => {
  const attempts = retry.atOnce ? 3 : 1;
  // signIn here sends the password (USER_PASSWORD_AUTH): an attempt that may have arrived counts
  // toward Cognito's lock-out, so it is repeated only when Cognito throttled it.
  const signInAttempts = retry.throttled ? 3 : 1;

  it('during a refresh: retryable CognitoError after the transport gives up, session and events untouched, then recovers', async () => {
    const { storage, client, events, before } = signedIn();
    expireTokens();
    fake.failNext('GetTokensFromRefreshToken', fault, attempts);

    expectTransient(await rejection(client.getSession()), code, status);

    expect(fake.refreshCount()).toBe(attempts);
    expect(fake.requests.length).toBe(attempts);
    expect(storage.snapshot()).toEqual(before);
    expect(events).toEqual([]);
    await expect(client.getCurrentUser()).resolves.toMatchObject({ username: 'ann' });

    const recovered = await client.getSession();
    expect(recovered?.username).toBe('ann');
    expect(fake.refreshCount()).toBe(attempts + 1);
    expect(events).toEqual([['tokenRefreshed', recovered?.accessToken]]);
  });

  it('during an account operation (GetUser): the session stays', async () => {
    const { storage, client, events, before } = signedIn();
    fake.failNext('GetUser', fault, 3);

    expectTransient(await rejection(client.getUserAttributes()), code, status);

    expect(fake.requests.map((request) => request.target)).toEqual(Array(attempts).fill('GetUser'));
    expect(storage.snapshot()).toEqual(before);
    expect(events).toEqual([]);
  });

  it("during another user's sign-in: the signed-in user's session stays", async () => {
    const { storage, client, events, before } = signedIn();
    fake.failNext('InitiateAuth', fault, 3);

    expectTransient(await rejection(client.signIn({ username: 'bob', password: PASSWORD })), code, status);

    expect(fake.count('InitiateAuth')).toBe(signInAttempts);
    expect(fake.requests.length).toBe(signInAttempts);
    expect(storage.snapshot()).toEqual(before);
    expect(events).toEqual([]);
  });
});

describe.each(TRANSIENT.filter(([, , , , retry]) => retry.atOnce))('%s, retried at once', (_name, fault) => {
  it('succeeds when the fault clears before the attempts run out (2 failures, then the answer)', async () => {
    const { client } = signedIn();
    fake.failNext('GetUser', fault, 2);
    await expect(client.getUserAttributes()).resolves.toMatchObject({ email: 'ann@example.com' });
    expect(fake.count('GetUser')).toBe(3);
  });
});

describe('no second code: operations that send a code are sent once unless throttled', () => {
  const SENDS_A_CODE: [operation: string, call: (client: CognitoClient) => Promise<unknown>][] = [
    ['ForgotPassword', (client) => client.forgotPassword({ username: 'ann' })],
    ['ResendConfirmationCode', (client) => client.resendSignUpCode({ username: 'ann' })],
    ['GetUserAttributeVerificationCode', (client) => client.sendAttributeVerificationCode('email')],
    ['UpdateUserAttributes', (client) => client.updateAttributes({ email: 'new@example.com' })],
  ];

  it.each(SENDS_A_CODE)(
    '%s after a dropped connection: one request, a retryable NetworkError',
    async (operation, call) => {
      const { client } = signedIn();
      fake.failNext(operation, { networkError: true }, 3);
      expectTransient(await rejection(call(client)), 'NetworkError', undefined);
      expect(fake.count(operation)).toBe(1);
    },
  );

  it.each(SENDS_A_CODE)('%s after a timeout: one request', async (operation, call) => {
    const { client } = signedIn({ requestTimeoutMs: 50 });
    fake.failNext(operation, { delayMs: 200 }, 3);
    expectTransient(await rejection(call(client)), 'TimeoutError', undefined);
    expect(fake.count(operation)).toBe(1);
  });

  it.each(SENDS_A_CODE)(
    '%s throttled twice: Cognito sent nothing, so it is sent again',
    async (operation, call) => {
      const { client } = signedIn();
      fake.failNext(operation, cognitoError('TooManyRequestsException', 'Rate exceeded', 400), 2);
      await call(client).catch((error: unknown) => {
        // ResendConfirmationCode for a confirmed user is refused by the fake: the third request arrived.
        expect(isCognitoError(error, 'TooManyRequestsException')).toBe(false);
      });
      expect(fake.count(operation)).toBe(3);
    },
  );
});

describe('"you may retry later" is not "retry now"', () => {
  it('LimitExceededException is retryable for the caller, and sent once by the transport', async () => {
    const { client } = signedIn();
    fake.failNext('GetUser', cognitoError('LimitExceededException', 'Attempt limit exceeded', 400), 3);
    expectTransient(await rejection(client.getUserAttributes()), 'LimitExceededException', 400);
    expect(fake.count('GetUser')).toBe(1);
  });
});

describe('how often a transient failure is retried', () => {
  it.each([1, 2, 5])('maxAttempts: %i sends exactly that many requests', async (maxAttempts) => {
    const { client, storage, before } = signedIn({ maxAttempts });
    fake.failNext('GetUser', { networkError: true }, 10);
    expectTransient(await rejection(client.getUserAttributes()), 'NetworkError', undefined);
    expect(fake.count('GetUser')).toBe(maxAttempts);
    expect(storage.snapshot()).toEqual(before);
  });

  it('waits a jittered, doubling backoff between attempts: [base/2, base], then [base, 2*base]', async () => {
    const base = 60;
    const timeoutMs = 9_999;
    // The transport's own timers (the request timeout and the backoff sleeps), by requested delay.
    const realSetTimeout = globalThis.setTimeout;
    const waits: number[] = [];
    vi.spyOn(globalThis, 'setTimeout').mockImplementation(((handler: () => void, ms?: number) => {
      if (callerOf(new Error()).includes('internal/http.ts') && ms !== timeoutMs) waits.push(ms ?? 0);
      return realSetTimeout(handler, ms);
    }) as typeof setTimeout);
    // Pin the transport's jitter draw; everything else keeps real randomness.
    const realRandom = Math.random;
    let pinned: number | undefined;
    let draws = 0;
    vi.spyOn(Math, 'random').mockImplementation(() => {
      // The retry loop of request(), which send() and the hosted UI's form POSTs go through, draws the jitter.
      if (!/Transport\.(send|request) /.test(callerOf(new Error()))) return realRandom();
      draws++;
      return pinned ?? realRandom();
    });
    const backoff = async (value: number | undefined) => {
      pinned = value;
      waits.length = 0;
      draws = 0;
      const { client } = signedIn({ retryBaseDelayMs: base, requestTimeoutMs: timeoutMs });
      fake.failNext('GetUser', { networkError: true }, 3);
      fake.requests.length = 0;
      const started = performance.now();
      await rejection(client.getUserAttributes());
      expect(fake.count('GetUser')).toBe(3);
      expect(draws).toBe(2);
      expect(waits).toHaveLength(2);
      expect(performance.now() - started).toBeGreaterThanOrEqual((waits[0] ?? 0) + (waits[1] ?? 0) - 2);
      return [...waits];
    };

    expect(await backoff(0)).toEqual([base / 2, base]);
    const [first = 0, second = 0] = await backoff(0.999);
    expect(first).toBeCloseTo(base * 0.9995, 5);
    expect(second).toBeCloseTo(2 * base * 0.9995, 5);
    // Unpinned: every wait inside its window, and the draws differ from run to run.
    const seen = new Set<number>();
    for (let run = 0; run < 5; run++) {
      const [w1 = 0, w2 = 0] = await backoff(undefined);
      expect(w1).toBeGreaterThanOrEqual(base / 2);
      expect(w1).toBeLessThanOrEqual(base);
      expect(w2).toBeGreaterThanOrEqual(base);
      expect(w2).toBeLessThanOrEqual(2 * base);
      seen.add(w1);
    }
    expect(seen.size).toBeGreaterThan(1);
  });

  it('never waits when retryBaseDelayMs is 0', async () => {
    const { client } = signedIn({ retryBaseDelayMs: 0 });
    fake.failNext('GetUser', { networkError: true }, 3);
    const started = performance.now();
    await rejection(client.getUserAttributes());
    expect(fake.count('GetUser')).toBe(3);
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});

describe('a request that hangs', () => {
  it('times out after requestTimeoutMs with a retryable TimeoutError, 3 attempts, session kept', async () => {
    const { client, storage, before, events } = signedIn({ requestTimeoutMs: 100 });
    expireTokens();
    fake.failNext('GetTokensFromRefreshToken', { hang: true }, 3);
    const started = performance.now();

    expectTransient(await rejection(client.getSession()), 'TimeoutError', undefined);

    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    expect(fake.refreshCount()).toBe(3);
    expect(storage.snapshot()).toEqual(before);
    expect(events).toEqual([]);
  });

  it('an answer slower than the timeout is a TimeoutError; one within it is used', async () => {
    const { client } = signedIn({ requestTimeoutMs: 300, maxAttempts: 1 });
    fake.failNext('GetUser', { delayMs: 100 });
    await expect(client.getUserAttributes()).resolves.toMatchObject({ email: 'ann@example.com' });
    fake.failNext('GetUser', { delayMs: 600 });
    expectTransient(await rejection(client.getUserAttributes()), 'TimeoutError', undefined);
    expect(fake.count('GetUser')).toBe(2);
  });

  it('gives up after the documented default of 15 s when requestTimeoutMs is not set', async () => {
    const storage = mapStorage();
    seedSession(fake, storage, 'ann');
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const client = makeClient(fake, storage, { maxAttempts: 1 });
    fake.failNext('GetUser', { hang: true });
    let settled: unknown = 'pending';
    const pending = client.getUserAttributes().then(
      (value) => (settled = value),
      (error: unknown) => (settled = error),
    );
    await until(() => fake.count('GetUser') === 1);

    await vi.advanceTimersByTimeAsync(14_999);
    expect(settled).toBe('pending');
    await vi.advanceTimersByTimeAsync(1);
    await pending;
    expectTransient(settled, 'TimeoutError', undefined);
  });
});

describe('failures that are never retried', () => {
  it('a refresh token Cognito rejects: exactly one request, session removed, resolves null', async () => {
    const { client, storage, events } = signedIn();
    expireTokens();
    fake.revokeRefreshTokens('ann');
    await expect(client.getSession()).resolves.toBeNull();
    expect(fake.requests.length).toBe(1);
    expect(storage.snapshot()).toEqual({});
    expect(events).toEqual([
      ['sessionExpired', 'NotAuthorizedException'],
      ['signedOut', { reason: 'expired' }],
    ]);
  });

  it('a NotAuthorizedException answer to a refresh, even with a 5xx-free retry budget of 5: one request', async () => {
    const { client } = signedIn({ maxAttempts: 5 });
    expireTokens();
    fake.failNext(
      'GetTokensFromRefreshToken',
      cognitoError('NotAuthorizedException', 'Refresh Token has expired'),
      5,
    );
    await expect(client.getSession()).resolves.toBeNull();
    expect(fake.requests.length).toBe(1);
  });

  it('a wrong password with SRP: exactly InitiateAuth and RespondToAuthChallenge, once each', async () => {
    const { client, storage, before, events } = signedIn({ authFlow: 'USER_SRP_AUTH' });
    const error = await rejection(client.signIn({ username: 'bob', password: 'Wrong-Password-1' }));
    expect(error).toMatchObject({ name: 'CognitoError', code: 'NotAuthorizedException', retryable: false });
    expect(fake.requests.map((request) => request.target)).toEqual([
      'InitiateAuth',
      'RespondToAuthChallenge',
    ]);
    expect(storage.snapshot()).toEqual(before);
    expect(events).toEqual([]);
  });

  it('a wrong password with USER_PASSWORD_AUTH: exactly one InitiateAuth', async () => {
    const { client, storage, before } = signedIn();
    const error = await rejection(client.signIn({ username: 'bob', password: 'Wrong-Password-1' }));
    expect(error).toMatchObject({ code: 'NotAuthorizedException', retryable: false, status: 400 });
    expect(fake.requests.map((request) => request.target)).toEqual(['InitiateAuth']);
    expect(storage.snapshot()).toEqual(before);
  });

  it.each([
    ['UserNotFoundException', cognitoError('UserNotFoundException', 'User does not exist.')],
    ['CodeMismatchException', cognitoError('CodeMismatchException', 'Invalid verification code')],
    ['InvalidParameterException', cognitoError('InvalidParameterException', 'bad')],
  ])('a %s answer: one request, not retryable', async (code, fault) => {
    const { client } = signedIn({ maxAttempts: 5 });
    fake.failNext('ConfirmForgotPassword', fault, 5);
    const error = await rejection(
      client.confirmForgotPassword({ username: 'ann', code: '123456', newPassword: 'New-Pass-123' }),
    );
    expect(error).toMatchObject({ code, retryable: false, status: 400 });
    expect(fake.requests.length).toBe(1);
  });

  it('a bare 500 without a Cognito body (an emulator\'s "unsupported"): not retryable, one request', async () => {
    const { client } = signedIn({ maxAttempts: 5 });
    fake.failNext('GetUser', {
      status: 500,
      body: '<html>Internal Server Error</html>',
      headers: { 'content-type': 'text/html' },
    });
    const error = await rejection(client.getUserAttributes());
    expect(error).toMatchObject({ code: 'UnexpectedResponseException', retryable: false, status: 500 });
    expect(fake.requests.length).toBe(1);
  });

  it('a 403 HTML page (a WAF block): UnexpectedResponseException, not retryable, one request', async () => {
    const { client, storage, before } = signedIn({ maxAttempts: 5 });
    fake.failNext('GetUser', {
      status: 403,
      body: '<html>Forbidden</html>',
      headers: { 'content-type': 'text/html' },
    });
    const error = await rejection(client.getUserAttributes());
    expect(error).toMatchObject({ code: 'UnexpectedResponseException', retryable: false, status: 403 });
    expect(fake.requests.length).toBe(1);
    expect(storage.snapshot()).toEqual(before);
  });
});

describe('transient failures in the middle of a sign-in', () => {
  it('SRP: a dropped RespondToAuthChallenge is not retried (its session may be spent); a new sign-in works', async () => {
    const storage = mapStorage();
    const client = makeClient(fake, storage, { authFlow: 'USER_SRP_AUTH', retryBaseDelayMs: 1 });
    fake.failNext('RespondToAuthChallenge', { networkError: true }, 1);
    const error = await rejection(client.signIn({ username: 'ann', password: PASSWORD }));
    expect(error).toMatchObject({ name: 'CognitoError', code: 'NetworkError', retryable: true });
    expect(fake.requests.map((request) => request.target)).toEqual([
      'InitiateAuth',
      'RespondToAuthChallenge',
    ]);
    const result = await client.signIn({ username: 'ann', password: PASSWORD });
    expect(result.isSignedIn).toBe(true);
  });

  it('a challenge answer is retried when Cognito throttles it', async () => {
    const storage = mapStorage();
    const client = makeClient(fake, storage, { authFlow: 'USER_SRP_AUTH', retryBaseDelayMs: 1 });
    fake.failNext('RespondToAuthChallenge', cognitoError('TooManyRequestsException', 'Rate exceeded'), 2);
    const result = await client.signIn({ username: 'ann', password: PASSWORD });
    expect(result.isSignedIn).toBe(true);
    expect(fake.requests.map((request) => request.target)).toEqual([
      'InitiateAuth',
      'RespondToAuthChallenge',
      'RespondToAuthChallenge',
      'RespondToAuthChallenge',
    ]);
  });

  it('an SMS code answer that fails transiently keeps the challenge open for the next try', async () => {
    fake.addUser({ username: 'sam', password: PASSWORD, sms: true });
    const storage = mapStorage();
    const client = makeClient(fake, storage, { retryBaseDelayMs: 1 });
    const first = await client.signIn({ username: 'sam', password: PASSWORD });
    expect(first.isSignedIn).toBe(false);
    const pendingBefore = storage.snapshot();
    fake.failNext('RespondToAuthChallenge', HTML_503, 1);
    const sent = fake.requests.length;

    const error = await rejection(client.confirmSignIn({ challengeResponse: fake.lastCode('sam', 'sms') }));
    expectTransient(error, 'UnexpectedResponseException', 503);
    // A challenge answer is sent once: a retry could find its session spent.
    expect(fake.requests.length).toBe(sent + 1);
    expect(storage.snapshot()).toEqual(pendingBefore);

    const done = await client.confirmSignIn({ challengeResponse: fake.lastCode('sam', 'sms') });
    expect(done.isSignedIn).toBe(true);
  });
});

describe('concurrent callers during a transient failure', () => {
  it('share one failing refresh: 3 requests in all, every caller gets the same retryable error', async () => {
    const { client, storage, before } = signedIn();
    expireTokens();
    fake.failNext('GetTokensFromRefreshToken', { networkError: true }, 3);
    const results = await Promise.allSettled(Array.from({ length: 20 }, () => client.getSession()));
    expect(fake.refreshCount()).toBe(3);
    for (const result of results) {
      expect(result.status).toBe('rejected');
      if (result.status === 'rejected') expectTransient(result.reason, 'NetworkError', undefined);
    }
    expect(storage.snapshot()).toEqual(before);
    // After the failure the single-flight slot is free again: the next call refreshes.
    await sleep(0);
    await expect(client.getSession()).resolves.toMatchObject({ username: 'ann' });
    expect(fake.refreshCount()).toBe(4);
  });
});

import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  type CognitoClient,
  type CognitoClientOptions,
  memoryStorage,
  type Session,
  type TokenStorage,
} from '../src/index.js';
import { cognitoError, type FakeCognito, type FakeCognitoOptions } from './fake-cognito/index.js';
import { makeClient, startFake } from './helpers/fake-client.js';
import { storeTokens } from './helpers/tokens.js';

const HOUR = 3600 * 1000;
let fake: FakeCognito;

/** A memory store that counts writes, so tests can assert "one storage write" per refresh. */
function countingStorage() {
  const inner = memoryStorage();
  const writes: string[] = [];
  const storage: TokenStorage & { writes: string[]; keys(): string[] } = {
    getItem: (key) => inner.getItem(key),
    setItem: (key, value) => {
      writes.push(key);
      return inner.setItem(key, value);
    },
    removeItem: (key) => inner.removeItem(key),
    writes,
    keys: () => [...new Set(writes)].filter((key) => inner.getItem(key) !== null),
  };
  return storage;
}

const client = (storage: TokenStorage, options: Partial<CognitoClientOptions> = {}) =>
  makeClient(fake, storage, options);

async function signedIn(fakeOptions: FakeCognitoOptions = {}, options: Partial<CognitoClientOptions> = {}) {
  fake = startFake(fakeOptions);
  fake.addUser({ username: 'ann', password: 'Correct-Horse-1', attributes: { email: 'ann@example.com' } });
  const storage = countingStorage();
  const c = client(storage, options);
  const result = await c.signIn({ username: 'ann', password: 'Correct-Horse-1' });
  if (!result.isSignedIn) throw new Error('sign-in did not finish');
  storage.writes.length = 0;
  fake.requests.length = 0;
  return { c, storage, session: result.session };
}

function record(c: CognitoClient) {
  const events: [string, unknown][] = [];
  c.on('tokenRefreshed', (session) => events.push(['tokenRefreshed', session.accessToken]));
  c.on('sessionExpired', ({ error }) => events.push(['sessionExpired', error.code]));
  c.on('signedOut', (payload) => events.push(['signedOut', payload]));
  return events;
}

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
  nock.cleanAll();
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('getSession without a refresh', () => {
  it('sends no request while the tokens are valid and outside the margin', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const { c, session } = await signedIn();
    vi.setSystemTime(session.expiresAt - 61_000);
    await expect(c.getSession()).resolves.toBe(session);
    expect(fake.requests).toEqual([]);
  });

  it('corrects for a local clock that runs an hour ahead of Cognito', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    // Cognito's clock is an hour behind ours: tokens arrive already "expired" by the local clock.
    const { c, session } = await signedIn({ now: () => Date.now() - HOUR });
    expect(session.expiresAt).toBeGreaterThan(Date.now() + HOUR - 5_000);
    await expect(c.getSession()).resolves.toBe(session);
    expect(fake.requests).toEqual([]);
  });
});

describe('refresh', () => {
  it('refreshes inside refreshMarginSeconds, before the tokens expire', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const { c, session } = await signedIn();
    vi.setSystemTime(session.expiresAt - 59_000);
    const refreshed = await c.getSession();
    expect(refreshed?.accessToken).not.toBe(session.accessToken);
    expect(fake.requests.map((request) => [request.target, request.body])).toEqual([
      ['GetTokensFromRefreshToken', { RefreshToken: session.refreshToken, ClientId: fake.clientId }],
    ]);
  });

  it('caps the margin at half the tokens lifetime', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    // 100 s tokens with a 600 s margin: refresh only in the last 50 s, not immediately.
    const { c, session } = await signedIn(
      { accessTokenTtlSeconds: 100, idTokenTtlSeconds: 100 },
      { refreshMarginSeconds: 600 },
    );
    vi.setSystemTime(session.expiresAt - 51_000);
    await expect(c.getSession()).resolves.toBe(session);
    vi.setSystemTime(session.expiresAt - 49_000);
    await expect(c.getSession()).resolves.not.toBe(session);
    expect(fake.refreshCount()).toBe(1);
  });

  it('refreshes once for 50 concurrent callers: one request, one write set, one event, same tokens', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const { c, storage, session } = await signedIn();
    const events = record(c);
    vi.setSystemTime(session.expiresAt + 1_000);

    const sessions = await Promise.all(Array.from({ length: 50 }, () => c.getSession()));

    expect(fake.refreshCount()).toBe(1);
    expect(fake.requests.length).toBe(1);
    const first = sessions[0] as Session;
    expect(first.accessToken).not.toBe(session.accessToken);
    expect(sessions.every((s) => s === first)).toBe(true);
    expect(events).toEqual([['tokenRefreshed', first.accessToken]]);
    // One write of each token key and the pointer: the refresh token is kept.
    expect([...storage.writes].sort()).toEqual(
      [
        `CognitoIdentityServiceProvider.${fake.clientId}.LastAuthUser`,
        `CognitoIdentityServiceProvider.${fake.clientId}.ann.accessToken`,
        `CognitoIdentityServiceProvider.${fake.clientId}.ann.clockDrift`,
        `CognitoIdentityServiceProvider.${fake.clientId}.ann.idToken`,
        `CognitoIdentityServiceProvider.${fake.clientId}.ann.refreshToken`,
      ].sort(),
    );
    expect(first.refreshToken).toBe(session.refreshToken);
  });

  it('refreshes once for two clients sharing one storage', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const { c, storage, session } = await signedIn();
    const other = client(storage);
    vi.setSystemTime(session.expiresAt + 1_000);
    const [a, b] = await Promise.all([
      c.getSession(),
      other.getSession(),
      c.getSession(),
      other.getSession(),
    ]);
    expect(fake.refreshCount()).toBe(1);
    expect(a?.accessToken).toBe(b?.accessToken);
  });

  it('forceRefresh refreshes valid tokens, once for concurrent callers', async () => {
    const { c, session } = await signedIn();
    const [a, b] = await Promise.all([
      c.getSession({ forceRefresh: true }),
      c.getSession({ forceRefresh: true }),
    ]);
    expect(fake.refreshCount()).toBe(1);
    expect(a?.accessToken).not.toBe(session.accessToken);
    expect(b).toBe(a);
  });

  it('shows updated attributes in the ID token claims after updateAttributes', async () => {
    const { c } = await signedIn();
    await expect(c.updateAttributes({ name: 'Ann Lee' })).resolves.toEqual({ name: { isUpdated: true } });
    const session = await c.getSession();
    expect(session?.idTokenClaims.name).toBe('Ann Lee');
    expect(fake.requests.map((request) => request.target)).toEqual([
      'UpdateUserAttributes',
      'GetTokensFromRefreshToken',
    ]);
    // Only once: the refreshed tokens are fresh.
    await c.getSession();
    expect(fake.refreshCount()).toBe(1);
  });
});

describe('a refresh token Cognito rejects', () => {
  it('is detected from one request: session removed, sessionExpired then signedOut, resolves null', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const { c, storage, session } = await signedIn();
    const events = record(c);
    fake.revokeRefreshTokens('ann');
    vi.setSystemTime(session.expiresAt + 1_000);

    await expect(Promise.all([c.getSession(), c.getSession()])).resolves.toEqual([null, null]);

    expect(fake.requests.length).toBe(1);
    expect(events).toEqual([
      ['sessionExpired', 'NotAuthorizedException'],
      ['signedOut', { reason: 'expired' }],
    ]);
    expect(storage.keys()).toEqual([]);
    await expect(c.getCurrentUser()).resolves.toBeNull();
  });

  it('is not fatal when another client stored new tokens meanwhile', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const { c, storage, session } = await signedIn();
    const events = record(c);
    fake.revokeRefreshTokens('ann');
    vi.setSystemTime(session.expiresAt + 1_000);
    // While our refresh is on the wire, another tab signs in again on the same storage.
    fake.failNext('GetTokensFromRefreshToken', { delayMs: 200 });
    const pending = c.getSession();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const again = await client(storage).signIn({ username: 'ann', password: 'Correct-Horse-1' });
    if (!again.isSignedIn) throw new Error('second sign-in did not finish');

    await expect(pending).resolves.toEqual(again.session);
    expect(events).toEqual([]);
    await expect(c.getSession()).resolves.toEqual(again.session);
  });
});

describe('transient failures leave the stored session alone', () => {
  it.each([
    ['a dropped connection', { networkError: true } as const, 'NetworkError'],
    [
      'an HTML 503',
      { status: 503, body: '<html>down</html>', headers: { 'content-type': 'text/html' } },
      'UnexpectedResponseException',
    ],
    [
      'a 500 InternalErrorException',
      cognitoError('InternalErrorException', 'boom', 500),
      'InternalErrorException',
    ],
    ['throttling', cognitoError('TooManyRequestsException', 'Rate exceeded'), 'TooManyRequestsException'],
  ])(
    '%s mid-refresh rejects retryable, keeps the session, and the next call recovers',
    async (_name, fault, code) => {
      vi.useFakeTimers({ toFake: ['Date'] });
      const { c, storage, session } = await signedIn({}, { maxAttempts: 2 });
      const keysBefore = storage.keys().sort();
      const events = record(c);
      vi.setSystemTime(session.expiresAt + 1_000);
      fake.failNext('GetTokensFromRefreshToken', fault, 2);

      await expect(c.getSession()).rejects.toMatchObject({ name: 'CognitoError', code, retryable: true });
      expect(fake.requests.length).toBe(2);
      expect(storage.keys().sort()).toEqual(keysBefore);
      await expect(c.getCurrentUser()).resolves.toEqual({ username: 'ann', userSub: session.userSub });
      expect(events).toEqual([]);

      const recovered = await c.getSession();
      expect(recovered?.accessToken).not.toBe(session.accessToken);
      expect(events).toEqual([['tokenRefreshed', recovered?.accessToken]]);
    },
  );
});

describe('refresh-token rotation', () => {
  it.each([
    'Refresh token rotation is enabled for this app client. Use GetTokensFromRefreshToken to refresh tokens.',
    'Invalid flow for this app client.',
  ])(
    'an app client with rotation stays signed in whatever the wording of its refusal of REFRESH_TOKEN_AUTH ("%s")',
    async (wording) => {
      const { c, session } = await signedIn({ refreshTokenRotation: true, rotationRefusalMessage: wording });
      const events = record(c);
      const refreshed = await c.getSession({ forceRefresh: true });
      expect(fake.requests.map((request) => [request.target, request.body])).toEqual([
        ['GetTokensFromRefreshToken', { RefreshToken: session.refreshToken, ClientId: fake.clientId }],
      ]);
      expect(refreshed?.refreshToken).not.toBe(session.refreshToken);
      expect(events).toEqual([['tokenRefreshed', refreshed?.accessToken]]);
      // The rotated token is the one used next.
      await c.getSession({ forceRefresh: true });
      expect(fake.requests[1]?.body).toEqual({
        RefreshToken: refreshed?.refreshToken,
        ClientId: fake.clientId,
      });
    },
  );

  it('sends the device key and the client metadata with GetTokensFromRefreshToken', async () => {
    const { c, storage, session } = await signedIn();
    storage.setItem(`CognitoIdentityServiceProvider.${fake.clientId}.ann.deviceKey`, 'us-east-1_device-1');
    await c.getSession({ forceRefresh: true, clientMetadata: { source: 'test' } });
    expect(fake.requests.map((request) => request.body)).toEqual([
      {
        RefreshToken: session.refreshToken,
        ClientId: fake.clientId,
        DeviceKey: 'us-east-1_device-1',
        ClientMetadata: { source: 'test' },
      },
    ]);
  });

  it('falls back to REFRESH_TOKEN_AUTH only where the endpoint does not know GetTokensFromRefreshToken, and remembers', async () => {
    const { c, session } = await signedIn();
    // cognito-local's answer to an operation it does not implement.
    fake.failNext('GetTokensFromRefreshToken', cognitoError('CognitoLocal#Unsupported', 'Unsupported', 500));
    const refreshed = await c.getSession({ forceRefresh: true });
    await c.getSession({ forceRefresh: true });
    expect(fake.requests.map((request) => [request.target, request.body])).toEqual([
      ['GetTokensFromRefreshToken', { RefreshToken: session.refreshToken, ClientId: fake.clientId }],
      [
        'InitiateAuth',
        {
          AuthFlow: 'REFRESH_TOKEN_AUTH',
          ClientId: fake.clientId,
          AuthParameters: { REFRESH_TOKEN: session.refreshToken },
        },
      ],
      [
        'InitiateAuth',
        {
          AuthFlow: 'REFRESH_TOKEN_AUTH',
          ClientId: fake.clientId,
          AuthParameters: { REFRESH_TOKEN: session.refreshToken },
        },
      ],
    ]);
    expect(refreshed?.username).toBe('ann');
  });

  it('a NotAuthorizedException that mentions the operation is a rejected token, not an unknown operation', async () => {
    const { c } = await signedIn();
    const events = record(c);
    fake.failNext(
      'GetTokensFromRefreshToken',
      cognitoError('NotAuthorizedException', 'GetTokensFromRefreshToken: Refresh Token has been revoked'),
    );
    await expect(c.getSession({ forceRefresh: true })).resolves.toBeNull();
    expect(fake.requests.map((request) => request.target)).toEqual(['GetTokensFromRefreshToken']);
    expect(events).toEqual([
      ['sessionExpired', 'NotAuthorizedException'],
      ['signedOut', { reason: 'expired' }],
    ]);
  });
});

describe('a refresh whose outcome is unknown (the answer was lost)', () => {
  it('with a grace period: the retry with the original token gets the rotated token; nobody is signed out', async () => {
    const { c, session } = await signedIn({ refreshTokenRotation: true, retryGracePeriodSeconds: 30 });
    const events = record(c);
    fake.failNext('GetTokensFromRefreshToken', { dropResponse: true });
    const refreshed = await c.getSession({ forceRefresh: true });
    expect(fake.requests.map((request) => request.body.RefreshToken)).toEqual([
      session.refreshToken,
      session.refreshToken,
    ]);
    expect(refreshed?.refreshToken).not.toBe(session.refreshToken);
    expect(events).toEqual([['tokenRefreshed', refreshed?.accessToken]]);
    // The stored token is the live one.
    await expect(c.getSession({ forceRefresh: true })).resolves.toMatchObject({ username: 'ann' });
  });

  it('without a grace period: the retry is refused, and the session is gone: one sessionExpired, one signedOut', async () => {
    const { c, session } = await signedIn({ refreshTokenRotation: true, retryGracePeriodSeconds: 0 });
    const events = record(c);
    fake.failNext('GetTokensFromRefreshToken', { dropResponse: true });
    await expect(c.getSession({ forceRefresh: true })).resolves.toBeNull();
    expect(fake.requests.map((request) => request.body.RefreshToken)).toEqual([
      session.refreshToken,
      session.refreshToken,
    ]);
    expect(events).toEqual([
      ['sessionExpired', 'NotAuthorizedException'],
      ['signedOut', { reason: 'expired' }],
    ]);
  });

  it('without a grace period: the refusal re-reads the storage first and uses the tokens another tab stored meanwhile', async () => {
    const { c, storage } = await signedIn({ refreshTokenRotation: true, retryGracePeriodSeconds: 0 });
    const events = record(c);
    // Another tab signs in again while our retry is on the wire (our lost answer is gone for good).
    const other = client(storage);
    fake.failNext('GetTokensFromRefreshToken', { dropResponse: true });
    fake.failNext('GetTokensFromRefreshToken', { delayMs: 300 });
    const refreshing = c.getSession({ forceRefresh: true });
    await vi.waitFor(() => expect(fake.requests).toHaveLength(2), { interval: 2 });
    const signedInElsewhere = await other.signIn({ username: 'ann', password: 'Correct-Horse-1' });
    if (!signedInElsewhere.isSignedIn) throw new Error('sign-in did not finish');

    await expect(refreshing).resolves.toMatchObject({ accessToken: signedInElsewhere.session.accessToken });
    // The retry was refused (the token it carried was rotated out), and nobody was signed out.
    expect(fake.requests.map((request) => request.target)).toEqual([
      'GetTokensFromRefreshToken',
      'GetTokensFromRefreshToken',
      'InitiateAuth',
    ]);
    expect(events).toEqual([]);
    await expect(c.getSession()).resolves.toMatchObject({
      accessToken: signedInElsewhere.session.accessToken,
    });
  });
});

describe('a rejected refresh while the stored session keeps changing', () => {
  it('never hands out torn tokens found on the second pass: ConcurrentModificationException, retryable', async () => {
    const { c, storage } = await signedIn();
    const events = record(c);
    const issue = () => fake.issueTokens('ann');
    const tokens = (issued: ReturnType<typeof issue>) => ({
      idToken: issued.IdToken,
      accessToken: issued.AccessToken,
      refreshToken: issued.RefreshToken,
    });
    // Each refresh is refused; right after each refusal another tab has stored other tokens: first
    // a session that is due (it must be refreshed, once), then a torn pair (ID and access tokens of
    // two different sign-ins), which must never be returned.
    fake.failNext(
      'GetTokensFromRefreshToken',
      cognitoError('NotAuthorizedException', 'Refresh Token has been revoked'),
      2,
    );
    const writes = [
      () => storeTokens(storage, tokens(issue()), 'ann', -7200, fake.clientId),
      () => {
        const a = issue();
        const b = issue();
        storeTokens(
          storage,
          { idToken: a.IdToken, accessToken: b.AccessToken, refreshToken: b.RefreshToken },
          'ann',
          0,
          fake.clientId,
        );
      },
    ];
    const realFetch = globalThis.fetch;
    vi.spyOn(globalThis, 'fetch').mockImplementation(async (...args) => {
      const response = await realFetch(...args);
      const target = new Headers(args[1]?.headers).get('x-amz-target') ?? '';
      if (target.endsWith('.GetTokensFromRefreshToken')) writes.shift()?.();
      return response;
    });

    const error = await c.getSession({ forceRefresh: true }).catch((e: unknown) => e);

    expect(error).toMatchObject({
      name: 'CognitoError',
      code: 'ConcurrentModificationException',
      retryable: true,
    });
    expect(fake.requests.map((request) => request.target)).toEqual([
      'GetTokensFromRefreshToken',
      'GetTokensFromRefreshToken',
    ]);
    expect(events).toEqual([]);
    // What the other tab stored is left alone.
    expect(storage.getItem(`CognitoIdentityServiceProvider.${fake.clientId}.LastAuthUser`)).toBe('ann');
  });
});

describe('across JS realms (tabs) through the storage lock', () => {
  it('sends one refresh when two realms refresh one session at once, and neither signs out', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const { c, storage, session } = await signedIn();
    // A lock shared by both "tabs", like navigator.locks.
    let queue = Promise.resolve();
    const locked: TokenStorage = {
      getItem: (key) => storage.getItem(key),
      setItem: (key, value) => storage.setItem(key, value),
      removeItem: (key) => storage.removeItem(key),
      lock: <T>(_name: string, task: () => Promise<T>) => {
        const run = queue.then(task);
        queue = run.then(
          () => undefined,
          () => undefined,
        );
        return run;
      },
    };
    // A second module instance has its own in-flight map: a separate realm, like another tab.
    vi.resetModules();
    const otherRealm = (await import('../src/index.js')) as typeof import('../src/index.js');
    const tabA = client(locked);
    const tabB = new otherRealm.CognitoClient({
      userPoolId: fake.userPoolId,
      clientId: fake.clientId,
      storage: locked,
    });
    const signedOut: unknown[] = [];
    tabA.on('signedOut', (payload) => signedOut.push(payload));
    tabB.on('signedOut', (payload) => signedOut.push(payload));
    vi.setSystemTime(session.expiresAt + 1_000);

    const [a, b] = await Promise.all([tabA.getSession(), tabB.getSession()]);

    expect(fake.refreshCount()).toBe(1);
    expect(a?.accessToken).toBe(b?.accessToken);
    expect(a?.accessToken).not.toBe(session.accessToken);
    expect(signedOut).toEqual([]);
    c.dispose();
  });
});

// Sign-out and account deletion under failure: the local session always goes, the right requests
// are sent (and only those), and nothing brings a signed-out session back.
import nock from 'nock';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { TokenStorage } from '../../src/index.js';
import { cognitoError, type FakeCognito, type Fault } from '../fake-cognito/index.js';
import { mintJwt, storeTokens } from '../helpers/tokens.js';
import {
  cleanUp,
  HTML_503,
  type MapStorage,
  makeClient,
  mapStorage,
  PASSWORD,
  recordEvents,
  rejection,
  signedInAs,
  sleep,
  startFake,
} from './support.js';

let fake: FakeCognito;

const signedIn = (options: Parameters<typeof makeClient>[2] = {}, storage: MapStorage = mapStorage()) =>
  signedInAs(fake, options, storage);

function expireTokens() {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(Date.now() + 3_601_000);
}

/** Tokens shaped like those of an app client without token revocation: no origin_jti claim. */
function tokensWithoutOriginJti() {
  const iat = Math.floor(Date.now() / 1000);
  const common = {
    sub: 'sub-ann',
    iss: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_TestPool1',
    iat,
  };
  return {
    idToken: mintJwt({
      ...common,
      exp: iat + 3600,
      aud: fake.clientId,
      token_use: 'id',
      'cognito:username': 'ann',
    }),
    accessToken: mintJwt({
      ...common,
      exp: iat + 3600,
      client_id: fake.clientId,
      token_use: 'access',
      username: 'ann',
    }),
    refreshToken: 'opaque-refresh-token-without-origin',
  };
}

beforeAll(() => nock.disableNetConnect());
beforeEach(() => {
  fake = startFake();
  fake.addUser({ username: 'ann', password: PASSWORD, attributes: { email: 'ann@example.com' } });
});
afterEach(() => cleanUp(fake));

describe('local signOut', () => {
  it.each([
    ['the network is down', { networkError: true } as Fault],
    ['Cognito answers an HTML 503', HTML_503],
    ['Cognito answers 500 InternalErrorException', cognitoError('InternalErrorException', 'x', 500)],
  ])(
    'resolves and clears the session when %s (RevokeToken sent once, never retried)',
    async (_name, fault) => {
      const { storage, client, events } = signedIn({ maxAttempts: 5 });
      fake.failNext('RevokeToken', fault, 10);

      await expect(client.signOut()).resolves.toBeUndefined();

      expect(storage.snapshot()).toEqual({});
      expect(events).toEqual([['signedOut', { reason: 'user' }]]);
      expect(fake.requests.map((request) => request.target)).toEqual(['RevokeToken']);
      await expect(client.getSession()).resolves.toBeNull();
      await expect(client.getCurrentUser()).resolves.toBeNull();
    },
  );

  it('sends RevokeToken with exactly { Token: refreshToken, ClientId } when the access token has origin_jti', async () => {
    const { client, issued } = signedIn();
    await client.signOut();
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]?.target).toBe('RevokeToken');
    expect(fake.requests[0]?.body).toEqual({ Token: issued.RefreshToken, ClientId: fake.clientId });
    // The refresh token is revoked at Cognito: another holder of it cannot refresh any more.
    const other = mapStorage();
    storeTokens(
      other,
      { idToken: issued.IdToken, accessToken: issued.AccessToken, refreshToken: issued.RefreshToken },
      'ann',
      0,
      fake.clientId,
    );
    await expect(makeClient(fake, other).getSession({ forceRefresh: true })).resolves.toBeNull();
  });

  it('sends no request at all when the access token has no origin_jti (revocation disabled)', async () => {
    const storage = mapStorage();
    storeTokens(storage, tokensWithoutOriginJti(), 'ann', 0, fake.clientId);
    const client = makeClient(fake, storage);
    const events = recordEvents(client);
    await client.signOut();
    expect(fake.requests).toEqual([]);
    expect(storage.snapshot()).toEqual({});
    expect(events).toEqual([['signedOut', { reason: 'user' }]]);
  });

  it('with nobody signed in: resolves, no request, no event', async () => {
    const client = makeClient(fake, mapStorage());
    const events = recordEvents(client);
    await expect(client.signOut()).resolves.toBeUndefined();
    await expect(client.signOut({ global: true })).resolves.toBeUndefined();
    expect(fake.requests).toEqual([]);
    expect(events).toEqual([]);
  });

  it('also removes a pending sign-in challenge', async () => {
    fake.addUser({ username: 'sam', password: PASSWORD, sms: true });
    const storage = mapStorage();
    const client = makeClient(fake, storage);
    await client.signIn({ username: 'sam', password: PASSWORD });
    expect(Object.keys(storage.snapshot())).toHaveLength(1);
    await client.signOut();
    expect(storage.snapshot()).toEqual({});
    await expect(
      client.confirmSignIn({ challengeResponse: fake.lastCode('sam', 'sms') }),
    ).rejects.toMatchObject({
      code: 'NoPendingChallengeException',
    });
  });

  it('when the storage cannot remove keys: rejects StorageException, sends nothing, fires no signedOut', async () => {
    const base = mapStorage();
    const broken: TokenStorage = {
      getItem: base.getItem,
      setItem: base.setItem,
      removeItem: () => {
        throw new DOMException('The operation is insecure.', 'SecurityError');
      },
    };
    const { client, events } = signedIn({}, Object.assign(base, { removeItem: broken.removeItem }));
    const error = await rejection(client.signOut());
    expect(error).toMatchObject({ name: 'CognitoError', code: 'StorageException', retryable: false });
    expect(fake.requests).toEqual([]);
    expect(events).toEqual([]);
  });
});

describe('global signOut', () => {
  it('sends GlobalSignOut with the access token, clears the session, revokes everything', async () => {
    const { storage, client, events, issued } = signedIn();
    await client.signOut({ global: true });
    expect(fake.requests.map((request) => [request.target, request.body])).toEqual([
      ['GlobalSignOut', { AccessToken: issued.AccessToken }],
    ]);
    expect(storage.snapshot()).toEqual({});
    expect(events).toEqual([['signedOut', { reason: 'user' }]]);
  });

  it.each([
    ['the network is down', 'NetworkError', { networkError: true } as Fault],
    ['Cognito answers an HTML 503', 'UnexpectedResponseException', HTML_503],
  ])('when %s: rejects with %s, yet the session is gone and signedOut fired', async (_name, code, fault) => {
    const { storage, client, events } = signedIn({ retryBaseDelayMs: 1 });
    fake.failNext('GlobalSignOut', fault, 10);

    const error = await rejection(client.signOut({ global: true }));

    expect(error).toMatchObject({ name: 'CognitoError', code, retryable: true });
    expect(storage.snapshot()).toEqual({});
    expect(events).toEqual([['signedOut', { reason: 'user' }]]);
    // GlobalSignOut is idempotent, so it is retried like any request: 3 attempts by default.
    expect(fake.requests.map((request) => request.target)).toEqual([
      'GlobalSignOut',
      'GlobalSignOut',
      'GlobalSignOut',
    ]);
    await expect(client.getSession()).resolves.toBeNull();
  });

  it('with expired tokens and the network down: rejects NetworkError, session gone, signedOut fired', async () => {
    const { storage, client, events } = signedIn({ maxAttempts: 1 });
    expireTokens();
    fake.failNext('*', { networkError: true }, 10);
    const error = await rejection(client.signOut({ global: true }));
    expect(error).toMatchObject({ code: 'NetworkError', retryable: true });
    expect(storage.snapshot()).toEqual({});
    expect(events).toEqual([['signedOut', { reason: 'user' }]]);
    // The refresh GlobalSignOut needed failed; GlobalSignOut itself was never sent.
    expect(fake.requests.map((request) => request.target)).toEqual(['GetTokensFromRefreshToken']);
  });
});

describe('deleteUser', () => {
  it('deletes the user at Cognito, clears the session, fires signedOut { reason: deleted }', async () => {
    const { storage, client, events, issued } = signedIn();
    await client.deleteUser();
    expect(fake.requests.map((request) => [request.target, request.body])).toEqual([
      ['DeleteUser', { AccessToken: issued.AccessToken }],
    ]);
    expect(storage.snapshot()).toEqual({});
    expect(events).toEqual([['signedOut', { reason: 'deleted' }]]);
    expect(fake.getUser('ann')).toBeUndefined();
  });

  it.each([
    ['the network is down', 'NetworkError', { networkError: true } as Fault],
    ['Cognito answers an HTML 503', 'UnexpectedResponseException', HTML_503],
  ])('when %s: rejects with %s, the local session is gone all the same', async (_name, code, fault) => {
    const { storage, client, events } = signedIn({ retryBaseDelayMs: 1 });
    fake.failNext('DeleteUser', fault, 1);

    const error = await rejection(client.deleteUser());

    expect(error).toMatchObject({ name: 'CognitoError', code, retryable: true });
    expect(storage.snapshot()).toEqual({});
    expect(events).toEqual([['signedOut', { reason: 'user' }]]);
    // DeleteUser is sent once: after a lost answer a retry could not tell success from failure.
    expect(fake.count('DeleteUser')).toBe(1);
    expect(fake.getUser('ann')).toBeDefined();
  });

  it('when Cognito refuses (NotAuthorizedException): rejects with it, the local session is gone', async () => {
    const { storage, client, events } = signedIn();
    fake.failNext('DeleteUser', cognitoError('NotAuthorizedException', 'Access Token has been revoked'));
    const error = await rejection(client.deleteUser());
    expect(error).toMatchObject({ code: 'NotAuthorizedException', retryable: false });
    expect(storage.snapshot()).toEqual({});
    expect(events).toEqual([['signedOut', { reason: 'user' }]]);
  });

  it('with nobody signed in: NotSignedInException, no request, no event', async () => {
    const client = makeClient(fake, mapStorage());
    const events = recordEvents(client);
    await expect(client.deleteUser()).rejects.toMatchObject({ code: 'NotSignedInException' });
    expect(fake.requests).toEqual([]);
    expect(events).toEqual([]);
  });
});

describe('a refresh in flight does not bring a signed-out session back', () => {
  /** An async storage over `base` that runs `hook` (once) before the next write of a key ending in `suffix`. */
  function hookedStorage(base: MapStorage) {
    let hook: { suffix: string; run: () => Promise<void> } | undefined;
    const storage: MapStorage = {
      ...base,
      getItem: async (key) => base.getItem(key),
      removeItem: async (key) => base.removeItem(key),
      setItem: async (key, value) => {
        if (hook && key.endsWith(hook.suffix)) {
          const { run } = hook;
          hook = undefined;
          await run();
        }
        base.setItem(key, value);
      },
    };
    return { storage, before: (suffix: string, run: () => Promise<void>) => (hook = { suffix, run }) };
  }

  it('signOut resolving while the response is on the wire: stays signed out', async () => {
    const { storage, client, events } = signedIn();
    expireTokens();
    fake.failNext('GetTokensFromRefreshToken', { delayMs: 100 });
    const refreshing = client.getSession();
    await sleep(20);
    await client.signOut();
    await refreshing;
    expect(storage.snapshot()).toEqual({});
    await expect(client.getSession()).resolves.toBeNull();
    expect(events).toEqual([['signedOut', { reason: 'user' }]]);
  });

  it.each(['idToken', 'accessToken', 'refreshToken', 'LastAuthUser'])(
    'signOut called while the refreshed tokens are being stored (at the %s write): stays signed out',
    async (suffix) => {
      const hooked = hookedStorage(mapStorage());
      const { client, events } = signedIn({}, hooked.storage);
      expireTokens();
      let signingOut: Promise<void> | undefined;
      let signedOutAt = -1;
      // The user clicks "sign out" while the refresh is writing; the write goes on once signOut has
      // finished or after 50 ms, whichever comes first (a sign-out that waits for the write is fine).
      hooked.before(suffix, async () => {
        signingOut = client.signOut().then(() => {
          signedOutAt = events.length;
        });
        await Promise.race([signingOut, sleep(50)]);
      });

      await client.getSession().catch(() => null);
      await signingOut;

      expect(signedOutAt).toBeGreaterThan(0);
      // signOut resolved: whatever the refresh did, the user stays signed out, nothing is left behind.
      expect((await client.getSession())?.username ?? 'nobody').toBe('nobody');
      expect(Object.keys(hooked.storage.snapshot())).toEqual([]);
      expect(events.slice(signedOutAt)).toEqual([]);
      expect(events.at(-1)).toEqual(['signedOut', { reason: 'user' }]);
    },
  );
});

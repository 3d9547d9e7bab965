import {
  CognitoAccessToken,
  CognitoIdToken,
  CognitoRefreshToken,
  CognitoUser,
  CognitoUserPool,
  CognitoUserSession,
} from 'amazon-cognito-identity-js';
import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CognitoClient, memoryStorage, type TokenStorage } from '../src/index.js';
import { makeClient, startFake } from './helpers/fake-client.js';
import { CLIENT_ID, mintTokens, PREFIX, storeTokens } from './helpers/tokens.js';

// A test that must answer from storage alone registers no interceptor, so a request would fail.
beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());

/** A storage for plain amazon-cognito-identity-js (which also wants clear()) over `map`. */
const libraryStorage = (map: Map<string, string>) => ({
  getItem: (key: string) => map.get(key) ?? null,
  setItem: (key: string, value: string) => void map.set(key, value),
  removeItem: (key: string) => void map.delete(key),
  clear: () => map.clear(),
});
const client = (storage: TokenStorage) =>
  new CognitoClient({ userPoolId: 'us-east-1_TestPool1', clientId: CLIENT_ID, storage });

describe('reading the stored session', () => {
  it('returns valid stored tokens without a request, with claims decoded', async () => {
    const storage = memoryStorage();
    const tokens = mintTokens({ username: 'ann' });
    storeTokens(storage, tokens, 'ann');
    const session = await client(storage).getSession();
    expect(session).toMatchObject({
      username: 'ann',
      userSub: '11111111-2222-3333-4444-555555555555',
      accessToken: tokens.accessToken,
      idToken: tokens.idToken,
      refreshToken: tokens.refreshToken,
    });
    expect(session?.idTokenClaims.email).toBe('ann@example.com');
    expect(session?.accessTokenClaims.token_use).toBe('access');
    expect(Object.isFrozen(session)).toBe(true);
  });

  it('computes expiresAt from the earlier expiry on the drift-corrected clock', async () => {
    const storage = memoryStorage();
    const iat = Math.floor(Date.now() / 1000) - 100;
    storeTokens(storage, mintTokens({ iat, lifetimeSeconds: 3600 }), 'ann', 7);
    const session = await client(storage).getSession();
    expect(session?.expiresAt).toBe((iat + 3600 + 7) * 1000);
  });

  it("reads Amplify v6's clockDrift (milliseconds, Cognito minus local) in its own units", async () => {
    const storage = memoryStorage();
    const iat = Math.floor(Date.now() / 1000) - 100;
    // Amplify v6 marks its sessions with signInDetails; -7000 ms there means this clock is 7 s ahead.
    storeTokens(storage, mintTokens({ iat, lifetimeSeconds: 3600 }), 'ann');
    storage.setItem(`${PREFIX}.ann.clockDrift`, '-7000');
    storage.setItem(`${PREFIX}.ann.signInDetails`, '{"loginId":"ann","authFlowType":"USER_SRP_AUTH"}');
    const session = await client(storage).getSession();
    expect(session?.expiresAt).toBe((iat + 3600 + 7) * 1000);
  });

  it('picks up a session stored by plain amazon-cognito-identity-js under the typed username', async () => {
    const rawStorage = new Map<string, string>();
    const storage = libraryStorage(rawStorage);
    const pool = new CognitoUserPool({
      UserPoolId: 'us-east-1_TestPool1',
      ClientId: CLIENT_ID,
      Storage: storage,
    });
    // Email-alias pool, password flow: the raw library keys the session by what the user typed.
    const tokens = mintTokens({ username: 'a1b2c3d4-uuid' });
    const user = new CognitoUser({ Username: 'ann@example.com', Pool: pool, Storage: storage });
    user.setSignInUserSession(
      new CognitoUserSession({
        IdToken: new CognitoIdToken({ IdToken: tokens.idToken }),
        AccessToken: new CognitoAccessToken({ AccessToken: tokens.accessToken }),
        RefreshToken: new CognitoRefreshToken({ RefreshToken: tokens.refreshToken }),
      }),
    );
    expect(rawStorage.get(`${PREFIX}.LastAuthUser`)).toBe('ann@example.com');

    const session = await client(storage).getSession();
    expect(session?.username).toBe('a1b2c3d4-uuid');
    expect(session?.accessToken).toBe(tokens.accessToken);
    await expect(client(storage).getCurrentUser()).resolves.toEqual({
      username: 'a1b2c3d4-uuid',
      userSub: '11111111-2222-3333-4444-555555555555',
    });
  });

  it('leaves a session the plain library reads back (the key layout works both ways)', async () => {
    const rawStorage = new Map<string, string>();
    const storage = libraryStorage(rawStorage);
    const fake = startFake();
    fake.addUser({ username: 'ann', password: 'Correct-Horse-1' });
    const signedIn = await makeClient(fake, storage).signIn({ username: 'ann', password: 'Correct-Horse-1' });
    const ours = signedIn.isSignedIn ? signedIn.session : null;
    expect(ours).not.toBeNull();

    const pool = new CognitoUserPool({
      UserPoolId: fake.userPoolId,
      ClientId: fake.clientId,
      Storage: storage,
    });
    const user = pool.getCurrentUser();
    expect(user).not.toBeNull();
    const theirs = await new Promise<CognitoUserSession>((resolve, reject) =>
      user?.getSession((error: Error | null, session: CognitoUserSession) =>
        error ? reject(error) : resolve(session),
      ),
    );
    expect(user?.getUsername()).toBe(ours?.username);
    expect(theirs.isValid()).toBe(true);
    expect(theirs.getAccessToken().getJwtToken()).toBe(ours?.accessToken);
    expect(theirs.getRefreshToken().getToken()).toBe(ours?.refreshToken);
  });

  it.each([
    ['a pointer to nothing', { [`${PREFIX}.LastAuthUser`]: 'ann' }],
    [
      'tokens that are not JWTs',
      {
        [`${PREFIX}.LastAuthUser`]: 'ann',
        [`${PREFIX}.ann.idToken`]: 'x',
        [`${PREFIX}.ann.accessToken`]: 'y',
        [`${PREFIX}.ann.refreshToken`]: 'z',
      },
    ],
    [
      'JWTs whose payload is not JSON',
      {
        [`${PREFIX}.LastAuthUser`]: 'ann',
        [`${PREFIX}.ann.idToken`]: 'a.!!!.c',
        [`${PREFIX}.ann.accessToken`]: 'a.e30.c',
        [`${PREFIX}.ann.refreshToken`]: 'z',
      },
    ],
    [
      'a session without a refresh token',
      {
        [`${PREFIX}.LastAuthUser`]: 'ann',
        ...(() => {
          const t = mintTokens();
          return { [`${PREFIX}.ann.idToken`]: t.idToken, [`${PREFIX}.ann.accessToken`]: t.accessToken };
        })(),
      },
    ],
  ])('reads %s as signed out, and keeps what is stored', async (_name, contents) => {
    const storage = memoryStorage();
    for (const [key, value] of Object.entries(contents)) storage.setItem(key, value);
    const c = client(storage);
    await expect(c.getSession()).resolves.toBeNull();
    await expect(c.getCurrentUser()).resolves.toBeNull();
    for (const [key, value] of Object.entries(contents)) expect(storage.getItem(key)).toBe(value);
  });

  it('treats non-string values from an async store as missing', async () => {
    const storage: TokenStorage = {
      getItem: async () => ({ not: 'a string' }) as unknown as string,
      setItem: async () => {},
      removeItem: async () => {},
    };
    await expect(client(storage).getSession()).resolves.toBeNull();
  });

  it('rejects with StorageException when the storage throws on read', async () => {
    const storage: TokenStorage = {
      getItem: () => {
        throw new Error('disk on fire');
      },
      setItem: () => {},
      removeItem: () => {},
    };
    await expect(client(storage).getSession()).rejects.toMatchObject({
      code: 'StorageException',
      retryable: false,
    });
  });

  it('rejects with StorageException when an async store rejects', async () => {
    const storage: TokenStorage = {
      getItem: () => Promise.reject(new Error('redis down')),
      setItem: async () => {},
      removeItem: async () => {},
    };
    await expect(client(storage).getCurrentUser()).rejects.toMatchObject({ code: 'StorageException' });
  });
});

describe('an Amplify v6 session without signInDetails, drift in milliseconds', () => {
  it('is refreshed (one request), not served, when its access token expired 25 s ago', async () => {
    // Cognito's clock runs 5 s ahead of ours. Amplify v6 stores that as clockDrift '5000' (ms,
    // Cognito minus local); a signInWithRedirect session has no signInDetails key to say so.
    let issuedAgoMs = (3600 + 25) * 1000;
    const fake = startFake({ now: () => Date.now() + 5_000 - issuedAgoMs });
    fake.addUser({ username: 'ann', password: 'Correct-Horse-1' });
    const issued = fake.issueTokens('ann'); // access token: issued 3625 s ago, valid for 3600 s
    issuedAgoMs = 0;
    const map = new Map<string, string>();
    const storage: TokenStorage = {
      getItem: (key) => map.get(key) ?? null,
      setItem: (key, value) => void map.set(key, value),
      removeItem: (key) => void map.delete(key),
    };
    storeTokens(
      storage,
      { idToken: issued.IdToken, accessToken: issued.AccessToken, refreshToken: issued.RefreshToken },
      'ann',
      5000,
      fake.clientId,
    );
    expect([...map.keys()].some((key) => key.endsWith('.signInDetails'))).toBe(false);
    const client = makeClient(fake, storage);

    const session = await client.getSession();

    expect(fake.refreshCount()).toBe(1);
    expect(fake.requests.map((request) => request.body?.RefreshToken)).toEqual([issued.RefreshToken]);
    expect(session?.username).toBe('ann');
    expect(session?.accessToken).not.toBe(issued.AccessToken);
    // The fresh tokens expire in about an hour on our clock.
    expect(session?.expiresAt).toBeGreaterThan(Date.now() + 3_500_000);
    expect(session?.expiresAt).toBeLessThan(Date.now() + 3_700_000);
    // And are served from then on without another request.
    await expect(client.getSession()).resolves.toBe(session);
    expect(fake.refreshCount()).toBe(1);
  });
});

describe('a sign-in of another user over what the storage holds', () => {
  it("removes the previous user's keys even when they never formed a full session", async () => {
    const fake = startFake();
    fake.addUser({ username: 'bob', password: 'Correct-Horse-1', attributes: { email: 'bob@example.com' } });
    const storage = memoryStorage();
    const prefix = `CognitoIdentityServiceProvider.${fake.clientId}`;
    // A torn session of ann: the pointer and an ID token, no access or refresh token.
    storage.setItem(`${prefix}.LastAuthUser`, 'ann');
    storage.setItem(`${prefix}.ann.idToken`, 'eyJhbGciOiJub25lIn0.e30.');
    storage.setItem(`${prefix}.ann.clockDrift`, '0');

    const result = await makeClient(fake, storage).signIn({ username: 'bob', password: 'Correct-Horse-1' });

    expect(result.isSignedIn).toBe(true);
    expect(storage.getItem(`${prefix}.LastAuthUser`)).toBe('bob');
    expect(storage.getItem(`${prefix}.ann.idToken`)).toBeNull();
    expect(storage.getItem(`${prefix}.ann.clockDrift`)).toBeNull();
  });
});

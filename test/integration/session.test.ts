// getSession against the cognito-local emulator: no request while valid, forced and clock-driven
// refresh (one request for many callers), a revoked refresh token, and TOTP MFA with a challenge
// answered by another client on the same storage.
//
// The emulator runs on its own, real clock: tokens it issues carry its `iat`/`exp`. With a faked
// `Date`, cognito-kit measures the difference (clock drift) when the tokens arrive and judges
// expiry on the corrected clock, which one test relies on.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { CognitoClient } from '../../src/index.js';
import { type CognitoLocal, startCognitoLocal } from '../helpers/cognito-local.js';
import { totp } from '../helpers/totp.js';
import {
  clientFor,
  confirmedUser,
  countCognitoRequests,
  inspectableStorage,
  type Pool,
  type RequestCounter,
  recordEvents,
  signedIn,
  waitUntilDue,
} from './setup.js';

let cl: CognitoLocal;
let pool: Pool; // tokens live 24 h (the emulator's default)
let counter: RequestCounter;

beforeAll(async () => {
  cl = await startCognitoLocal();
  pool = await cl.createPool({ name: 'session' });
  counter = countCognitoRequests();
});

afterAll(async () => {
  counter?.restore();
  await cl?.stop();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('getSession', () => {
  it('returns the stored session without any request while the tokens are valid', async () => {
    const client = clientFor(cl, pool);
    expect(await client.getSession()).toBeNull();
    const user = await confirmedUser(cl, client, { 'custom:nickname': 'annie' });
    const session = await signedIn(client, user);

    counter.reset();
    const sessions = await Promise.all(Array.from({ length: 20 }, () => client.getSession()));
    expect(counter.requests).toEqual([]);
    for (const s of sessions) expect(s).toBe(session);
    expect(await client.getCurrentUser()).toEqual({ username: user.username, userSub: user.sub });
    expect(counter.requests).toEqual([]);

    expect(session).toMatchObject({
      username: user.username,
      userSub: user.sub,
      idTokenClaims: {
        sub: user.sub,
        'cognito:username': user.username,
        email: user.email,
        'custom:nickname': 'annie',
        token_use: 'id',
        aud: pool.clientId,
        iss: `${cl.endpoint}${pool.userPoolId}`,
      },
      accessTokenClaims: {
        sub: user.sub,
        username: user.username,
        client_id: pool.clientId,
        token_use: 'access',
      },
    });
    // expiresAt: the token's exp on our clock (24 h from now, give or take the second of truncation)
    expect(Math.abs(session.expiresAt - (Date.now() + 24 * 3600_000))).toBeLessThan(5_000);
  });

  it('forceRefresh: one request for many callers, new access token, same refresh token', async () => {
    const client = clientFor(cl, pool);
    const events = recordEvents(client);
    const session = await signedIn(client, await confirmedUser(cl, client));

    counter.reset();
    const refreshed = await Promise.all(
      Array.from({ length: 10 }, () => client.getSession({ forceRefresh: true })),
    );
    expect(counter.refreshes()).toBe(1);
    expect(counter.requests.filter((r) => !r.unsupported)).toHaveLength(1);
    expect(new Set(refreshed.map((s) => s?.accessToken)).size).toBe(1);
    const next = refreshed[0];
    expect(next?.accessToken).not.toBe(session.accessToken);
    expect(next?.refreshToken).toBe(session.refreshToken); // REFRESH_TOKEN_AUTH returns no new one
    expect(next?.userSub).toBe(session.userSub);
    expect(events).toEqual(['signedIn', 'tokenRefreshed']);

    counter.reset();
    expect(await client.getSession()).toBe(next);
    expect(counter.requests).toEqual([]);
  });

  it('refreshes once when the tokens fall due (2-second tokens, real clock)', async () => {
    const shortPool = await cl.createPool({ name: 'short', accessTokenValiditySeconds: 2 });
    const client = clientFor(cl, shortPool);
    const events = recordEvents(client);
    const session = await signedIn(client, await confirmedUser(cl, client));
    expect(session.idTokenClaims.exp - session.idTokenClaims.iat).toBe(2);

    await waitUntilDue(session); // the default 60 s margin is capped at half the lifetime: 1 s
    counter.reset();
    const results = await Promise.all(Array.from({ length: 25 }, () => client.getSession()));
    expect(counter.refreshes()).toBe(1);
    expect(counter.requests.filter((r) => !r.unsupported)).toHaveLength(1);
    expect(new Set(results.map((s) => s?.accessToken)).size).toBe(1);
    expect(results[0]?.accessToken).not.toBe(session.accessToken);
    expect(results[0]?.expiresAt).toBeGreaterThan(session.expiresAt);
    expect(events).toEqual(['signedIn', 'tokenRefreshed']);
  });

  it('refreshes by the local clock (faked Date), corrected for the drift from the emulator clock', async () => {
    const client = clientFor(cl, pool); // 24 h tokens
    const events = recordEvents(client);
    const session = await signedIn(client, await confirmedUser(cl, client));

    vi.useFakeTimers({ toFake: ['Date'] });
    // 23 h 59 min 30 s later: inside the 60 s margin.
    vi.setSystemTime(Date.now() + (24 * 3600 - 30) * 1000);
    counter.reset();
    const refreshed = await client.getSession();
    expect(counter.refreshes()).toBe(1);
    expect(refreshed?.accessToken).not.toBe(session.accessToken);
    // The emulator stamped the new tokens with its real clock, a day "behind" ours; the session's
    // expiresAt is on our (faked) clock all the same: about 24 h from the faked now.
    expect(Math.abs((refreshed?.expiresAt ?? 0) - (Date.now() + 24 * 3600_000))).toBeLessThan(5_000);

    counter.reset();
    expect(await client.getSession()).toBe(refreshed);
    expect(counter.requests).toEqual([]);
    expect(events).toEqual(['signedIn', 'tokenRefreshed']);

    // Long past expiry: one more refresh, nobody signed out.
    vi.setSystemTime(Date.now() + 48 * 3600_000);
    counter.reset();
    const again = await client.getSession();
    expect(again?.accessToken).not.toBe(refreshed?.accessToken);
    expect(counter.refreshes()).toBe(1);
    expect(events).toEqual(['signedIn', 'tokenRefreshed', 'tokenRefreshed']);
  });

  it('a revoked refresh token: getSession resolves null, sessionExpired then signedOut, storage empty', async () => {
    const storage = inspectableStorage();
    const client = clientFor(cl, pool, { storage });
    const events = recordEvents(client);
    const expired: string[] = [];
    client.on('sessionExpired', ({ error }) => expired.push(error.code));
    const user = await confirmedUser(cl, client);

    // A sign-out elsewhere (another device, its own storage) revokes the refresh token only when the
    // access token carries origin_jti, which cognito-local never issues: nothing is sent.
    const elsewhere = clientFor(cl, pool);
    await signedIn(elsewhere, user);
    counter.reset();
    await elsewhere.signOut();
    expect(counter.requests).toEqual([]);

    // So revoke our refresh token with a raw RevokeToken, as a sign-out elsewhere with real Cognito would.
    const session = await signedIn(client, user);
    await cl.call('RevokeToken', { ClientId: pool.clientId, Token: session.refreshToken });

    // While the tokens are valid nothing is asked, so nothing is noticed.
    counter.reset();
    expect(await client.getSession()).toBe(session);
    expect(counter.requests).toEqual([]);

    // The tokens expire (by our clock; the emulator never checks): the refresh is rejected.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 25 * 3600_000);
    counter.reset();
    const results = await Promise.all(Array.from({ length: 5 }, () => client.getSession()));
    expect(results).toEqual([null, null, null, null, null]);
    expect(counter.refreshes()).toBe(1); // rejected once, not retried
    expect(counter.requests.filter((r) => !r.unsupported)).toHaveLength(1);
    expect(events).toEqual(['signedIn', 'sessionExpired', 'signedOut:expired']);
    expect(expired).toEqual(['NotAuthorizedException']);
    expect(storage.keys()).toEqual([]);
    expect(await client.getCurrentUser()).toBeNull();
  });
});

describe('TOTP MFA', () => {
  it('setUpTotp → verifyTotpSetup → setMfaPreference, then sign-in asks for a TOTP code', async () => {
    const mfaPool = await cl.createPool({ name: 'mfa', mfa: 'OPTIONAL' });
    const storage = inspectableStorage();
    const client = clientFor(cl, mfaPool, { storage });
    const events = recordEvents(client);
    const user = await confirmedUser(cl, client);
    const first = await signedIn(client, user); // no MFA yet

    const setup = await client.setUpTotp();
    expect(setup.secretCode).toMatch(/^[A-Z2-7]{32}$/);
    expect(setup.otpauthUri).toBe(
      // The label is the name the user signed in with, as in a sign-in's TOTP set-up step.
      `otpauth://totp/AWSCognito:${encodeURIComponent(user.username)}?secret=${setup.secretCode}&issuer=AWSCognito`,
    );
    const wrongCode = totp(setup.secretCode, Date.now() + 10 * 60_000);
    await expect(client.verifyTotpSetup({ code: wrongCode })).rejects.toMatchObject({
      code: 'CodeMismatchException',
    });
    await client.verifyTotpSetup({ code: totp(setup.secretCode), friendlyDeviceName: 'test phone' });
    await client.setMfaPreference({ totp: 'PREFERRED' });
    const user2 = await cl.call('GetUser', { AccessToken: first.accessToken });
    expect(user2).toMatchObject({
      PreferredMfaSetting: 'SOFTWARE_TOKEN_MFA',
      UserMFASettingList: ['SOFTWARE_TOKEN_MFA'],
    });

    await client.signOut();
    const result = await client.signIn({ username: user.username, password: user.password });
    expect(result).toEqual({ isSignedIn: false, nextStep: { signInStep: 'CONFIRM_SIGN_IN_WITH_TOTP_CODE' } });
    expect(await client.getSession()).toBeNull();

    // A wrong code keeps the challenge open for another try.
    await expect(client.confirmSignIn({ challengeResponse: wrongCode })).rejects.toMatchObject({
      code: 'CodeMismatchException',
    });
    const done = await client.confirmSignIn({ challengeResponse: totp(setup.secretCode) });
    expect(done).toMatchObject({ isSignedIn: true, nextStep: { signInStep: 'DONE' } });
    if (!done.isSignedIn) throw new Error('not signed in');
    expect(done.session.userSub).toBe(user.sub);
    expect(await client.getSession()).toBe(done.session);
    expect(events).toEqual(['signedIn', 'signedOut:user', 'signedIn']);
    expect(storage.keys().some((key) => key.endsWith('.cognitoKit.signInChallenge'))).toBe(false);

    // cognito-local does not store refresh tokens issued by RespondToAuthChallenge: the first
    // refresh of an MFA sign-in is rejected and the session ends (real Cognito refreshes normally).
    expect(await client.getSession({ forceRefresh: true })).toBeNull();
    expect(events.slice(-2)).toEqual(['sessionExpired', 'signedOut:expired']);
  });

  it('a pending challenge is answered by a new client on the same storage', async () => {
    const mfaPool = await cl.createPool({ name: 'pending', mfa: 'OPTIONAL' });
    const storage = inspectableStorage();
    const first = clientFor(cl, mfaPool, { storage });
    const user = await confirmedUser(cl, first);
    await signedIn(first, user);
    const { secretCode } = await first.setUpTotp();
    await first.verifyTotpSetup({ code: totp(secretCode) });
    await first.setMfaPreference({ totp: 'PREFERRED' });
    await first.signOut();

    const started = await first.signIn({ username: user.username, password: user.password });
    expect(started).toMatchObject({ nextStep: { signInStep: 'CONFIRM_SIGN_IN_WITH_TOTP_CODE' } });
    expect(storage.keys().some((key) => key.endsWith('.cognitoKit.signInChallenge'))).toBe(true);

    // "After a page reload": a brand-new client, the same storage.
    const second = new CognitoClient({
      userPoolId: mfaPool.userPoolId,
      clientId: mfaPool.clientId,
      endpoint: cl.endpoint,
      authFlow: 'USER_PASSWORD_AUTH',
      storage,
    });
    const events = recordEvents(second);
    const done = await second.confirmSignIn({ challengeResponse: totp(secretCode) });
    expect(done.isSignedIn).toBe(true);
    expect(events).toEqual(['signedIn']);
    expect(storage.keys().some((key) => key.endsWith('.cognitoKit.signInChallenge'))).toBe(false);

    // Both clients see the session; the challenge is gone for both.
    const fromFirst = await first.getSession();
    expect(fromFirst?.userSub).toBe(user.sub);
    expect((await second.getSession())?.accessToken).toBe(fromFirst?.accessToken);
    await expect(first.confirmSignIn({ challengeResponse: totp(secretCode) })).rejects.toMatchObject({
      code: 'NoPendingChallengeException',
    });
  });
});

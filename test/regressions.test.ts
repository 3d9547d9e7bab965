// Regression tests for the review findings fixed in "Fix races and edge cases found in review".
// Each test failed on the code before that fix. The races are driven two ways: a sweep of start
// offsets over a slow asynchronous storage, and gates that start the competing call at a precise
// storage operation and hold that operation until the call settles, or stops making progress (the
// fixed code makes it wait for the call being held).
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  type CognitoClient,
  CognitoError,
  type Session,
  type SignInResult,
  type TokenStorage,
} from '../src/index.js';
import { fileStorage } from '../src/node.js';
import { totpMatches } from './fake-cognito/handlers/mfa.js';
import { cognitoError, type FakeCognito } from './fake-cognito/index.js';
import { makeClient, startFake } from './helpers/fake-client.js';
import { storeTokens } from './helpers/tokens.js';
import { totp } from './helpers/totp.js';

const PASSWORD = 'Correct-Horse-1';
/** A gated operation goes on once the call it started has made no progress for this long. */
const IDLE_MS = 100;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Storage operations and requests of the code under test: how many started, how many still run. */
const activity = { started: 0, running: 0 };

async function track<T>(operation: () => Promise<T> | T): Promise<T> {
  activity.started += 1;
  activity.running += 1;
  try {
    return await operation();
  } finally {
    activity.running -= 1;
  }
}

/**
 * Waits until `task` settles, or until nothing has been started or run for IDLE_MS: the task is then
 * waiting for whoever holds the gate. Counted from the last progress, so a slow request or file write
 * does not end the hold early.
 */
async function holdFor(task: Promise<unknown>): Promise<void> {
  let settled = false;
  task.then(
    () => (settled = true),
    () => (settled = true),
  );
  let seen = activity.started;
  let idleSince = performance.now();
  while (!settled && performance.now() - idleSince < IDLE_MS) {
    await sleep(5);
    if (activity.started !== seen || activity.running > 0) {
      seen = activity.started;
      idleSince = performance.now();
    }
  }
}

type Op = 'get' | 'set' | 'remove';

/**
 * An asynchronous Map-backed storage (IndexedDB / AsyncStorage-like): every operation waits `delayMs`
 * (0: a promise, no timer).
 * `before(op, suffix, start)` runs `start` once, just before the next `op` on a key ending in `suffix`,
 * and holds that operation until what `start` returned settles or stops making progress (`holdFor`).
 */
function asyncStorage(delayMs: number) {
  const map = new Map<string, string>();
  let gate: { op: Op; suffix: string; start: () => Promise<unknown> } | undefined;
  let fired = false;
  const pass = async (op: Op, key: string) => {
    if (gate && gate.op === op && key.endsWith(gate.suffix)) {
      const { start } = gate;
      gate = undefined;
      fired = true;
      await holdFor(start());
    }
    await track(() => (delayMs > 0 ? sleep(delayMs) : undefined));
  };
  const storage: TokenStorage = {
    getItem: async (key) => {
      await pass('get', key);
      return map.get(key) ?? null;
    },
    setItem: async (key, value) => {
      await pass('set', key);
      map.set(key, value);
    },
    removeItem: async (key) => {
      await pass('remove', key);
      map.delete(key);
    },
  };
  return {
    map,
    storage,
    before(op: Op, suffix: string, start: () => Promise<unknown>) {
      gate = { op, suffix, start };
      fired = false;
    },
    fired: () => fired,
  };
}

/** Stores a session of `username` the fake issued, as a sign-in would have, without a request. */
function seed(fake: FakeCognito, map: Map<string, string>, username: string) {
  const issued = fake.issueTokens(username);
  storeTokens(
    { setItem: (key: string, value: string) => map.set(key, value) },
    { idToken: issued.IdToken, accessToken: issued.AccessToken, refreshToken: issued.RefreshToken },
    username,
    0,
    fake.clientId,
  );
}

/** Every session event of `client`, in order, the session ones by access token. */
function recordEvents(client: CognitoClient): [string, string][] {
  const events: [string, string][] = [];
  client.on('signedIn', (session) => events.push(['signedIn', session.accessToken]));
  client.on('tokenRefreshed', (session) => events.push(['tokenRefreshed', session.accessToken]));
  client.on('sessionExpired', ({ error }) => events.push(['sessionExpired', error.code]));
  client.on('signedOut', ({ reason }) => events.push(['signedOut', reason]));
  return events;
}

function signedInSession(result: SignInResult): Session {
  if (!result.isSignedIn) throw new Error(`expected DONE, got ${result.nextStep.signInStep}`);
  return result.session;
}

/** The events fired after `session`'s signedIn event (which must be there). */
function eventsAfterSignIn(events: [string, string][], session: Session): string[] {
  const at = events.findIndex(([name, token]) => name === 'signedIn' && token === session.accessToken);
  expect(at).toBeGreaterThanOrEqual(0);
  return events.slice(at + 1).map(([name]) => name);
}

async function rejectionOf(promise: Promise<unknown>): Promise<CognitoError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!(error instanceof CognitoError)) throw new Error(`expected a CognitoError, got ${String(error)}`);
  return error;
}

const keysOf = (map: Map<string, string>, username: string) =>
  [...map.keys()].filter((key) => key.includes(`.${username}.`));

beforeAll(() => {
  nock.disableNetConnect();
  // Requests count as activity too (nock answers through the fetch it patched, captured here).
  const patchedFetch = globalThis.fetch;
  vi.stubGlobal('fetch', (...args: Parameters<typeof fetch>) => track(() => patchedFetch(...args)));
});
afterEach(() => nock.cleanAll());
afterAll(() => vi.unstubAllGlobals());

describe('finding 1: a sign-in racing a refresh on the same storage', () => {
  async function rejectedRefreshRace(user: 'ann' | 'bob', delayMs: number, offsetMs: number) {
    const fake = startFake();
    fake.addUser({ username: 'ann', password: PASSWORD });
    fake.addUser({ username: 'bob', password: PASSWORD });
    const { map, storage } = asyncStorage(delayMs);
    seed(fake, map, 'ann');
    fake.revokeRefreshTokens('ann');
    const client = makeClient(fake, storage);
    const events = recordEvents(client);

    const refreshing = client.getSession({ forceRefresh: true });
    await sleep(offsetMs);
    const session = signedInSession(await client.signIn({ username: user, password: PASSWORD }));
    const refreshed = await refreshing;
    const after = await client.getSession();
    return {
      label: `${user}, ${delayMs} ms per op, sign-in ${offsetMs} ms after the refresh`,
      session,
      refreshed: refreshed?.accessToken ?? null,
      after: after?.accessToken ?? null,
      eventsAfterSignIn: eventsAfterSignIn(events, session),
    };
  }

  it('a refresh Cognito rejects never wipes a sign-in that lands meanwhile (sweep of interleavings)', async () => {
    for (const user of ['ann', 'bob'] as const) {
      for (const delayMs of [1, 3]) {
        for (const offsetMs of [0, 2, 4, 6, 8]) {
          const race = await rejectedRefreshRace(user, delayMs, offsetMs);
          const token = race.session.accessToken;
          // The sign-in's session survives and is what getSession() serves.
          expect({ case: race.label, after: race.after }).toEqual({ case: race.label, after: token });
          // The refresh ended with nobody (it cleared the old session first) or with the new session.
          expect([null, token], race.label).toContain(race.refreshed);
          // Nobody is told the new session expired or was signed out.
          expect({ case: race.label, events: race.eventsAfterSignIn }).toEqual({
            case: race.label,
            events: [],
          });
        }
      }
    }
  });

  it.each(['ann', 'bob'] as const)(
    'a sign-in of %s finishing while a rejected refresh clears the old session is kept',
    async (user) => {
      const fake = startFake();
      fake.addUser({ username: 'ann', password: PASSWORD });
      fake.addUser({ username: 'bob', password: PASSWORD });
      const gated = asyncStorage(0);
      seed(fake, gated.map, 'ann');
      fake.revokeRefreshTokens('ann');
      const client = makeClient(fake, gated.storage);
      const events = recordEvents(client);
      let signingIn: Promise<SignInResult> | undefined;
      // The refresh's clear of the expired session starts with the pointer: sign in right then.
      gated.before('remove', '.LastAuthUser', () => {
        signingIn = client.signIn({ username: user, password: PASSWORD });
        return signingIn;
      });

      const refreshed = await client.getSession({ forceRefresh: true });
      expect(gated.fired()).toBe(true);
      const session = signedInSession(await (signingIn as Promise<SignInResult>));

      expect([null, session.accessToken]).toContain(refreshed?.accessToken ?? null);
      expect((await client.getSession())?.accessToken).toBe(session.accessToken);
      expect(eventsAfterSignIn(events, session)).toEqual([]);
      expect(keysOf(gated.map, user).sort()).toEqual(
        ['accessToken', 'clockDrift', 'cognitoKit.loginId', 'idToken', 'refreshToken'].map(
          (field) => `CognitoIdentityServiceProvider.${fake.clientId}.${user}.${field}`,
        ),
      );
    },
  );

  it.each(['idToken', 'accessToken', 'refreshToken', 'clockDrift', 'LastAuthUser'])(
    "signIn(bob) started while a successful refresh of ann writes its %s: bob is signed in, and sign-out leaves none of ann's keys",
    async (field) => {
      const fake = startFake();
      fake.addUser({ username: 'ann', password: PASSWORD });
      fake.addUser({ username: 'bob', password: PASSWORD });
      const gated = asyncStorage(0);
      seed(fake, gated.map, 'ann');
      const client = makeClient(fake, gated.storage);
      let signingIn: Promise<SignInResult> | undefined;
      gated.before('set', `.${field}`, () => {
        signingIn = client.signIn({ username: 'bob', password: PASSWORD });
        return signingIn;
      });

      const refreshed = await client.getSession({ forceRefresh: true });
      expect(gated.fired()).toBe(true);
      const session = signedInSession(await (signingIn as Promise<SignInResult>));

      expect(refreshed?.username).toBe('ann');
      expect(fake.refreshCount()).toBe(1);
      expect((await client.getSession())?.accessToken).toBe(session.accessToken);
      expect(keysOf(gated.map, 'ann')).toEqual([]);
      await client.signOut();
      expect([...gated.map.keys()]).toEqual([]);
      await expect(client.getCurrentUser()).resolves.toBeNull();
    },
  );
});

describe('finding 2: sign-out in one process while a refresh runs in another (fileStorage)', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  });

  it.each(['idToken', 'accessToken', 'refreshToken', 'clockDrift', 'LastAuthUser'])(
    'signOut in B while the refresh in A writes its %s: the file holds no session afterwards',
    async (field) => {
      const fake = startFake();
      fake.addUser({ username: 'ann', password: PASSWORD });
      const dir = await mkdtemp(join(tmpdir(), 'cognito-kit-regression-'));
      dirs.push(dir);
      const path = join(dir, 'tokens.json');
      // Two storage objects on one path share no memory: each stands for its own process.
      const fileA = fileStorage(path);
      const fileB = fileStorage(path);
      // Process B's storage, its operations tracked (waiting for the lock is not progress).
      const processB: TokenStorage = {
        getItem: (key) => track(() => fileB.getItem(key)),
        setItem: (key, value) => track(() => fileB.setItem(key, value)),
        removeItem: (key) => track(() => fileB.removeItem(key)),
        lock: (name, task) => (fileB.lock as NonNullable<TokenStorage['lock']>)(name, task),
      };
      const seeded = new Map<string, string>();
      seed(fake, seeded, 'ann');
      for (const [key, value] of seeded) await fileA.setItem(key, value);
      let signingOut: Promise<void> | undefined;
      let gate: string | undefined = `.${field}`;
      // Process A's storage, with a gate: process B signs out just before A writes `field`.
      const processA: TokenStorage = {
        getItem: (key) => fileA.getItem(key),
        removeItem: (key) => fileA.removeItem(key),
        setItem: async (key, value) => {
          if (gate && key.endsWith(gate)) {
            gate = undefined;
            signingOut = b.signOut();
            await holdFor(signingOut);
          }
          await fileA.setItem(key, value);
        },
        lock: (name, task) => (fileA.lock as NonNullable<TokenStorage['lock']>)(name, task),
      };
      const a = makeClient(fake, processA);
      const b = makeClient(fake, processB);

      const refreshed = await a.getSession({ forceRefresh: true }).catch((error: unknown) => error);
      expect(gate).toBeUndefined();
      await signingOut;

      expect(fake.refreshCount()).toBe(1);
      expect((refreshed as Session | null)?.username ?? null).toBe('ann');
      const left = JSON.parse(await readFile(path, 'utf8').catch(() => '{}')) as Record<string, string>;
      expect(Object.keys(left)).toEqual([]);
      await expect(b.getCurrentUser()).resolves.toBeNull();
      await expect(a.getCurrentUser()).resolves.toBeNull();
    },
  );
});

describe('finding 3: an Amplify v6 session without signInDetails, drift in milliseconds', () => {
  it('is refreshed (one request), not served, when its access token expired 25 s ago', async () => {
    // Cognito's clock runs 5 s ahead of ours. Amplify v6 stores that as clockDrift '5000' (ms,
    // Cognito minus local); a signInWithRedirect session has no signInDetails key to say so.
    let issuedAgoMs = (3600 + 25) * 1000;
    const fake = startFake({ now: () => Date.now() + 5_000 - issuedAgoMs });
    fake.addUser({ username: 'ann', password: PASSWORD });
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

describe('finding 4: two concurrent answers to NEW_PASSWORD_REQUIRED', () => {
  it('the losing answer does not delete the next (TOTP) challenge, which then signs in', async () => {
    const fake = startFake();
    const { totpSecret } = fake.addUser({
      username: 'ann',
      password: 'Temp-Pass-1',
      status: 'FORCE_CHANGE_PASSWORD',
      totp: true,
    });
    const client = makeClient(fake, asyncStorage(0).storage);
    const first = await client.signIn({ username: 'ann', password: 'Temp-Pass-1' });
    expect(first.isSignedIn ? 'DONE' : first.nextStep.signInStep).toBe(
      'CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED',
    );
    // A double click: the answer Cognito handles second (the loser) comes back last.
    fake.failNext('RespondToAuthChallenge', { delayMs: 100 });
    const answers = await Promise.allSettled([
      client.confirmSignIn({ challengeResponse: 'New-Pass-123' }),
      client.confirmSignIn({ challengeResponse: 'New-Pass-123' }),
    ]);

    const won = answers.flatMap((answer) => (answer.status === 'fulfilled' ? [answer.value] : []));
    const lost = answers.flatMap((answer) => (answer.status === 'rejected' ? [answer.reason] : []));
    expect(won.map((result) => (result.isSignedIn ? 'DONE' : result.nextStep.signInStep))).toEqual([
      'CONFIRM_SIGN_IN_WITH_TOTP_CODE',
    ]);
    expect(lost.map((error) => (error as CognitoError).code)).toEqual(['NotAuthorizedException']);

    const session = signedInSession(
      await client.confirmSignIn({ challengeResponse: totp(totpSecret ?? '') }),
    );
    expect(session.username).toBe('ann');
    await expect(client.getSession()).resolves.toBe(session);
  });
});

describe('finding 5: TOTP set-up (MFA_SETUP)', () => {
  /** A six-digit code the fake cannot accept for `secret` now. */
  function wrongCode(secret: string): string {
    for (let n = 0; ; n++) {
      const code = String(n).padStart(6, '0');
      if (!totpMatches(secret, code, Date.now()) && !totpMatches(secret, code, Date.now() + 30_000))
        return code;
    }
  }

  async function atTotpSetup(options: Parameters<typeof makeClient>[2] = {}) {
    const fake = startFake({ mfa: 'ON' });
    fake.addUser({ username: 'bob', password: PASSWORD });
    const client = makeClient(fake, asyncStorage(0).storage, options);
    const result = await client.signIn({ username: 'bob', password: PASSWORD });
    if (result.isSignedIn || result.nextStep.signInStep !== 'CONTINUE_SIGN_IN_WITH_TOTP_SETUP') {
      throw new Error('expected the TOTP set-up step');
    }
    fake.requests.length = 0;
    return { fake, client, secret: result.nextStep.secretCode };
  }

  it('a mistyped code gives EnableSoftwareTokenMFAException and keeps the set-up: the right code signs in', async () => {
    const { fake, client, secret } = await atTotpSetup();

    const error = await rejectionOf(client.confirmSignIn({ challengeResponse: wrongCode(secret) }));
    expect(error.code).toBe('EnableSoftwareTokenMFAException');

    const session = signedInSession(await client.confirmSignIn({ challengeResponse: totp(secret) }));
    expect(session.username).toBe('bob');
    expect(fake.requests.map((request) => request.target)).toEqual([
      'VerifySoftwareToken',
      'VerifySoftwareToken',
      'RespondToAuthChallenge',
    ]);
  });

  it('verified, then RespondToAuthChallenge fails on the network: the retry with the same code signs in without verifying again', async () => {
    const { fake, client, secret } = await atTotpSetup({ maxAttempts: 1 });
    const code = totp(secret);
    fake.failNext('RespondToAuthChallenge', { networkError: true });

    const error = await rejectionOf(client.confirmSignIn({ challengeResponse: code }));
    expect([error.code, error.retryable]).toEqual(['NetworkError', true]);

    const session = signedInSession(await client.confirmSignIn({ challengeResponse: code }));
    expect(session.username).toBe('bob');
    expect(fake.count('VerifySoftwareToken')).toBe(1);
    expect(fake.requests.map((request) => request.target)).toEqual([
      'VerifySoftwareToken',
      'RespondToAuthChallenge',
      'RespondToAuthChallenge',
    ]);
  });
});

describe('finding 6: stale claims after updateAttributes', () => {
  it('a new client on the same storage gets fresh claims from getSession() (one refresh)', async () => {
    const fake = startFake();
    fake.addUser({ username: 'ann', password: PASSWORD, attributes: { name: 'Ann' } });
    const storage = asyncStorage(0).storage;
    const pageA = makeClient(fake, storage);
    const signedIn = signedInSession(await pageA.signIn({ username: 'ann', password: PASSWORD }));
    expect(signedIn.idTokenClaims.name).toBe('Ann');
    await pageA.updateAttributes({ name: 'Annie' });

    const pageB = makeClient(fake, storage); // a page reload, or the server's next request
    const session = await pageB.getSession();

    expect(session?.idTokenClaims.name).toBe('Annie');
    expect(fake.refreshCount()).toBe(1);
    // The refreshed tokens are fresh for both clients: no second refresh.
    expect((await pageA.getSession())?.idTokenClaims.name).toBe('Annie');
    expect((await pageB.getSession())?.accessToken).toBe(session?.accessToken);
    expect(fake.refreshCount()).toBe(1);
  });
});

describe('finding 7: redaction of secrets Cognito echoes back', () => {
  it('redacts a secret that contains another one whole, tail included', async () => {
    const fake = startFake();
    fake.addUser({ username: 'ann', password: 'Summer-2024' });
    const client = makeClient(fake, asyncStorage(0).storage);
    await client.signIn({ username: 'ann', password: 'Summer-2024' });
    fake.failNext(
      'ChangePassword',
      cognitoError(
        'InvalidPasswordException',
        "Value 'Summer-2024-Extra!' at 'proposedPassword' failed; it is too close to 'Summer-2024'",
      ),
    );

    const error = await rejectionOf(
      client.changePassword({ oldPassword: 'Summer-2024', newPassword: 'Summer-2024-Extra!' }),
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

// Races between a sign-in or a sign-out and a refresh on one storage. They are driven two ways: a
// sweep of start offsets over a slow asynchronous storage, and gates that start the competing call
// at a precise storage operation and hold that operation until the call settles, or stops making
// progress (storage access is serialised, so the call being held makes the competing one wait).
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Session, SignInResult, TokenStorage } from '../../src/index.js';
import { fileStorage } from '../../src/node.js';
import { asyncStorage, holdFor, track, trackRequests } from '../helpers/async-storage.js';
import { signedInSession } from '../helpers/fake-client.js';
import { makeClient, mapStorage, PASSWORD, recordEvents, seedSession, sleep, startFake } from './support.js';

/** The names of the events fired after `session`'s signedIn event (which must be there). */
function eventsAfterSignIn(events: [string, unknown][], session: Session): string[] {
  const at = events.findIndex(([name, token]) => name === 'signedIn' && token === session.accessToken);
  expect(at).toBeGreaterThanOrEqual(0);
  return events.slice(at + 1).map(([name]) => name);
}

const keysOf = (map: Map<string, string>, username: string) =>
  [...map.keys()].filter((key) => key.includes(`.${username}.`));

/** A view of `map` without delays or gates, for seeding. */
const direct = (map: Map<string, string>): TokenStorage => ({
  getItem: (key) => map.get(key) ?? null,
  setItem: (key, value) => void map.set(key, value),
  removeItem: (key) => void map.delete(key),
});

beforeAll(() => {
  nock.disableNetConnect();
  trackRequests();
});
afterEach(() => nock.cleanAll());
afterAll(() => vi.unstubAllGlobals());

describe('a sign-in racing a refresh on the same storage', () => {
  async function rejectedRefreshRace(user: 'ann' | 'bob', delayMs: number, offsetMs: number) {
    const fake = startFake();
    fake.addUser({ username: 'ann', password: PASSWORD });
    fake.addUser({ username: 'bob', password: PASSWORD });
    const { map, storage } = asyncStorage(delayMs);
    seedSession(fake, direct(map), 'ann');
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
      seedSession(fake, direct(gated.map), 'ann');
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
      seedSession(fake, direct(gated.map), 'ann');
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

describe('sign-out in one process while a refresh runs in another (fileStorage)', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  });

  it.each(['idToken', 'accessToken', 'refreshToken', 'clockDrift', 'LastAuthUser'])(
    'signOut in B while the refresh in A writes its %s: the file holds no session afterwards',
    async (field) => {
      const fake = startFake();
      fake.addUser({ username: 'ann', password: PASSWORD });
      const dir = await mkdtemp(join(tmpdir(), 'cognito-kit-races-'));
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
      const seeded = mapStorage();
      seedSession(fake, seeded, 'ann');
      for (const [key, value] of seeded.map) await fileA.setItem(key, value);
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

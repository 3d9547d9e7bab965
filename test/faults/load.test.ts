// Load: many clients refreshing at once, many concurrent sign-ins, many listeners, and a client
// that leaves nothing behind (no listener, no timer) once disposed.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { CognitoClient, Session, TokenStorage } from '../../src/index.js';
import { type FakeCognito, startFakeCognitoServer } from '../fake-cognito/index.js';
import { makeClient, mapStorage, PASSWORD, seedSession, sleep, startFake } from './support.js';

let fake: FakeCognito;

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
  nock.cleanAll();
  vi.useRealTimers();
});

function addUsers(count: number, prefix = 'user'): string[] {
  return Array.from({ length: count }, (_, index) => {
    const username = `${prefix}${index}`;
    fake.addUser({ username, password: PASSWORD });
    return username;
  });
}

/** An async storage with 0-3 ms delays, like AsyncStorage or IndexedDB. */
function slowStorage(): TokenStorage & { snapshot(): Record<string, string> } {
  const base = mapStorage();
  const pause = () => new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 4)));
  return {
    snapshot: base.snapshot,
    getItem: async (key) => {
      await pause();
      return base.getItem(key);
    },
    setItem: async (key, value) => {
      await pause();
      base.setItem(key, value);
    },
    removeItem: async (key) => {
      await pause();
      base.removeItem(key);
    },
  };
}

describe('1,000 concurrent getSession calls over 100 clients whose tokens expire together', () => {
  it.each([
    ['synchronous', () => mapStorage() as TokenStorage],
    ['asynchronous (0-3 ms per call)', () => slowStorage() as TokenStorage],
  ])('%s storage: exactly one refresh per session, 100 requests in all', async (_name, makeStorage) => {
    vi.useFakeTimers({ toFake: ['Date'] });
    fake = startFake();
    const users = addUsers(100);
    const clients = users.map((username) => {
      const storage = makeStorage();
      const issued = seedSession(fake, storage, username);
      const client = makeClient(fake, storage);
      const refreshed: string[] = [];
      client.on('tokenRefreshed', (session) => refreshed.push(session.accessToken));
      return { username, client, issued, refreshed };
    });
    await Promise.all(clients.map(({ client }) => client.getSession()));
    expect(fake.requests).toEqual([]);
    vi.setSystemTime(Date.now() + 3_601_000);

    // 10 calls per client, interleaved across clients.
    const calls: { index: number; promise: Promise<Session | null> }[] = [];
    for (let round = 0; round < 10; round++) {
      for (const [index, { client }] of clients.entries())
        calls.push({ index, promise: client.getSession() });
    }
    const sessions = await Promise.all(calls.map(({ promise }) => promise));

    expect(calls).toHaveLength(1_000);
    expect(fake.refreshCount()).toBe(100);
    expect(fake.requests).toHaveLength(100);
    // Every refresh token was used exactly once.
    const used = fake.requests.map((request) => request.body.RefreshToken as string).sort();
    expect(used).toEqual(clients.map(({ issued }) => issued.RefreshToken).sort());
    for (const [index, { username, issued, refreshed }] of clients.entries()) {
      const own = sessions.filter((_, call) => calls[call]?.index === index);
      expect(own).toHaveLength(10);
      expect(new Set(own).size).toBe(1);
      expect(own[0]?.username).toBe(username);
      expect(own[0]?.accessToken).not.toBe(issued.AccessToken);
      expect(refreshed).toEqual([own[0]?.accessToken]);
    }
  });
});

describe('100 concurrent sign-ins of different users', () => {
  it('all succeed: 100 with USER_PASSWORD_AUTH and 10 with SRP, all at once, each into its own storage', async () => {
    fake = startFake();
    const passwordUsers = addUsers(100, 'pw');
    // SRP costs ~0.8 s of CPU per sign-in in the library's big-integer code: 10 keep the suite fast.
    const srpUsers = addUsers(10, 'srp');
    const attempts = [
      ...passwordUsers.map((username) => ({ username, authFlow: 'USER_PASSWORD_AUTH' as const })),
      ...srpUsers.map((username) => ({ username, authFlow: 'USER_SRP_AUTH' as const })),
    ].map(({ username, authFlow }) => {
      const storage = mapStorage();
      const client = makeClient(fake, storage, { authFlow });
      return { username, storage, client, result: client.signIn({ username, password: PASSWORD }) };
    });

    const results = await Promise.all(attempts.map(({ result }) => result));

    for (const [index, result] of results.entries()) {
      const { username, client } = attempts[index] as (typeof attempts)[number];
      expect(result.isSignedIn).toBe(true);
      if (result.isSignedIn) expect(result.session.username).toBe(username);
      await expect(client.getCurrentUser()).resolves.toMatchObject({ username });
    }
    const targets = fake.requests.map((request) => request.target);
    expect(targets.filter((target) => target === 'InitiateAuth')).toHaveLength(110);
    expect(targets.filter((target) => target === 'RespondToAuthChallenge')).toHaveLength(10);
    expect(targets).toHaveLength(120);
    expect(fake.internalErrors).toEqual([]);
  });
});

describe('10,000 listeners', () => {
  const EVENTS = ['signedIn', 'signedOut', 'tokenRefreshed', 'sessionExpired'] as const;

  /** Emits every event once through real flows; returns nothing, listeners count. */
  async function emitEverything(client: CognitoClient, username: string) {
    await client.signIn({ username, password: PASSWORD }); // signedIn
    await client.getSession({ forceRefresh: true }); // tokenRefreshed
    fake.revokeRefreshTokens(username);
    await client.getSession({ forceRefresh: true }); // sessionExpired, signedOut
  }

  /** Subscribes `count` fresh listeners round-robin over the events; keeps only weak references. */
  function subscribeMany(client: CognitoClient, count: number, counter: { calls: number }) {
    const refs: WeakRef<object>[] = [];
    const offs: (() => void)[] = [];
    for (let i = 0; i < count; i++) {
      const listener = () => {
        counter.calls++;
      };
      refs.push(new WeakRef(listener));
      offs.push(client.on(EVENTS[i % EVENTS.length] as (typeof EVENTS)[number], listener));
    }
    return { refs, offs };
  }

  function unsubscribeAll(offs: (() => void)[]) {
    for (const off of offs) off();
  }

  function gcFunction(): () => void {
    setFlagsFromString('--expose-gc');
    return runInNewContext('gc') as () => void;
  }

  async function collected(refs: WeakRef<object>[]): Promise<number> {
    const gc = gcFunction();
    for (let round = 0; round < 3; round++) {
      await sleep(0);
      gc();
    }
    return refs.filter((ref) => ref.deref() === undefined).length;
  }

  it('subscribed and unsubscribed: no event reaches any of them, and none is kept in memory', async () => {
    fake = startFake();
    addUsers(2);
    const client = makeClient(fake, mapStorage());
    const counter = { calls: 0 };
    const { refs, offs } = subscribeMany(client, 10_000, counter);
    unsubscribeAll(offs);
    unsubscribeAll(offs); // twice is harmless
    offs.length = 0;

    await emitEverything(client, 'user0');
    expect(counter.calls).toBe(0);
    expect(await collected(refs)).toBe(10_000);

    // The emitter still works: one new subscription per event, one call each.
    const seen: string[] = [];
    for (const event of EVENTS) client.on(event, () => seen.push(event));
    await emitEverything(client, 'user1');
    expect(seen.sort()).toEqual([...EVENTS].sort());
  });

  it('dispose() drops all 10,000 at once: no event reaches them, none is kept in memory', async () => {
    fake = startFake();
    addUsers(1);
    const client = makeClient(fake, mapStorage());
    const counter = { calls: 0 };
    const { refs } = subscribeMany(client, 10_000, counter);
    client.dispose();
    await emitEverything(client, 'user0');
    expect(counter.calls).toBe(0);
    expect(await collected(refs)).toBe(10_000);
  });
});

describe('a disposed client keeps no Node process alive', () => {
  it('a script that signs in over HTTP, refreshes, retries, then disposes exits by itself within 2 s', async () => {
    fake = startFake();
    fake.addUser({ username: 'ann', password: PASSWORD, attributes: { email: 'ann@example.com' } });
    const server = await startFakeCognitoServer(fake);
    try {
      // GetUser fails twice before it succeeds: the retries' backoff timers run.
      fake.failNext('GetUser', { status: 503, body: '' }, 2);
      const fixture = fileURLToPath(new URL('./fixtures/dispose-exit.ts', import.meta.url));
      const root = fileURLToPath(new URL('../../', import.meta.url));
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', fixture, server.url, fake.userPoolId, fake.clientId, 'ann', PASSWORD],
        { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let stdout = '';
      let stderr = '';
      let doneAt: number | undefined;
      child.stdout.on('data', (chunk) => {
        stdout += chunk;
        // The script printed its report right after dispose(): from here it must exit by itself.
        if (doneAt === undefined && stdout.includes('\n')) doneAt = performance.now();
      });
      child.stderr.on('data', (chunk) => (stderr += chunk));
      const exit = await new Promise<{ code: number | null; at: number }>((resolve) => {
        const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
        child.on('exit', (code) => {
          clearTimeout(timer);
          resolve({ code, at: performance.now() });
        });
      });

      expect(stderr).toBe('');
      expect(exit.code).toBe(0);
      const report = JSON.parse(stdout.trim()) as {
        signedIn: boolean;
        events: string[];
        resources: string[];
      };
      expect(report.signedIn).toBe(true);
      expect(report.events).toEqual(['signedIn', 'tokenRefreshed']);
      expect(report.resources.filter((resource) => resource === 'Timeout')).toEqual([]);
      expect(fake.count('GetUser')).toBe(3);
      expect(fake.count('ForgotPassword')).toBe(2);
      expect(exit.at - (doneAt ?? Number.NaN)).toBeLessThan(2_000);
    } finally {
      await server.close();
    }
  });
});

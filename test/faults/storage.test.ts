// Storage faults: a full or broken store, garbage values, slow asynchronous stores, torn sessions,
// and fileStorage shared by processes that write whole sessions or die mid-write.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import nock from 'nock';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { type CognitoClient, CognitoError, type Session, type TokenStorage } from '../../src/index.js';
import { fileStorage } from '../../src/node.js';
import type { FakeCognito } from '../fake-cognito/index.js';
import { mintTokens, storeTokens } from '../helpers/tokens.js';
import { CLIENT_ID, sessionTokens } from './fixtures/session-tokens.js';
import {
  claimsOf,
  cleanUp,
  makeClient,
  mapStorage,
  outcome,
  PASSWORD,
  recordEvents,
  rejection,
  seedSession,
  sleep,
  startFakeWithUsers,
} from './support.js';

let fake: FakeCognito;
const PREFIX = `CognitoIdentityServiceProvider.${CLIENT_ID}`;
const key = (username: string, field: string) => `${PREFIX}.${username}.${field}`;
const TOKEN_FIELDS = ['idToken', 'accessToken', 'refreshToken'] as const;

/** A Map-backed store whose writes fail with the browser's quota error from the n-th write on. */
class QuotaStorage implements TokenStorage {
  readonly map = new Map<string, string>();
  writes = 0;
  failFromWrite = Number.POSITIVE_INFINITY;
  getItem(name: string) {
    return this.map.get(name) ?? null;
  }
  setItem(name: string, value: string) {
    this.writes++;
    if (this.writes >= this.failFromWrite) {
      throw new DOMException(
        `Failed to execute 'setItem' on 'Storage': Setting the value of '${name}' exceeded the quota.`,
        'QuotaExceededError',
      );
    }
    this.map.set(name, value);
  }
  removeItem(name: string) {
    this.map.delete(name);
  }
  /** Fail from the n-th write after now. */
  failAfter(n: number) {
    this.writes = 0;
    this.failFromWrite = n;
  }
  heal() {
    this.failFromWrite = Number.POSITIVE_INFINITY;
  }
}

/**
 * A returned session is never a mix: its ID and access tokens come from one issue (same origin_jti,
 * iat and sub) and are exactly what the storage holds.
 */
function expectWhole(session: Session | null, storage: TokenStorage) {
  if (!session) return;
  const id = claimsOf(session.idToken);
  const access = claimsOf(session.accessToken);
  expect(id.origin_jti).toBe(access.origin_jti);
  expect(id.iat).toBe(access.iat);
  expect(id.sub).toBe(access.sub);
  for (const field of TOKEN_FIELDS) {
    expect(storage.getItem(key(session.username, field))).toBe(session[field]);
  }
}

function tokensOf(session: Session | null) {
  return (
    session && {
      idToken: session.idToken,
      accessToken: session.accessToken,
      refreshToken: session.refreshToken,
    }
  );
}

function useFakeDate() {
  vi.useFakeTimers({ toFake: ['Date'] });
}

beforeAll(() => nock.disableNetConnect());
beforeEach(() => {
  fake = startFakeWithUsers();
});
afterEach(() => cleanUp(fake));

describe('a store that throws on write (quota exceeded)', () => {
  const WRITES = [1, 2, 3, 4, 5];

  it.each(WRITES)(
    'first sign-in, failing from write %i: StorageException, nobody signed in afterwards',
    async (n) => {
      const storage = new QuotaStorage();
      const client = makeClient(fake, storage);
      const events = recordEvents(client);
      storage.failAfter(n);

      const error = await rejection(client.signIn({ username: 'ann', password: PASSWORD }));

      expect(error).toBeInstanceOf(CognitoError);
      expect(error).toMatchObject({ code: 'StorageException', retryable: false });
      expect((error as CognitoError).cause).toBeInstanceOf(DOMException);
      expect(events).toEqual([]);
      storage.heal();
      await expect(client.getSession()).resolves.toBeNull();
      await expect(makeClient(fake, storage).getSession()).resolves.toBeNull();
      await expect(client.getCurrentUser()).resolves.toBeNull();
    },
  );

  it.each(WRITES)(
    'signing in again as the same user, failing from write %i: the old session, the new one or a refreshed one, never a mixed pair',
    async (n) => {
      useFakeDate();
      const storage = new QuotaStorage();
      const old = seedSession(fake, storage, 'ann');
      vi.setSystemTime(Date.now() + 10 * 60_000);
      const client = makeClient(fake, storage);
      storage.failAfter(n);

      await expect(client.signIn({ username: 'ann', password: PASSWORD })).rejects.toMatchObject({
        code: 'StorageException',
      });

      storage.heal();
      const refreshesBefore = fake.refreshCount();
      for (const reader of [client, makeClient(fake, storage)]) {
        const session = await reader.getSession();
        expect(session?.username).toBe('ann');
        // ID and access token always from one issue, and exactly what is stored.
        expectWhole(session, storage);
        const oldPair = session?.idToken === old.IdToken && session.accessToken === old.AccessToken;
        // A torn pair (write 2: new ID token, old access token) is refreshed, never used.
        if (n === 2) expect(fake.refreshCount()).toBe(refreshesBefore + 1);
        else expect(fake.refreshCount()).toBe(refreshesBefore);
        // Writes 3-5 store the new pair whole; with write 3 failing the refresh token is still the old
        // sign-in's (same user, opaque: undetectable, and it refreshes into a whole session).
        if (n === 1) expect(oldPair).toBe(true);
        if (n >= 3) expect(oldPair).toBe(false);
      }
    },
  );

  it.each(WRITES)(
    "another user's sign-in failing from write %i: the new user's partial tokens are never used",
    async (n) => {
      const storage = new QuotaStorage();
      seedSession(fake, storage, 'ann');
      const client = makeClient(fake, storage);
      const events = recordEvents(client);
      storage.failAfter(n);

      await expect(client.signIn({ username: 'bob', password: PASSWORD })).rejects.toMatchObject({
        code: 'StorageException',
      });
      expect(events.filter(([name]) => name === 'signedIn')).toEqual([]);

      storage.heal();
      for (const reader of [client, makeClient(fake, storage)]) {
        const session = await reader.getSession();
        // ann's tokens were removed to make room for bob's: nobody is signed in, bob is never half in.
        expect(session?.username).not.toBe('bob');
        expectWhole(session, storage);
        await expect(reader.getCurrentUser()).resolves.not.toMatchObject({ username: 'bob' });
      }
    },
  );

  it.each([2, 3, 4, 5])(
    'a failed sign-in (from write %i) leaves no token in the storage once the user signs out',
    async (n) => {
      for (const alreadySignedIn of [false, true]) {
        const storage = new QuotaStorage();
        if (alreadySignedIn) seedSession(fake, storage, 'ann');
        const client = makeClient(fake, storage);
        storage.failAfter(n);
        await expect(client.signIn({ username: 'bob', password: PASSWORD })).rejects.toMatchObject({
          code: 'StorageException',
        });
        storage.heal();
        await client.signOut();
        // Nothing points at bob's tokens, so no sign-out would ever remove them: they must not stay.
        expect([...storage.map.keys()], `already signed in: ${alreadySignedIn}`).toEqual([]);
      }
    },
  );

  it.each(WRITES)(
    'a refresh whose write fails from write %i: StorageException, no event, afterwards a whole session',
    async (n) => {
      useFakeDate();
      const storage = new QuotaStorage();
      seedSession(fake, storage, 'ann');
      const client = makeClient(fake, storage);
      const events = recordEvents(client);
      vi.setSystemTime(Date.now() + 3_601_000);
      storage.failAfter(n);

      const error = await rejection(client.getSession());
      expect(error).toMatchObject({ name: 'CognitoError', code: 'StorageException', retryable: false });
      expect(fake.refreshCount()).toBe(1);
      expect(events).toEqual([]);

      storage.heal();
      const session = await client.getSession();
      expect(session?.username).toBe('ann');
      expectWhole(session, storage);
      // A fresh client on the same storage reads the same whole session, without a request.
      const requests = fake.requests.length;
      expect(tokensOf(await makeClient(fake, storage).getSession())).toEqual(tokensOf(session));
      expect(fake.requests.length).toBe(requests);
    },
  );
});

describe('a store that returns garbage for some keys', () => {
  const GARBAGE: [string, unknown][] = [
    ['a number', 42],
    ['an object', { token: 'x' }],
    ['an array', ['a']],
    ['true', true],
    ['undefined', undefined],
    ['an empty string', ''],
    ['"null"', 'null'],
    ['"undefined"', 'undefined'],
    ['JSON', '{"idToken":"x"}'],
    ['a JWT-shaped string with a non-JSON payload', 'aaa.bbb.ccc'],
    ['a JWT with an array payload', `x.${Buffer.from('[1,2]').toString('base64url')}.y`],
    ['a huge number', '1e400'],
    ['a promise of a number', Promise.resolve(7)],
  ];
  const FIELDS = ['LastAuthUser', 'idToken', 'accessToken', 'refreshToken', 'clockDrift', 'deviceKey'];

  it.each(FIELDS)(
    '%s: every garbage value reads as a whole session or as nobody, never an odd error',
    async (field) => {
      for (const [, value] of GARBAGE) {
        const base = mapStorage();
        seedSession(fake, base, 'ann');
        const garbageKey = field === 'LastAuthUser' ? `${PREFIX}.LastAuthUser` : key('ann', field);
        const storage: TokenStorage = {
          ...base,
          getItem: (name) => (name === garbageKey ? (value as string) : base.getItem(name)),
        };
        const client = makeClient(fake, storage);
        const result = await outcome(client.getSession());
        if (!result.ok) {
          expect(result.error).toBeInstanceOf(CognitoError);
          continue;
        }
        const session = result.value;
        if (session) {
          // Exactly the strings the store hands out (after a refresh: the refreshed ones).
          for (const tokenField of TOKEN_FIELDS) {
            expect(await storage.getItem(key('ann', tokenField))).toBe(session[tokenField]);
          }
          expect(Number.isFinite(session.expiresAt)).toBe(true);
        }
        const user = await client.getCurrentUser();
        expect(user === null || user.username === 'ann').toBe(true);
        await expect(client.signOut()).resolves.toBeUndefined();
      }
    },
  );
});

describe('a store that fails asynchronously', () => {
  function rejecting(
    base: TokenStorage,
    which: 'getItem' | 'setItem' | 'removeItem',
    reason: unknown,
  ): TokenStorage {
    return { ...base, [which]: () => Promise.reject(reason) };
  }

  it.each([
    ['an Error', new Error('IndexedDB: the database connection is closing')],
    ['a DOMException', new DOMException('Transaction aborted', 'AbortError')],
    ['a string', 'AsyncStorage failure'],
    ['undefined', undefined],
  ])(
    'getItem rejecting with %s: getSession and getCurrentUser reject StorageException',
    async (_name, reason) => {
      const base = mapStorage();
      seedSession(fake, base, 'ann');
      const client = makeClient(fake, rejecting(base, 'getItem', reason));
      for (const call of [
        () => client.getSession(),
        () => client.getCurrentUser(),
        () => client.getUserAttributes(),
      ]) {
        const error = await rejection(call());
        expect(error).toBeInstanceOf(CognitoError);
        expect(error).toMatchObject({ code: 'StorageException', retryable: false });
        expect((error as CognitoError).cause).toBe(reason);
      }
      expect(fake.requests).toEqual([]);
    },
  );

  it('setItem rejecting: signIn rejects StorageException, no signedIn event, nothing readable', async () => {
    const base = mapStorage();
    const client = makeClient(fake, rejecting(base, 'setItem', new Error('quota')));
    const events = recordEvents(client);
    await expect(client.signIn({ username: 'ann', password: PASSWORD })).rejects.toMatchObject({
      code: 'StorageException',
    });
    expect(events).toEqual([]);
    await expect(makeClient(fake, base).getSession()).resolves.toBeNull();
  });

  it('removeItem rejecting: signIn (which clears a pending challenge first) rejects before any request', async () => {
    const client = makeClient(fake, rejecting(mapStorage(), 'removeItem', new Error('read-only')));
    await expect(client.signIn({ username: 'ann', password: PASSWORD })).rejects.toMatchObject({
      code: 'StorageException',
    });
    expect(fake.requests).toEqual([]);
  });

  it('a store that rejects for one key and throws synchronously for another: StorageException, no unhandled rejection', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const base = mapStorage();
      seedSession(fake, base, 'ann');
      const storage: TokenStorage = {
        ...base,
        getItem: (name) => {
          if (name.endsWith('.idToken')) return Promise.reject(new Error('async failure'));
          if (name.endsWith('.accessToken')) throw new Error('sync failure');
          return base.getItem(name);
        },
      };
      const error = await rejection(makeClient(fake, storage).getSession());
      expect(error).toMatchObject({ code: 'StorageException' });
      await sleep(20);
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});

describe('a half-written session', () => {
  /** Two sessions of ann (or of ann and bob) minted at different times, mixed key by key. */
  const MIXES: [string, (now: number) => { idToken: string; accessToken: string; refreshToken: string }][] = [
    [
      'an old ID token with a new access token (a refresh torn after its first write)',
      (now) => {
        const old = mintTokens({ iat: now - 3_000, originJti: 'o1' });
        const fresh = mintTokens({ iat: now, originJti: 'o1' });
        return { ...old, accessToken: fresh.accessToken };
      },
    ],
    [
      'a new ID token with an old access token',
      (now) => {
        const old = mintTokens({ iat: now - 3_000, originJti: 'o1' });
        const fresh = mintTokens({ iat: now, originJti: 'o1' });
        return { ...old, idToken: fresh.idToken };
      },
    ],
    [
      'two sign-ins in the same second (different origin_jti)',
      (now) => {
        const first = mintTokens({ iat: now, originJti: 'o1' });
        const second = mintTokens({ iat: now, originJti: 'o2' });
        return { ...first, accessToken: second.accessToken };
      },
    ],
    [
      "another user's ID token",
      (now) => {
        const ann = mintTokens({ iat: now, originJti: 'o1' });
        const bob = mintTokens({ iat: now, originJti: 'o1', username: 'bob', sub: 'sub-bob' });
        return { ...ann, idToken: bob.idToken };
      },
    ],
  ];

  it.each(MIXES)('%s is never returned as-is: a refresh is attempted, else null', async (_name, mix) => {
    const storage = mapStorage();
    const mixed = mix(Math.floor(Date.now() / 1000) - 60);
    storeTokens(storage, mixed, 'ann', 0, fake.clientId);
    const client = makeClient(fake, storage);

    const session = await client.getSession();

    // The fake does not know the minted refresh token: the refresh is refused and the session removed.
    expect(fake.refreshCount()).toBe(1);
    expect(session).toBeNull();
    expect(storage.snapshot()).toEqual({});
  });

  it('a mix of two real sign-ins with a live refresh token is refreshed into a whole session', async () => {
    useFakeDate();
    const storage = mapStorage();
    const first = fake.issueTokens('ann');
    vi.setSystemTime(Date.now() + 10 * 60_000);
    const second = fake.issueTokens('ann');
    storeTokens(
      storage,
      { idToken: first.IdToken, accessToken: second.AccessToken, refreshToken: second.RefreshToken },
      'ann',
      0,
      fake.clientId,
    );
    const client = makeClient(fake, storage);
    const events = recordEvents(client);

    const session = await client.getSession();

    expect(fake.refreshCount()).toBe(1);
    expect(session?.idToken).not.toBe(first.IdToken);
    expect(session?.accessToken).not.toBe(second.AccessToken);
    expectWhole(session, storage);
    expect(events).toEqual([['tokenRefreshed', session?.accessToken]]);
    // getCurrentUser reads it without a request either way.
    await expect(client.getCurrentUser()).resolves.toMatchObject({ username: 'ann' });
  });
});

describe('an asynchronous store with random delays (0-5 ms) behaves like a synchronous one', () => {
  function delayed(base: TokenStorage, random: () => number): TokenStorage {
    const pause = () => new Promise((resolve) => setTimeout(resolve, Math.floor(random() * 6)));
    return {
      getItem: async (name) => {
        await pause();
        return base.getItem(name);
      },
      setItem: async (name, value) => {
        await pause();
        await base.setItem(name, value);
      },
      removeItem: async (name) => {
        await pause();
        await base.removeItem(name);
      },
    };
  }

  /** Seeded so that a failure can be replayed. */
  function seeded(seed: number): () => number {
    let state = seed;
    return () => {
      state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
      return state / 2 ** 31;
    };
  }

  /** Sign-in, reads, a concurrent refresh, an attribute change, sign-out: everything observable. */
  async function scenario(
    storage: TokenStorage,
    inspect: () => Record<string, string>,
    authFlow = 'USER_PASSWORD_AUTH',
  ) {
    const startedAt = Date.now();
    vi.setSystemTime(startedAt);
    fake.requests.length = 0;
    const client: CognitoClient = makeClient(fake, storage, {
      authFlow: authFlow as 'USER_PASSWORD_AUTH' | 'USER_SRP_AUTH',
    });
    const trace: unknown[] = [];
    client.on('signedIn', (session) => trace.push(['signedIn', session.username]));
    client.on('tokenRefreshed', (session) => trace.push(['tokenRefreshed', session.username]));
    client.on('signedOut', (payload) => trace.push(['signedOut', payload]));
    client.on('sessionExpired', ({ error }) => trace.push(['sessionExpired', error.code]));

    const signedIn = await client.signIn({ username: 'ann', password: PASSWORD });
    trace.push(['signIn', signedIn.isSignedIn]);
    const reads = await Promise.all(Array.from({ length: 5 }, () => client.getSession()));
    trace.push(['same session', reads.every((s) => s === reads[0]), reads[0]?.username]);
    trace.push(['keys after sign-in', Object.keys(inspect()).sort()]);

    vi.setSystemTime(startedAt + 3_601_000);
    const refreshed = await Promise.all(Array.from({ length: 10 }, () => client.getSession()));
    trace.push(['refreshed', new Set(refreshed.map((s) => s?.accessToken)).size, refreshed[0]?.username]);
    expectWhole(refreshed[0] ?? null, { ...storage, getItem: (name) => inspect()[name] ?? null });

    await client.updateAttributes({ name: 'Ann Lee' });
    trace.push(['claims', (await client.getSession())?.idTokenClaims.name]);
    trace.push(['user', await client.getCurrentUser()]);

    await client.signOut();
    trace.push(['after sign-out', await client.getSession(), inspect()]);
    trace.push(['requests', fake.requests.map((request) => request.target)]);
    return trace;
  }

  it('the same requests, events and stored keys, over 6 seeded delay patterns', async () => {
    useFakeDate();
    const sync = mapStorage();
    const expected = await scenario(sync, () => sync.snapshot());
    expect(expected).toContainEqual(['refreshed', 1, 'ann']);
    for (let seed = 1; seed <= 6; seed++) {
      const base = mapStorage();
      const trace = await scenario(delayed(base, seeded(seed)), () => base.snapshot());
      expect(trace, `seed ${seed}`).toEqual(expected);
    }
  });

  it('with SRP too', async () => {
    useFakeDate();
    const sync = mapStorage();
    const expected = await scenario(sync, () => sync.snapshot(), 'USER_SRP_AUTH');
    const base = mapStorage();
    expect(await scenario(delayed(base, seeded(42)), () => base.snapshot(), 'USER_SRP_AUTH')).toEqual(
      expected,
    );
  });
});

describe('fileStorage shared by processes, at the session level', () => {
  const fixture = fileURLToPath(new URL('./fixtures/write-sessions.ts', import.meta.url));
  const root = fileURLToPath(new URL('../../', import.meta.url));
  const children: ChildProcess[] = [];
  let dir: string;
  let file: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cognito-kit-faults-'));
    file = join(dir, 'tokens.json');
  });
  afterEach(async () => {
    for (const child of children.splice(0))
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  });

  function writer(...args: string[]): { child: ChildProcess; exited: Promise<void> } {
    const child = spawn(process.execPath, ['--import', 'tsx', fixture, file, ...args], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let stderr = '';
    child.stderr?.on('data', (chunk) => (stderr += chunk));
    const exited = new Promise<void>((resolve, reject) => {
      child.on('exit', (code, signal) => {
        if (code === 0 || signal === 'SIGKILL') resolve();
        else reject(new Error(`writer exited with ${code ?? signal}: ${stderr}`));
      });
    });
    return { child, exited };
  }

  async function fileContent(): Promise<Record<string, string>> {
    return JSON.parse(await readFile(file, 'utf8')) as Record<string, string>;
  }

  // 40 sessions of 5 keys each: 200 atomic file writes per process.
  const SESSIONS = 40;

  it('two processes storing 40 sessions each (200 writes) for two users: no torn file, both sessions whole, the last one readable', async () => {
    await Promise.all([
      writer('A', 'alice', String(SESSIONS)).exited,
      writer('B', 'bob', String(SESSIONS)).exited,
    ]);

    const content = await fileContent();
    const last = SESSIONS - 1;
    for (const [writerId, username] of [
      ['A', 'alice'],
      ['B', 'bob'],
    ] as const) {
      const expected = sessionTokens(writerId, username, last);
      for (const field of TOKEN_FIELDS) expect(content[key(username, field)]).toBe(expected[field]);
    }
    const pointer = content[`${PREFIX}.LastAuthUser`];
    expect(['alice', 'bob']).toContain(pointer);

    const session = await makeClient(fake, fileStorage(file)).getSession();
    expect(tokensOf(session)).toEqual(sessionTokens(pointer === 'alice' ? 'A' : 'B', pointer ?? '', last));
    expect(fake.requests).toEqual([]);
  });

  it('two processes storing sessions of the same user: the file parses, a torn mix is never used as-is', async () => {
    await Promise.all([
      writer('A', 'ann', String(SESSIONS)).exited,
      writer('B', 'ann', String(SESSIONS)).exited,
    ]);

    const content = await fileContent();
    expect(content[`${PREFIX}.LastAuthUser`]).toBe('ann');
    const storage = fileStorage(file);
    const session = await makeClient(fake, storage).getSession();
    if (session) {
      // Whole: ID and access token from one writer's one iteration, exactly as stored.
      expect(claimsOf(session.idToken).origin_jti).toBe(claimsOf(session.accessToken).origin_jti);
      expect(fake.refreshCount()).toBe(0);
      expect(tokensOf(session)).toMatchObject({
        idToken: content[key('ann', 'idToken')],
        accessToken: content[key('ann', 'accessToken')],
      });
    } else {
      // Torn: a refresh was attempted (the fake does not know these refresh tokens) and the mix removed.
      expect(fake.refreshCount()).toBe(1);
    }
  });

  it('a lock file left empty by a writer killed between creating and filling it does not block writes', async () => {
    // What `open(lock, 'wx')` leaves when the process dies before writing its pid into it. Seen in
    // practice by the SIGKILL test below under load: the next writers waited for staleMs (30 s).
    await writeFile(`${file}.lock`, '');
    const storage = fileStorage(file, { lockTimeoutMs: 6_000 });
    const result = await outcome(Promise.resolve(storage.setItem(key('ann', 'idToken'), 'x')));
    expect(result.ok ? 'written' : String((result as { error: unknown }).error)).toBe('written');
    // And one that has been lying around for a while is taken over at once.
    await writeFile(`${file}.lock`, '');
    const old = new Date(Date.now() - 5_000);
    await utimes(`${file}.lock`, old, old);
    const started = performance.now();
    await storage.setItem(key('ann', 'idToken'), 'y');
    // Far below the 10 s lock timeout and the 30 s staleness: taken over, not waited out (a bound
    // with room for a loaded CI machine).
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(await storage.getItem(key('ann', 'idToken'))).toBe('y');
  });

  it('a process SIGKILLed while storing sessions leaves a parsable file and never a usable mix', async () => {
    for (const delay of [25, 90, 200]) {
      await rm(file, { force: true });
      const { child, exited } = writer('K', 'ann', 'forever');
      await new Promise<void>((resolve, reject) => {
        let out = '';
        child.stdout?.on('data', (chunk) => {
          out += chunk;
          if (out.includes('ready')) resolve();
        });
        child.on('exit', () => reject(new Error('the writer exited before it was ready')));
      });
      await sleep(delay);
      child.kill('SIGKILL');
      await exited;

      const content = await fileContent();
      expect(content[`${PREFIX}.LastAuthUser`]).toBe('ann');
      const iterations = TOKEN_FIELDS.map((field) => {
        const value = content[key('ann', field)] ?? '';
        return field === 'refreshToken' ? value.split('-')[2] : String(claimsOf(value).iteration);
      });
      fake.requests.length = 0;
      const session = await makeClient(fake, fileStorage(file)).getSession();
      const seen = `killed after ${delay} ms: iterations ${iterations.join('/')}, session ${session ? 'returned' : 'null'}, requests ${fake.requests.length}`;
      if (new Set(iterations).size === 1) {
        // Killed between sessions: the last whole session, used without a request.
        expect(tokensOf(session), seen).toEqual(sessionTokens('K', 'ann', Number(iterations[0])));
        expect(fake.requests, seen).toEqual([]);
      } else if (session) {
        // Killed mid-session with ID and access token still matching (only the refresh token newer).
        expect(claimsOf(session.idToken).origin_jti, seen).toBe(claimsOf(session.accessToken).origin_jti);
      } else {
        expect(fake.refreshCount(), seen).toBe(1);
      }
    }
  });
});

// onSessionChange and the session sync in Node: the current session once (after a due refresh),
// then every change of this client; autoRefresh and the cross-tab channel stay off (this process
// only), so nothing keeps a script alive. The cross-tab behaviour is proved in Chromium
// (test/browser/session-sync.test.ts).
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { type CognitoClient, CognitoError, type Session } from '../src/index.js';
import type { FakeCognito } from './fake-cognito/index.js';
import {
  cleanUp,
  makeClient,
  mapStorage,
  PASSWORD,
  seedSession,
  startFake,
  until,
} from './faults/support.js';

beforeAll(() => nock.disableNetConnect());
let fake: FakeCognito | undefined;
afterEach(() => cleanUp(fake));

/** What a listener saw: each call as the access token, or null. */
function watch(client: CognitoClient): (string | null)[] {
  const seen: (string | null)[] = [];
  client.onSessionChange((session: Session | null) => seen.push(session?.accessToken ?? null));
  return seen;
}

function signedUpFake(options: Parameters<typeof startFake>[0] = {}): FakeCognito {
  fake = startFake(options);
  fake.addUser({ username: 'ann', password: PASSWORD });
  return fake;
}

describe('onSessionChange', () => {
  it('gives null once when nobody is signed in, then the session of each sign-in, refresh and sign-out', async () => {
    const f = signedUpFake();
    const client = makeClient(f, mapStorage());
    const seen = watch(client);
    await until(() => seen.length === 1);
    expect(seen).toEqual([null]);

    const signIn = await client.signIn({ username: 'ann', password: PASSWORD });
    if (!signIn.isSignedIn) throw new Error('not signed in');
    const refreshed = await client.getSession({ forceRefresh: true });
    await client.signOut();

    expect(seen).toEqual([null, signIn.session.accessToken, refreshed?.accessToken, null]);
    expect(new Set(seen).size).toBe(3);
  });

  it('gives the stored session without a request when it is valid', async () => {
    const f = signedUpFake();
    const storage = mapStorage();
    const issued = seedSession(f, storage);
    const client = makeClient(f, storage);
    f.requests.length = 0;
    const seen = watch(client);
    await until(() => seen.length === 1);
    expect(seen).toEqual([issued.AccessToken]);
    expect(f.requests).toEqual([]);
  });

  it('settles a due refresh first: the refreshed session once, one refresh request, one tokenRefreshed', async () => {
    let clock = Date.now() - 2 * 3_600_000;
    const f = signedUpFake({ now: () => clock });
    const storage = mapStorage();
    const old = seedSession(f, storage); // issued two hours ago: expired on the local clock
    clock = Date.now();
    const client = makeClient(f, storage);
    const refreshes: string[] = [];
    client.on('tokenRefreshed', (session) => refreshes.push(session.accessToken));
    f.requests.length = 0;

    const seen = watch(client);
    await until(() => seen.length === 1);
    await new Promise((resolve) => setImmediate(resolve));

    expect(f.requests.map((r) => r.target)).toEqual(['GetTokensFromRefreshToken']);
    expect(refreshes).toHaveLength(1);
    expect(seen).toEqual(refreshes);
    expect(seen[0]).not.toBe(old.AccessToken);
  });

  it('gives the stored session when the due refresh fails (offline): still signed in, nothing removed', async () => {
    let clock = Date.now() - 2 * 3_600_000;
    const f = signedUpFake({ now: () => clock });
    const storage = mapStorage();
    const old = seedSession(f, storage);
    clock = Date.now();
    const before = storage.snapshot();
    const client = makeClient(f, storage, { maxAttempts: 1 });
    f.failNext('GetTokensFromRefreshToken', { networkError: true });
    const seen = watch(client);
    await until(() => seen.length === 1);
    expect(seen).toEqual([old.AccessToken]);
    expect(storage.snapshot()).toEqual(before);
  });

  it('an unsubscribed listener hears nothing more; others still do', async () => {
    const f = signedUpFake();
    const client = makeClient(f, mapStorage());
    const kept = watch(client);
    const dropped: (Session | null)[] = [];
    const off = client.onSessionChange((session) => dropped.push(session));
    off();
    off();
    await until(() => kept.length === 1);
    await client.signIn({ username: 'ann', password: PASSWORD });
    expect(dropped).toEqual([]);
    expect(kept).toHaveLength(2);
  });

  it('a throwing listener is reported and breaks neither the sign-in nor the other listeners', async () => {
    const f = signedUpFake();
    const client = makeClient(f, mapStorage());
    const report = vi.spyOn(console, 'error').mockImplementation(() => {});
    let calls = 0;
    client.onSessionChange(() => {
      calls++;
      throw new Error('listener bug');
    });
    const seen = watch(client);
    await until(() => seen.length === 1 && calls === 1);
    const result = await client.signIn({ username: 'ann', password: PASSWORD });
    expect(result.isSignedIn).toBe(true);
    expect(seen).toHaveLength(2);
    expect(calls).toBe(2);
    expect(report).toHaveBeenCalledTimes(2);
    expect(String(report.mock.calls[0]?.[0])).toBe('cognito-kit: a listener threw');
  });

  it('dispose() removes onSessionChange listeners too', async () => {
    const f = signedUpFake();
    const client = makeClient(f, mapStorage());
    const seen = watch(client);
    await until(() => seen.length === 1);
    client.dispose();
    await client.signIn({ username: 'ann', password: PASSWORD });
    expect(seen).toEqual([null]);
  });

  it('rejects a listener that is not a function with InvalidParameterException', () => {
    const f = signedUpFake();
    const client = makeClient(f, mapStorage());
    let thrown: unknown;
    try {
      client.onSessionChange('listener' as unknown as () => void);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(CognitoError);
    expect((thrown as CognitoError).code).toBe('InvalidParameterException');
  });
});

describe('autoRefresh and the cross-tab channel in Node', () => {
  it('autoRefresh must be a boolean', () => {
    const f = signedUpFake();
    expect(() => makeClient(f, mapStorage(), { autoRefresh: 'yes' as unknown as boolean })).toThrow(
      expect.objectContaining({ code: 'InvalidParameterException' }),
    );
  });

  it('sets no timer and opens no channel: a script that never calls dispose() exits by itself', async () => {
    const fixture = fileURLToPath(new URL('./fixtures/session-change-exit.ts', import.meta.url));
    const root = fileURLToPath(new URL('../', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', fixture], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const code = await new Promise<number | null>((resolve) => {
      // A hung child is a failure, not a wait for ever.
      const guard = setTimeout(() => child.kill('SIGKILL'), 30_000);
      child.on('exit', (exitCode) => {
        clearTimeout(guard);
        resolve(exitCode);
      });
    });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const report = JSON.parse(stdout.trim().split('\n').pop() ?? '{}');
    expect(report.seen).toEqual([null, 'session', 'session', null]);
    expect(report.events).toEqual(['signedIn']);
    expect(report.channels).toEqual([]);
    expect(report.resources.filter((r: string) => r === 'Timeout' || r === 'MessagePort')).toEqual([]);
  });
});

import nock from 'nock';
import { vi } from 'vitest';
import type { CognitoClient, Session, TokenStorage } from '../../src/index.js';
import type { AuthenticationResult, FakeCognito, Fault } from '../fake-cognito/index.js';
import { makeClient, startFake } from '../helpers/fake-client.js';
import { storeTokens } from '../helpers/tokens.js';

export const PASSWORD = 'Correct-Horse-1';

export { makeClient, startFake };

/** A synchronous Map-backed storage whose content can be copied and compared. */
export interface MapStorage extends TokenStorage {
  readonly map: Map<string, string>;
  snapshot(): Record<string, string>;
}

export function mapStorage(): MapStorage {
  const map = new Map<string, string>();
  return {
    map,
    getItem: (key) => map.get(key) ?? null,
    setItem: (key, value) => {
      map.set(key, value);
    },
    removeItem: (key) => {
      map.delete(key);
    },
    snapshot: () => Object.fromEntries([...map].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
  };
}

/** Signs `username` in at the fake and stores the tokens as a sign-in would, without a request. */
export function seedSession(
  fake: FakeCognito,
  storage: TokenStorage,
  username = 'ann',
): Required<AuthenticationResult> {
  const issued = fake.issueTokens(username);
  storeTokens(
    storage,
    { idToken: issued.IdToken, accessToken: issued.AccessToken, refreshToken: issued.RefreshToken },
    username,
    0,
    fake.clientId,
  );
  return issued;
}

/** Settles a promise into a value or a reason, for assertions on both. */
export async function outcome<T>(
  promise: Promise<T>,
): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> {
  try {
    return { ok: true, value: await promise };
  } catch (error) {
    return { ok: false, error };
  }
}

/** The rejection of `promise`; fails when it resolves. */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  const result = await outcome(promise);
  if (result.ok) throw new Error(`expected a rejection, got ${JSON.stringify(result.value)}`);
  return result.error;
}

/** Records every event of a client, the session events by access token. */
export function recordEvents(client: CognitoClient): [string, unknown][] {
  const events: [string, unknown][] = [];
  client.on('signedIn', (session: Session) => events.push(['signedIn', session.accessToken]));
  client.on('tokenRefreshed', (session: Session) => events.push(['tokenRefreshed', session.accessToken]));
  client.on('sessionExpired', ({ error }) => events.push(['sessionExpired', error.code]));
  client.on('signedOut', (payload) => events.push(['signedOut', payload]));
  return events;
}

/** The payload of a JWT, decoded without checks (tests only). */
export function claimsOf(token: string): Record<string, unknown> {
  const payload = token.split('.')[1] ?? '';
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
}

/** Waits until `condition` holds, polling on the event loop (works with faked timers). */
export async function until(condition: () => boolean, limit = 5_000): Promise<void> {
  const started = performance.now();
  while (!condition()) {
    if (performance.now() - started > limit) throw new Error('condition not met in time');
    await new Promise((resolve) => setImmediate(resolve));
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A proxy's HTML error page instead of Cognito's JSON. */
export const HTML_503: Fault = {
  status: 503,
  body: '<html><head><title>503 Service Temporarily Unavailable</title></head><body><h1>503</h1></body></html>',
  headers: { 'content-type': 'text/html' },
};

/** A fresh fake with two confirmed users: ann (with an email) and bob, both with {@link PASSWORD}. */
export function startFakeWithUsers(): FakeCognito {
  const fake = startFake();
  fake.addUser({ username: 'ann', password: PASSWORD, attributes: { email: 'ann@example.com' } });
  fake.addUser({ username: 'bob', password: PASSWORD });
  return fake;
}

/** Undoes what a fault test may leave behind: hung requests, interceptors, fake timers, spies. */
export function cleanUp(fake: FakeCognito | undefined): void {
  fake?.releaseHung();
  nock.cleanAll();
  vi.useRealTimers();
  vi.restoreAllMocks();
}

/** ann signed in on `storage` (seeded, no request), her client, its recorded events and a snapshot. */
export function signedInAs(
  fake: FakeCognito,
  options: Parameters<typeof makeClient>[2] = {},
  storage: MapStorage = mapStorage(),
) {
  const issued = seedSession(fake, storage, 'ann');
  const client = makeClient(fake, storage, options);
  const events = recordEvents(client);
  fake.requests.length = 0;
  return { storage, client, events, issued, before: storage.snapshot() };
}

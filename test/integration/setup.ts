// Shared pieces of the integration tests: CognitoClient against the cognito-local emulator.
// Each test file starts its own emulator (beforeAll/afterAll); each test uses its own user or pool.
import { randomBytes } from 'node:crypto';
import {
  CognitoClient,
  type CognitoClientOptions,
  type CognitoEventName,
  type TokenStorage,
} from '../../src/index.js';
import type { CognitoLocal } from '../helpers/cognito-local.js';

export { countCognitoRequests, type RequestCounter } from '../../scripts/lib/count-requests.js';

export interface Pool {
  userPoolId: string;
  clientId: string;
}

/** A Map-backed TokenStorage whose content tests can look at. */
export interface InspectableStorage extends TokenStorage {
  readonly map: Map<string, string>;
  keys(): string[];
}

export function inspectableStorage(): InspectableStorage {
  const map = new Map<string, string>();
  return {
    map,
    keys: () => [...map.keys()],
    getItem: (key) => map.get(key) ?? null,
    setItem: (key, value) => {
      map.set(key, value);
    },
    removeItem: (key) => {
      map.delete(key);
    },
  };
}

/** A client for `pool` on the emulator, with USER_PASSWORD_AUTH (cognito-local has no SRP). */
export function clientFor(
  cl: CognitoLocal,
  pool: Pool,
  options: Partial<CognitoClientOptions> = {},
): CognitoClient {
  return new CognitoClient({
    userPoolId: pool.userPoolId,
    clientId: pool.clientId,
    endpoint: cl.endpoint,
    authFlow: 'USER_PASSWORD_AUTH',
    retryBaseDelayMs: 0,
    requestTimeoutMs: 10_000,
    ...options,
  });
}

/** A username nobody has used in this emulator. */
export function uniqueName(prefix = 'user'): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

export const PASSWORD = 'Passw0rd!first';

export interface TestUser {
  username: string;
  email: string;
  password: string;
  sub: string;
}

/** Signs up and confirms a fresh user through the client (or raw calls when no client is given). */
export async function confirmedUser(
  cl: CognitoLocal,
  client: CognitoClient,
  attributes: Record<string, string> = {},
): Promise<TestUser> {
  const username = uniqueName();
  const email = `${username}@example.com`;
  const { userSub } = await client.signUp({
    username,
    password: PASSWORD,
    attributes: { email, ...attributes },
  });
  await client.confirmSignUp({ username, code: cl.code });
  return { username, email, password: PASSWORD, sub: userSub };
}

/** Signs `user` in and returns the session; fails the test on any next step. */
export async function signedIn(client: CognitoClient, user: TestUser) {
  const result = await client.signIn({ username: user.username, password: user.password });
  if (!result.isSignedIn) throw new Error(`expected DONE, got ${result.nextStep.signInStep}`);
  return result.session;
}

/** Records the client's events in order, as `name` or `name:reason`. */
export function recordEvents(client: CognitoClient): string[] {
  const events: string[] = [];
  const names: CognitoEventName[] = ['signedIn', 'signedOut', 'tokenRefreshed', 'sessionExpired'];
  for (const name of names) {
    client.on(name, (payload: unknown) => {
      const reason = (payload as { reason?: string } | undefined)?.reason;
      events.push(reason ? `${name}:${reason}` : name);
    });
  }
  return events;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Waits until the client would refresh `session`: `expiresAt` minus the margin, which cognito-kit caps
 * at half the token lifetime (the default margin, 60 s, is always more than half of these short lifetimes).
 */
export async function waitUntilDue(session: {
  expiresAt: number;
  idTokenClaims: { iat: number; exp: number };
}) {
  const lifetime = session.idTokenClaims.exp - session.idTokenClaims.iat;
  const dueAt = session.expiresAt - (lifetime / 2) * 1000;
  await sleep(Math.max(0, dueAt - Date.now()) + 50);
}

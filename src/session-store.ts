import { CognitoError } from './errors.js';
import { decodeJwt, numericClaim, stringClaim } from './internal/jwt.js';
import type { TokenStorage } from './storage/types.js';
import type { AccessTokenClaims, IdTokenClaims, Session } from './types.js';

/** Tokens as Cognito returns them in an `AuthenticationResult`. */
export interface TokenSet {
  idToken: string;
  accessToken: string;
  refreshToken: string;
}

/** A session as read from storage, with what is needed to judge and refresh it. */
export interface StoredSession {
  session: Session;
  /** The username segment of the storage keys (the raw library may have used the typed name). */
  storageUsername: string;
  /** Seconds this clock runs ahead of Cognito's, measured when the tokens arrived. */
  clockDriftSeconds: number;
  /** Shortest lifetime (exp - iat) of the access and ID tokens, in seconds. */
  lifetimeSeconds: number;
  /** `false` when the tokens do not belong together (a torn write): never used without a refresh. */
  consistent: boolean;
  deviceKey: string | undefined;
  /** The ID token's claims are known to be out of date (attributes changed since): refresh before use. */
  claimsStale: boolean;
}

/** A sign-in challenge waiting for {@link CognitoClient.confirmSignIn}. */
export interface PendingChallenge {
  challengeName: string;
  session: string;
  username: string;
  parameters: Record<string, string>;
  /** Epoch ms after which Cognito has forgotten the challenge session. */
  expiresAt: number;
  /** The name the user typed, for display (the TOTP set-up's account label). */
  label?: string;
}

const TOKEN_FIELDS = ['idToken', 'accessToken', 'refreshToken', 'clockDrift'] as const;
// Everything the raw library may keep per user; removed on sign-out so nothing is left behind.
const STALE_FIELD = 'cognitoKit.staleClaims';
const USER_FIELDS = [...TOKEN_FIELDS, 'userData', 'signInDetails', STALE_FIELD] as const;
// Tokens of one sign-in or refresh are issued within the same second; allow for slow issuers.
const MAX_IAT_SKEW_SECONDS = 60;

// Per storage object: the sections that must not interleave (a refresh's check-and-write, a
// sign-out's clear) run one after another for every client in this realm.
const exclusiveQueues = new WeakMap<TokenStorage, Promise<unknown>>();

function isThenable<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

function storageError(action: string, cause: unknown): CognitoError {
  return new CognitoError('StorageException', `The token storage failed to ${action}`, {
    cause,
    retryable: false,
  });
}

/**
 * Reads and writes a client's tokens in amazon-cognito-identity-js's key layout
 * (`CognitoIdentityServiceProvider.<clientId>.LastAuthUser`, `….<username>.idToken`, …), so sessions
 * stored by the plain library are picked up and vice versa.
 */
export class SessionStore {
  readonly storage: TokenStorage;
  readonly #prefix: string;
  #last: { key: readonly (string | null)[]; stored: StoredSession } | undefined;
  // The last user's keys, built once: the same string objects on every read, so a Map-backed
  // storage finds them by their cached hash instead of flattening and hashing new strings.
  #keys: { username: string; keys: readonly string[] } | undefined;
  /** Runs `task` after every exclusive section already queued on the same storage object. */
  exclusive<T>(task: () => Promise<T>): Promise<T> {
    const result = (exclusiveQueues.get(this.storage) ?? Promise.resolve()).then(task, task);
    exclusiveQueues.set(
      this.storage,
      result.then(
        () => undefined,
        () => undefined,
      ),
    );
    return result;
  }

  /** Key of the pointer to the signed-in user. */
  readonly lastUserKey: string;

  constructor(storage: TokenStorage, clientId: string) {
    this.storage = storage;
    this.#prefix = `CognitoIdentityServiceProvider.${clientId}`;
    this.lastUserKey = `${this.#prefix}.LastAuthUser`;
  }

  #readKeys(username: string): readonly string[] {
    if (this.#keys?.username !== username) {
      const fields = [...TOKEN_FIELDS, 'deviceKey', 'signInDetails', STALE_FIELD];
      this.#keys = { username, keys: fields.map((field) => this.#userKey(username, field)) };
    }
    return this.#keys.keys;
  }

  #userKey(username: string, field: string): string {
    return `${this.#prefix}.${username}.${field}`;
  }

  get #pendingKey(): string {
    return `${this.#prefix}.cognitoKit.signInChallenge`;
  }

  /** Reads several keys; stays synchronous (no microtask per key) for synchronous storage. */
  #getMany(keys: readonly string[]): (string | null)[] | Promise<(string | null)[]> {
    const clean = (value: unknown) => (typeof value === 'string' && value !== '' ? value : null);
    const raw: (string | null | Promise<string | null>)[] = [];
    try {
      for (const key of keys) raw.push(this.storage.getItem(key));
    } catch (error) {
      // Promises already returned for earlier keys must not reject unhandled (that ends a Node process).
      for (const value of raw) if (isThenable(value)) value.then(undefined, () => undefined);
      throw error instanceof CognitoError ? error : storageError('read', error);
    }
    if (!raw.some(isThenable)) return raw.map((value) => clean(value));
    return Promise.all(raw).then(
      (values) => values.map(clean),
      (error: unknown) => {
        throw error instanceof CognitoError ? error : storageError('read', error);
      },
    );
  }

  async #set(key: string, value: string): Promise<void> {
    try {
      await this.storage.setItem(key, value);
    } catch (error) {
      throw error instanceof CognitoError ? error : storageError('write', error);
    }
  }

  async #remove(key: string): Promise<void> {
    try {
      await this.storage.removeItem(key);
    } catch (error) {
      throw error instanceof CognitoError ? error : storageError('remove a key', error);
    }
  }

  /**
   * The stored session, or `null` when nobody is signed in or what is stored is not a session.
   * @throws CognitoError `StorageException` when the storage itself fails.
   */
  async read(): Promise<StoredSession | null> {
    const pointer = this.#getMany([this.lastUserKey]);
    const [username] = isThenable(pointer) ? await pointer : pointer;
    if (!username) return null;
    const fields = this.#getMany(this.#readKeys(username));
    const [idToken, accessToken, refreshToken, rawDrift, deviceKey, amplifyDetails, staleMark] = isThenable(
      fields,
    )
      ? await fields
      : fields;
    if (!idToken || !accessToken || !refreshToken) return null;
    const drift = driftSeconds(rawDrift ?? null, amplifyDetails !== null && amplifyDetails !== undefined);
    const key = cacheKey(
      username,
      idToken,
      accessToken,
      refreshToken,
      drift ?? null,
      deviceKey ?? null,
      staleMark ?? null,
    );
    if (this.#last && sameParts(this.#last.key, key)) return this.#last.stored;
    const stored = buildStored(
      username,
      { idToken, accessToken, refreshToken },
      drift ?? null,
      deviceKey ?? null,
      staleMark ?? null,
    );
    if (stored) this.#last = { key, stored };
    return stored;
  }

  /**
   * Stores fresh tokens under the canonical username and points LastAuthUser at them. The pointer is
   * written last, so a crash mid-write leaves either the old session or tokens a read will check.
   */
  async write(tokens: TokenSet, nowMs: number, previous?: StoredSession | null): Promise<StoredSession> {
    const id = decodeJwt(tokens.idToken);
    const access = decodeJwt(tokens.accessToken);
    const iat = Math.min(
      numericClaim(id ?? {}, 'iat') ?? Number.NaN,
      numericClaim(access ?? {}, 'iat') ?? Number.NaN,
    );
    const drift = Number.isFinite(iat) ? Math.floor(nowMs / 1000) - iat : 0;
    const username = canonicalUsername(id, access);
    const deviceKey = previous && previous.storageUsername === username ? (previous.deviceKey ?? null) : null;
    const stored = username ? buildStored(username, tokens, String(drift), deviceKey) : null;
    if (!username || !stored) {
      throw new CognitoError('UnexpectedResponseException', 'Cognito returned tokens that cannot be decoded');
    }
    if (previous && previous.storageUsername !== username) await this.#removeUser(previous.storageUsername);
    // Amplify v6's marker: with it, clockDrift would be read in Amplify's units; ours are the library's.
    await this.#remove(this.#userKey(username, 'signInDetails'));
    await this.#remove(this.#userKey(username, STALE_FIELD));
    try {
      await this.#set(this.#userKey(username, 'idToken'), tokens.idToken);
      await this.#set(this.#userKey(username, 'accessToken'), tokens.accessToken);
      await this.#set(this.#userKey(username, 'refreshToken'), tokens.refreshToken);
      await this.#set(this.#userKey(username, 'clockDrift'), String(drift));
      await this.#set(this.lastUserKey, username);
    } catch (error) {
      // Tokens of a user the pointer does not name would outlive every sign-out: take them back.
      if (previous?.storageUsername !== username) await this.#removeUser(username).catch(() => undefined);
      throw error;
    }
    // The next read returns this very object: signIn's session and getSession's are the same value.
    const { idToken, accessToken, refreshToken } = tokens;
    this.#last = {
      key: cacheKey(username, idToken, accessToken, refreshToken, String(drift), deviceKey, null),
      stored,
    };
    return stored;
  }

  /** Records, in the storage (so every client sees it), that `stored`'s ID-token claims are out of date. */
  async markClaimsStale(stored: StoredSession): Promise<void> {
    await this.#set(this.#userKey(stored.storageUsername, STALE_FIELD), claimsId(stored.session));
    this.#last = undefined;
  }

  /** Removes the stored session (pointer first, so a crash mid-way leaves nobody signed in). */
  async clear(stored?: StoredSession | null): Promise<void> {
    const pointer = this.#getMany([this.lastUserKey]);
    const [username] = isThenable(pointer) ? await pointer : pointer;
    await this.#remove(this.lastUserKey);
    for (const name of new Set([username, stored?.storageUsername])) {
      if (name) await this.#removeUser(name);
    }
    this.#last = undefined;
  }

  async #removeUser(username: string): Promise<void> {
    for (const field of USER_FIELDS) await this.#remove(this.#userKey(username, field));
  }

  /** The pending sign-in challenge, or `null` (also for an expired or unreadable one). */
  async readPending(nowMs: number): Promise<PendingChallenge | null> {
    const values = this.#getMany([this.#pendingKey]);
    const [raw] = isThenable(values) ? await values : values;
    if (!raw) return null;
    const pending = parsePending(raw);
    if (!pending || pending.expiresAt <= nowMs) {
      await this.clearPending();
      return null;
    }
    return pending;
  }

  /** Stores a challenge for a later {@link CognitoClient.confirmSignIn}, possibly by another client. */
  writePending(pending: PendingChallenge): Promise<void> {
    return this.#set(this.#pendingKey, JSON.stringify(pending));
  }

  clearPending(): Promise<void> {
    return this.#remove(this.#pendingKey);
  }
}

/**
 * The stored drift in seconds, local clock minus Cognito's, as amazon-cognito-identity-js writes it.
 * Amplify v6 writes the same key in milliseconds with the opposite sign; its sessions carry a
 * `signInDetails` key, which tells them apart.
 */
function driftSeconds(raw: string | null, writtenByAmplify: boolean): string | null {
  if (raw === null || !writtenByAmplify) return raw;
  const milliseconds = Number(raw);
  return Number.isFinite(milliseconds) ? String(-milliseconds / 1000) : null;
}

// The cache key is the list of stored values, compared one by one: the storage hands back the
// strings it holds, so each comparison is a pointer check, where joining them built and compared
// a new ~4 KB string on every read.
function cacheKey(...parts: (string | null)[]): readonly (string | null)[] {
  return parts;
}

function sameParts(a: readonly (string | null)[], b: readonly (string | null)[]): boolean {
  return a.length === b.length && a.every((part, index) => part === b[index]);
}

function canonicalUsername(
  id: Readonly<Record<string, unknown>> | null,
  access: Readonly<Record<string, unknown>> | null,
): string | undefined {
  return (
    (access && stringClaim(access, 'username')) ?? (id && stringClaim(id, 'cognito:username')) ?? undefined
  );
}

function buildStored(
  storageUsername: string,
  tokens: TokenSet,
  drift: string | null,
  deviceKey: string | null,
  staleMark: string | null = null,
): StoredSession | null {
  const id = decodeJwt(tokens.idToken);
  const access = decodeJwt(tokens.accessToken);
  if (!id || !access) return null;
  const sub = stringClaim(id, 'sub');
  const username = canonicalUsername(id, access);
  const idExp = numericClaim(id, 'exp');
  const accessExp = numericClaim(access, 'exp');
  const idIat = numericClaim(id, 'iat');
  const accessIat = numericClaim(access, 'iat');
  if (!sub || !username || idExp === undefined || accessExp === undefined) return null;
  if (idIat === undefined || accessIat === undefined) return null;
  const parsedDrift = drift === null ? 0 : Number(drift);
  const clockDriftSeconds = Number.isFinite(parsedDrift) ? parsedDrift : 0;
  const session: Session = Object.freeze({
    username,
    userSub: sub,
    accessToken: tokens.accessToken,
    idToken: tokens.idToken,
    refreshToken: tokens.refreshToken,
    expiresAt: (Math.min(idExp, accessExp) + clockDriftSeconds) * 1000,
    idTokenClaims: id as IdTokenClaims,
    accessTokenClaims: access as AccessTokenClaims,
  });
  const consistent =
    stringClaim(access, 'sub') === sub &&
    Math.abs(idIat - accessIat) <= MAX_IAT_SKEW_SECONDS &&
    (stringClaim(id, 'origin_jti') === undefined ||
      stringClaim(access, 'origin_jti') === undefined ||
      stringClaim(id, 'origin_jti') === stringClaim(access, 'origin_jti'));
  return {
    session,
    storageUsername,
    clockDriftSeconds,
    lifetimeSeconds: Math.min(idExp - idIat, accessExp - accessIat),
    consistent,
    deviceKey: deviceKey ?? undefined,
    claimsStale: staleMark !== null && staleMark === claimsId(session),
  };
}

function claimsId(session: Session): string {
  return `${session.accessTokenClaims.origin_jti ?? ''}:${session.accessTokenClaims.iat}`;
}

function parsePending(raw: string): PendingChallenge | null {
  try {
    const value = JSON.parse(raw) as Partial<PendingChallenge> | null;
    if (
      value &&
      typeof value.challengeName === 'string' &&
      typeof value.session === 'string' &&
      typeof value.username === 'string' &&
      typeof value.expiresAt === 'number' &&
      value.parameters !== null &&
      typeof value.parameters === 'object'
    ) {
      return value as PendingChallenge;
    }
  } catch {
    // garbage reads as "nothing pending"
  }
  return null;
}

import { CognitoError } from './errors.js';
import { decodeJwt, numericClaim } from './internal/jwt.js';
import type { TokenStorage } from './storage/types.js';
import {
  buildStored,
  cacheKey,
  canonicalUsername,
  claimsId,
  driftSeconds,
  type PendingChallenge,
  parsePending,
  type StoredSession,
  sameParts,
  type TokenSet,
} from './stored-session.js';

export type { PendingChallenge, StoredSession, TokenSet } from './stored-session.js';

const TOKEN_FIELDS = ['idToken', 'accessToken', 'refreshToken', 'clockDrift'] as const;
// Everything the raw library may keep per user; removed on sign-out so nothing is left behind.
const STALE_FIELD = 'cognitoKit.staleClaims';
const LOGIN_ID_FIELD = 'cognitoKit.loginId';
/** `<prefix>.cognitoKit.deviceUser.<typed name>` → the canonical username a device is stored under. */
const DEVICE_ALIAS = 'cognitoKit.deviceUser';
// 'code' or 'token' for a session the hosted UI issued (refreshed at its token endpoint).
const OAUTH_FIELD = 'cognitoKit.oauth';
const USER_FIELDS = [
  ...TOKEN_FIELDS,
  'userData',
  'signInDetails',
  STALE_FIELD,
  LOGIN_ID_FIELD,
  OAUTH_FIELD,
] as const;

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
      const fields = [
        ...TOKEN_FIELDS,
        'deviceKey',
        'signInDetails',
        STALE_FIELD,
        LOGIN_ID_FIELD,
        OAUTH_FIELD,
      ];
      this.#keys = { username, keys: fields.map((field) => this.#userKey(username, field)) };
    }
    return this.#keys.keys;
  }

  #userKey(username: string, field: string): string {
    return `${this.#prefix}.${username}.${field}`;
  }

  /** A key in the library's layout: `CognitoIdentityServiceProvider.<clientId>.<username>.<field>`. */
  userKey(username: string, field: string): string {
    return this.#userKey(username, field);
  }

  /** Where a typed alias points to the canonical username a device is stored under. */
  deviceAliasKey(loginId: string): string {
    return this.#userKey(DEVICE_ALIAS, loginId.toLowerCase());
  }

  /**
   * The cheap check before src/devices/ is loaded: whether a device may be stored for `name` (a
   * canonical username, or a name typed at a sign-in that stored one). Never throws.
   */
  async mayHaveDevice(name: string): Promise<boolean> {
    try {
      const keys = [this.#userKey(name, 'deviceKey'), this.deviceAliasKey(name)];
      const values = this.#getMany(keys);
      return (isThenable(values) ? await values : values).some((value) => value !== null);
    } catch {
      return false;
    }
  }

  get #pendingKey(): string {
    return `${this.#prefix}.cognitoKit.signInChallenge`;
  }

  // #region oauth
  /** Key of the hosted-UI sign-ins started and not yet completed (state, verifier, nonce). */
  get oauthPendingKey(): string {
    return `${this.#prefix}.cognitoKit.oauthPending`;
  }
  // #endregion oauth

  /** The raw value under `key`, or `null`. */
  async readRaw(key: string): Promise<string | null> {
    const values = this.#getMany([key]);
    const [raw] = isThenable(values) ? await values : values;
    return raw ?? null;
  }

  /** Writes (or, for `null`, removes) the raw value under `key`. */
  writeRaw(key: string, value: string | null): Promise<void> {
    return value === null ? this.#remove(key) : this.#set(key, value);
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
    const [
      idToken,
      accessToken,
      storedRefresh,
      rawDrift,
      deviceKey,
      amplifyDetails,
      staleMark,
      loginId,
      oauth,
    ] = isThenable(fields) ? await fields : fields;
    // An implicit-grant session has no refresh token.
    const refreshToken = storedRefresh ?? (oauth === 'token' ? '' : null);
    if (!idToken || !accessToken || refreshToken === null) return null;
    const drift = driftSeconds(rawDrift ?? null, amplifyDetails !== null && amplifyDetails !== undefined);
    const key = cacheKey(
      username,
      idToken,
      accessToken,
      refreshToken,
      drift ?? null,
      deviceKey ?? null,
      staleMark ?? null,
      loginId ?? null,
      oauth ?? null,
    );
    if (this.#last && sameParts(this.#last.key, key)) return this.#last.stored;
    const stored = buildStored(
      username,
      { idToken, accessToken, refreshToken },
      {
        drift: drift ?? null,
        deviceKey: deviceKey ?? null,
        staleMark: staleMark ?? null,
        loginId: loginId ?? null,
        oauth: oauth ?? null,
      },
    );
    if (stored) this.#last = { key, stored };
    return stored;
  }

  /**
   * Stores fresh tokens under the canonical username and points LastAuthUser at them. The pointer is
   * written last, so a crash mid-write leaves either the old session or tokens a read will check.
   * `loginId` (the name typed at sign-in) is written with a sign-in's tokens and kept by a refresh's.
   * Whatever the pointer named before, when it names another user, that user's keys are removed
   * first, a partial session too. `oauth` marks a hosted-UI session (written with its sign-in's
   * tokens, kept by a refresh's).
   */
  async write(
    tokens: TokenSet,
    nowMs: number,
    previous?: StoredSession | null,
    loginId?: string,
    oauth?: 'code' | 'token',
  ): Promise<StoredSession> {
    const id = decodeJwt(tokens.idToken);
    const access = decodeJwt(tokens.accessToken);
    const iat = Math.min(
      numericClaim(id ?? {}, 'iat') ?? Number.NaN,
      numericClaim(access ?? {}, 'iat') ?? Number.NaN,
    );
    const drift = Number.isFinite(iat) ? Math.floor(nowMs / 1000) - iat : 0;
    const username = canonicalUsername(id, access);
    const sameUser = previous?.storageUsername === username;
    // The device key as stored for this user (it survives sign-out and may predate `previous`).
    const deviceValues = username ? this.#getMany([this.#userKey(username, 'deviceKey')]) : [null];
    const [deviceKey = null] = isThenable(deviceValues) ? await deviceValues : deviceValues;
    const keptLoginId = loginId ?? (sameUser ? previous?.loginId : undefined) ?? null;
    // A refresh (same user, no marker given) keeps the marker; a sign-in sets or drops it.
    const keptOAuth = oauth ?? (sameUser && loginId === undefined ? previous?.oauth : undefined) ?? null;
    const extras = {
      drift: String(drift),
      deviceKey,
      staleMark: null,
      loginId: keptLoginId,
      oauth: keptOAuth,
    };
    const stored = username ? buildStored(username, tokens, extras) : null;
    if (!username || !stored) {
      throw new CognitoError('UnexpectedResponseException', 'Cognito returned tokens that cannot be decoded');
    }
    // The pointer as stored, not `previous` (which is null for a session that did not decode).
    const pointer = this.#getMany([this.lastUserKey]);
    const [pointed] = isThenable(pointer) ? await pointer : pointer;
    for (const other of new Set([pointed, previous?.storageUsername])) {
      if (other && other !== username) await this.#removeUser(other);
    }
    // Amplify v6's marker: with it, clockDrift would be read in Amplify's units; ours are the library's.
    await this.#remove(this.#userKey(username, 'signInDetails'));
    await this.#remove(this.#userKey(username, STALE_FIELD));
    try {
      await this.#set(this.#userKey(username, 'idToken'), tokens.idToken);
      await this.#set(this.#userKey(username, 'accessToken'), tokens.accessToken);
      if (tokens.refreshToken) await this.#set(this.#userKey(username, 'refreshToken'), tokens.refreshToken);
      else await this.#remove(this.#userKey(username, 'refreshToken'));
      if (keptOAuth) await this.#set(this.#userKey(username, OAUTH_FIELD), keptOAuth);
      else await this.#remove(this.#userKey(username, OAUTH_FIELD));
      await this.#set(this.#userKey(username, 'clockDrift'), String(drift));
      // A refresh keeps the sign-in's login id without writing it again.
      if (loginId !== undefined) await this.#set(this.#userKey(username, LOGIN_ID_FIELD), loginId);
      else if (!sameUser) await this.#remove(this.#userKey(username, LOGIN_ID_FIELD));
      await this.#set(this.lastUserKey, username);
    } catch (error) {
      // Tokens of a user the pointer does not name would outlive every sign-out: take them back.
      if (previous?.storageUsername !== username) await this.#removeUser(username).catch(() => undefined);
      throw error;
    }
    // The next read returns this very object: signIn's session and getSession's are the same value.
    const { idToken, accessToken, refreshToken } = tokens;
    this.#last = {
      key: cacheKey(
        username,
        idToken,
        accessToken,
        refreshToken,
        String(drift),
        deviceKey,
        null,
        keptLoginId,
        keptOAuth,
      ),
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

  /**
   * A feature's own value, `<prefix>.cognitoKit.<name>` (e.g. the auto sign-in after sign-up,
   * which its lazy module writes itself), or `null`.
   */
  async readExtra(name: string): Promise<string | null> {
    const values = this.#getMany([`${this.#prefix}.cognitoKit.${name}`]);
    const [raw] = isThenable(values) ? await values : values;
    return raw ?? null;
  }
}

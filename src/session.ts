import { CognitoError } from './errors.js';
import type { Emitter } from './events.js';
import type { Transport } from './internal/http.js';
import { optionalBoolean, optionalStringRecord, requireOptions } from './internal/validate.js';
import type { SessionStore, StoredSession, TokenSet } from './session-store.js';
import type { TokenStorage } from './storage/types.js';
import type { CurrentUser, Session } from './types.js';

/**
 * Answers that mean "this endpoint does not know GetTokensFromRefreshToken" (cognito-local's
 * `CognitoLocal#Unsupported`, an AWS-style `UnknownOperationException`): only then is
 * REFRESH_TOKEN_AUTH used. Never a message's wording: a refusal worded any other way is a refusal.
 */
const UNKNOWN_OPERATION = new Set(['Unsupported', 'UnknownOperationException']);

/** Cognito's answers that mean "this refresh token will never work again". */
const REJECTED_REFRESH = new Set([
  'NotAuthorizedException',
  // The hosted UI's token endpoint (RFC 6749): the refresh token is invalid, expired or revoked.
  'invalid_grant',
  'UserNotFoundException',
  'UserNotConfirmedException',
  'PasswordResetRequiredException',
]);

/** Cognito's `AuthenticationResult`. */
export interface AuthenticationResult {
  AccessToken?: string;
  IdToken?: string;
  RefreshToken?: string;
}

/** What the session manager needs from its client. */
export interface SessionContext {
  clientId: string;
  store: SessionStore;
  transport: Transport;
  events: Emitter;
  refreshMarginSeconds: number;
  now: () => number;
  // #region oauth
  /**
   * Loads the hosted UI's session hooks (src/oauth/), only for a page that lands on a pending
   * callback or a session the hosted UI issued.
   */
  hostedUi: () => Promise<HostedUiHooks>;
  // #endregion oauth
}

/** What the session manager asks of the hosted UI (src/oauth/session-hooks.ts). */
export interface HostedUiHooks {
  /** Completes the page's callback when it answers a sign-in of ours. */
  completeCallback(): Promise<void>;
  /** Refreshes a hosted-UI session at the token endpoint. */
  refresh(stored: StoredSession): Promise<AuthenticationResult>;
}

// #region oauth
/** The page's URL when it looks like an OAuth callback (`state=` in its query or fragment). */
function callbackHref(): string | undefined {
  const href = (globalThis as { location?: { href?: unknown } }).location?.href;
  return typeof href === 'string' && /[?#&]state=/.test(href) ? href : undefined;
}
// #endregion oauth

// One refresh in flight per session per JS realm, shared by every client on the same storage.
const inflight = new WeakMap<TokenStorage, Map<string, Promise<Session | null>>>();

/** The storage lock a refresh holds; sign-out takes it too, so that neither undoes the other across realms. */
export function sessionLockName(clientId: string, storageUsername: string): string {
  return `refresh:${clientId}:${storageUsername}`;
}

function numberClaim(value: unknown): number {
  return typeof value === 'number' ? value : 0;
}

/** Tells whether the stored tokens must be refreshed before use, on the drift-corrected clock. */
export function needsRefresh(stored: StoredSession, nowMs: number, marginSeconds: number): boolean {
  // A drift that puts the tokens' issue in this clock's future is wrong (e.g. Amplify v6's milliseconds
  // read as seconds): do not trust the expiry computed from it.
  const issuedLocal = (numberClaim(stored.session.accessTokenClaims.iat) + stored.clockDriftSeconds) * 1000;
  if (issuedLocal > nowMs + 60_000) return true;
  const margin = Math.min(marginSeconds, stored.lifetimeSeconds / 2);
  return nowMs >= stored.session.expiresAt - margin * 1000;
}

/** Turns an `AuthenticationResult` into a token set, keeping the refresh token Cognito did not resend. */
export function tokensFrom(result: AuthenticationResult | undefined, refreshToken?: string): TokenSet {
  const refresh = result?.RefreshToken ?? refreshToken;
  if (!result?.AccessToken || !result.IdToken || !refresh) {
    throw new CognitoError('UnexpectedResponseException', 'Cognito answered without the expected tokens');
  }
  return { accessToken: result.AccessToken, idToken: result.IdToken, refreshToken: refresh };
}

/**
 * getSession's logic: the valid stored session without a request, or exactly one refresh for all
 * concurrent callers (in this realm; across tabs and processes through the storage's lock).
 */
export class SessionManager {
  readonly #ctx: SessionContext;
  /** The endpoint answered that it does not know GetTokensFromRefreshToken (an emulator). */
  #legacyRefresh = false;

  constructor(ctx: SessionContext) {
    this.#ctx = ctx;
  }

  /** getSession(): validates the options, then {@link SessionManager.get}. */
  getSession(options: { forceRefresh?: boolean; clientMetadata?: Record<string, string> } = {}) {
    const o = requireOptions(options, 'options', ['forceRefresh', 'clientMetadata']);
    const clientMetadata = optionalStringRecord(o.clientMetadata, 'clientMetadata');
    return this.get(optionalBoolean(o.forceRefresh, 'forceRefresh') ?? false, clientMetadata);
  }

  /** The signed-in user from the stored tokens (even expired ones), without a request. */
  async currentUser(): Promise<CurrentUser | null> {
    const stored = await this.#ctx.store.read();
    return stored ? { username: stored.session.username, userSub: stored.session.userSub } : null;
  }

  /** The current session, refreshed when needed; `null` when nobody is signed in. */
  async get(forceRefresh = false, clientMetadata?: Record<string, string>): Promise<Session | null> {
    // #region oauth
    // A page that lands on the hosted UI's callback completes it here, so no page can forget to:
    // only when the URL carries a state and a sign-in of ours is pending (two cheap checks first).
    const { hostedUi, store } = this.#ctx;
    if (callbackHref() && (await store.readRaw(store.oauthPendingKey)) !== null) {
      await (await hostedUi()).completeCallback();
    }
    // #endregion oauth
    const stored = await this.#ctx.store.read();
    if (!stored) return null;
    if (
      !forceRefresh &&
      stored.consistent &&
      !stored.claimsStale &&
      !needsRefresh(stored, this.#ctx.now(), this.#ctx.refreshMarginSeconds)
    ) {
      return stored.session;
    }
    return this.refresh(stored, clientMetadata);
  }

  /** Marks the current tokens' claims as stale in the storage, so the next get() of any client refreshes. */
  async markClaimsStale(accessToken: string): Promise<void> {
    const stored = await this.#ctx.store.read();
    if (stored?.session.accessToken === accessToken) await this.#ctx.store.markClaimsStale(stored);
  }

  /** Refreshes `stored`, joining a refresh of the same session already in flight. */
  refresh(stored: StoredSession, clientMetadata?: Record<string, string>): Promise<Session | null> {
    const { storage } = this.#ctx.store;
    let perStorage = inflight.get(storage);
    if (!perStorage) {
      perStorage = new Map();
      inflight.set(storage, perStorage);
    }
    const key = `${this.#ctx.clientId}\n${stored.storageUsername}`;
    const running = perStorage.get(key);
    if (running) return running;
    const lockName = sessionLockName(this.#ctx.clientId, stored.storageUsername);
    const task = () => this.#refreshLocked(stored, 0, clientMetadata);
    const promise = (storage.lock ? storage.lock(lockName, task) : task()).finally(() =>
      perStorage.delete(key),
    );
    perStorage.set(key, promise);
    return promise;
  }

  async #refreshLocked(
    stored: StoredSession,
    depth: number,
    clientMetadata: Record<string, string> | undefined,
  ): Promise<Session | null> {
    const { store, events } = this.#ctx;
    // Another tab or process may have refreshed while we waited for the lock: adopt its tokens.
    const latest = await store.read();
    if (!latest) return null;
    if (this.#adoptable(latest, stored)) return latest.session;
    let result: AuthenticationResult | undefined;
    try {
      result = await this.#requestTokens(latest, clientMetadata);
    } catch (error) {
      if (!(error instanceof CognitoError) || !REJECTED_REFRESH.has(error.code)) throw error;
      // Re-check and clear as one step: a sign-in writing meanwhile must not be wiped.
      const now = await store.exclusive(async () => {
        const current = await store.read();
        if (current?.session.refreshToken === latest.session.refreshToken) await store.clear(latest);
        return current;
      });
      // Signed out while the request was in flight: nothing left to expire, no events.
      if (!now) return null;
      if (now.session.refreshToken !== latest.session.refreshToken) {
        // Someone stored other tokens meanwhile (a rotated refresh token, a new sign-in, another
        // tab that finished the refresh whose answer we lost): not expired. Use them when they are
        // usable; refresh them once; never hand out tokens that are torn or already expired.
        if (this.#adoptable(now, latest)) return now.session;
        if (depth === 0) return this.#refreshLocked(now, depth + 1, clientMetadata);
        if (now.consistent && now.session.expiresAt > this.#ctx.now()) return now.session;
        throw new CognitoError(
          'ConcurrentModificationException',
          'The stored session was replaced twice while it was being refreshed; try again',
          { retryable: true, cause: error },
        );
      }
      events.emit('sessionExpired', { error });
      events.emit('signedOut', { reason: 'expired' });
      return null;
    }
    // Check-and-write as one step against sign-out on the same storage: a sign-out that starts while
    // the new tokens are being written must not be undone by the rest of the writes.
    return store.exclusive(async () => {
      const current = await store.read();
      if (!current || current.session.refreshToken !== latest.session.refreshToken) {
        // Signed out (or in as someone else) while the request was in flight: do not resurrect it.
        return current?.session ?? null;
      }
      const written = await store.write(
        tokensFrom(result, latest.session.refreshToken),
        this.#ctx.now(),
        latest,
      );
      events.emit('tokenRefreshed', written.session);
      return written.session;
    });
  }

  #adoptable(latest: StoredSession, seen: StoredSession): boolean {
    return (
      latest.session.accessToken !== seen.session.accessToken &&
      latest.consistent &&
      !needsRefresh(latest, this.#ctx.now(), this.#ctx.refreshMarginSeconds)
    );
  }

  /**
   * GetTokensFromRefreshToken, which works for app clients with and without refresh-token rotation
   * and carries the device key and client metadata; REFRESH_TOKEN_AUTH only where the endpoint
   * does not know that operation (cognito-local).
   */
  async #requestTokens(
    stored: StoredSession,
    clientMetadata: Record<string, string> | undefined,
  ): Promise<AuthenticationResult | undefined> {
    const { transport, clientId, hostedUi } = this.#ctx;
    const { refreshToken } = stored.session;
    // #region oauth
    // A hosted-UI session refreshes at the token endpoint.
    if (stored.oauth) return (await hostedUi()).refresh(stored);
    // #endregion oauth
    const metadata = clientMetadata ? { ClientMetadata: clientMetadata } : {};
    if (!this.#legacyRefresh) {
      try {
        const answer = await transport.send<{ AuthenticationResult?: AuthenticationResult }>(
          'GetTokensFromRefreshToken',
          {
            RefreshToken: refreshToken,
            ClientId: clientId,
            ...(stored.deviceKey ? { DeviceKey: stored.deviceKey } : {}),
            ...metadata,
          },
        );
        return answer.AuthenticationResult;
      } catch (error) {
        if (!(error instanceof CognitoError) || !UNKNOWN_OPERATION.has(error.code)) throw error;
        this.#legacyRefresh = true;
      }
    }
    const parameters: Record<string, string> = { REFRESH_TOKEN: refreshToken };
    if (stored.deviceKey) parameters.DEVICE_KEY = stored.deviceKey;
    const answer = await transport.send<{ AuthenticationResult?: AuthenticationResult }>(
      'InitiateAuth',
      {
        AuthFlow: 'REFRESH_TOKEN_AUTH',
        ClientId: clientId,
        AuthParameters: parameters,
        ...metadata,
      },
      { secretHashUsername: stored.session.username },
    );
    return answer.AuthenticationResult;
  }
}

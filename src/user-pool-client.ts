import { CognitoError, invalidParameter, toCognitoError, withMethod } from './errors.js';
import { type CognitoEventListener, type CognitoEventName, Emitter } from './events.js';
import { type ClientCore, createCore } from './internal/core.js';
import { Transport } from './internal/http.js';
import { requireOneOf } from './internal/validate.js';
import type { SignOutInput } from './oauth/types.js';
import { resolveOptions } from './options.js';
import * as registration from './registration.js';
import { SessionManager } from './session.js';
import { SessionStore } from './session-store.js';
import { onSessionChange } from './session-sync.js';
import { answerChallenge, startSignIn } from './sign-in.js';
import { deleteUser, signOut } from './sign-out.js';
import type {
  CodeDelivery,
  CognitoClientOptions,
  ConfirmSignInInput,
  ConfirmSignUpResult,
  CurrentUser,
  Session,
  SignInInput,
  SignInResult,
  SignUpInput,
  SignUpResult,
} from './types.js';

const EVENTS: readonly CognitoEventName[] = ['signedIn', 'signedOut', 'tokenRefreshed', 'sessionExpired'];

/**
 * Runs an operation so that whatever goes wrong, including a synchronous validation error, rejects
 * with a CognitoError. `method` (the public method's name) prefixes network and timeout messages:
 * "signIn: InitiateAuth could not reach cognito-idp.us-east-1.amazonaws.com".
 */
export async function run<T>(method: string, operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    throw withMethod(toCognitoError(error), method);
  }
}

/**
 * Reads a client's private `#core`: defined by the first constructor call, inside the class body
 * (where `#core` can be named). Not a WeakMap from client to core: a WeakMap entry per client made
 * the garbage collector the largest cost of a server's one-client-per-request pattern.
 */
let readCore: ((value: unknown) => ClientCore | undefined) | undefined;

/** The core of a client, or `undefined` for any other value (signInWithLoopback's check). */
export function findCore(value: unknown): ClientCore | undefined {
  return readCore?.(value);
}

/** The core of a client, for the methods {@link CognitoClient} adds (its own `#core` is private here). */
export function coreOf(client: UserPoolClient): ClientCore {
  const core = findCore(client);
  if (!core) throw new CognitoError('InvalidParameterException', 'Not a CognitoClient', { retryable: false });
  return core;
}

/**
 * The user-pool part of {@link CognitoClient}: construction, events, registration, sign-in, the
 * session and sign-out. {@link CognitoClient} adds the account operations and the 0.2 features;
 * it is the class to use.
 */
export class UserPoolClient {
  // Everything the client owns, handed to the module that does the work. Each method below
  // validates nothing itself: the module checks its input before any request is sent.
  readonly #core: ClientCore;

  /**
   * @param options - Pool, app client and behaviour; see {@link CognitoClientOptions}.
   * @example
   * ```ts
   * const client = new CognitoClient({ userPoolId: 'us-east-1_AbCdEf123', clientId: '1example23456789', autoRefresh: true });
   * ```
   * @throws {@link CognitoError} `InvalidParameterException` for a missing or malformed option or an unknown key.
   */
  constructor(options: CognitoClientOptions) {
    const resolved = resolveOptions(options);
    const { clientId } = resolved;
    const transport = new Transport({
      endpoint: resolved.endpoint,
      timeoutMs: resolved.requestTimeoutMs,
      maxAttempts: resolved.maxAttempts,
      retryBaseDelayMs: resolved.retryBaseDelayMs,
      clientSecret: resolved.clientSecret,
    });
    const store = new SessionStore(resolved.storage, clientId);
    const events = new Emitter();
    const now = () => Date.now();
    const sessions = new SessionManager({
      clientId,
      transport,
      store,
      events,
      refreshMarginSeconds: resolved.refreshMarginSeconds,
      now,
      // #region oauth
      // Loaded only on a page that lands on a pending callback, or for a hosted-UI session.
      hostedUi: async () => (await import('./oauth/index.js')).hostedUiHooks(this.#core),
      // #endregion oauth
    });
    this.#core = createCore({
      options: resolved,
      userPoolId: resolved.userPoolId,
      clientId,
      authFlow: resolved.authFlow,
      transport,
      store,
      sessions,
      events,
      now,
      totpIssuer: resolved.totpIssuer,
      challengeTtlMs: resolved.challengeTtlSeconds * 1000,
    });
    readCore ??= (value) => {
      try {
        return (value as UserPoolClient).#core;
      } catch {
        // Not a client: reading a private field of another object throws a TypeError.
        return undefined;
      }
    };
  }

  // ---- events ----

  /**
   * Subscribes to an event; returns the function that unsubscribes.
   *
   * @example
   * ```ts
   * const off = client.on('signedOut', ({ reason }) => { if (reason === 'expired') showSignIn(); });
   * off();
   * ```
   * @throws {@link CognitoError} `InvalidParameterException` for an unknown event or a non-function listener.
   */
  on<E extends CognitoEventName>(event: E, listener: CognitoEventListener<E>): () => void {
    requireOneOf(event, 'event', EVENTS);
    if (typeof listener !== 'function') throw invalidParameter('listener must be a function');
    return this.#core.events.on(event, listener);
  }

  // #region sync
  /**
   * Calls `listener` with the current session (`null` when nobody is signed in) once any due refresh
   * has settled, then with every change: sign-in, refresh and sign-out, in this tab **and in other
   * tabs** of the same origin sharing the storage (they signal over a `BroadcastChannel` named
   * `cognito-kit:<clientId>`, or through storage events where it is missing; no token is ever sent:
   * this tab re-reads its storage). From the first call (or the first {@link CognitoClient.on}), the
   * events fire for other tabs' changes too, once per change. In Node: this process only; nothing is
   * opened that keeps it alive. Returns the function that unsubscribes.
   *
   * @example
   * ```ts
   * const off = client.onSessionChange((session) => {
   *   if (session) showAccount(session.idTokenClaims.email);
   *   else showSignIn(); // also when another tab signed out
   * });
   * off();
   * ```
   * @throws {@link CognitoError} `InvalidParameterException` for a non-function listener.
   */
  onSessionChange(listener: (session: Session | null) => void): () => void {
    if (typeof listener !== 'function') throw invalidParameter('listener must be a function');
    return onSessionChange(this.#core, listener);
  }
  // #endregion sync

  /**
   * Removes every listener, stops following other tabs and stops `autoRefresh`. In Node the client
   * holds no timers, so a script exits as soon as its work is done, with or without this call.
   * @example
   * ```ts
   * client.dispose();
   * ```
   */
  dispose(): void {
    this.#core.events.clear();
  }

  // ---- registration ----

  /**
   * Registers a user. Without `password` where the pool signs users in without one; with
   * `autoSignIn: true` the later {@link CognitoClient.confirmSignUp} signs the user in.
   * @example
   * ```ts
   * const { userConfirmed, codeDelivery } = await client.signUp({ username: 'ann@example.com', password, attributes: { email: 'ann@example.com' } });
   * await client.signUp({ username: 'bo@example.com', attributes: { email: 'bo@example.com' }, autoSignIn: true });
   * ```
   * @throws {@link CognitoError} e.g. `UsernameExistsException`, `InvalidPasswordException`, `InvalidParameterException`.
   */
  signUp(input: SignUpInput): Promise<SignUpResult> {
    return run('signUp', () => registration.signUp(this.#core, input));
  }

  /**
   * Confirms a registration with the code Cognito sent. After `signUp({ autoSignIn: true })` (also
   * by another client on the same storage), resolves with `{ signInResult }`: the user is signed
   * in with the session Cognito returned, or has a next step. Otherwise resolves `undefined`.
   * @example
   * ```ts
   * const confirmed = await client.confirmSignUp({ username, code });
   * if (confirmed?.signInResult.isSignedIn) showHome();
   * ```
   * @throws {@link CognitoError} e.g. `CodeMismatchException`, `ExpiredCodeException`.
   */
  confirmSignUp(input: { username: string; code: string }): Promise<ConfirmSignUpResult | undefined> {
    return run('confirmSignUp', () => registration.confirmSignUp(this.#core, input));
  }

  /**
   * Sends the sign-up confirmation code again.
   * @example
   * ```ts
   * const { destination } = await client.resendSignUpCode({ username: 'ann@example.com' });
   * ```
   * @throws {@link CognitoError} e.g. `UserNotFoundException`, `InvalidParameterException` (already confirmed), `LimitExceededException`.
   */
  resendSignUpCode(input: { username: string }): Promise<CodeDelivery> {
    return run('resendSignUpCode', () => registration.resendSignUpCode(this.#core, input));
  }

  // ---- sign-in ----

  /**
   * Signs in. Resolves with `isSignedIn: true` and the stored session, or with the next step
   * (MFA code, new password, TOTP set-up, …) to answer with {@link CognitoClient.confirmSignIn}.
   * An unconfirmed user gives `CONFIRM_SIGN_UP`; a forced reset gives `RESET_PASSWORD`.
   *
   * @example
   * ```ts
   * const result = await client.signIn({ username, password });
   * if (!result.isSignedIn && result.nextStep.signInStep === 'CONFIRM_SIGN_IN_WITH_TOTP_CODE') {
   *   await client.confirmSignIn({ challengeResponse: await askForCode() });
   * }
   * ```
   * @throws {@link CognitoError} e.g. `NotAuthorizedException` (wrong password), `UserNotFoundException`.
   */
  signIn(input: SignInInput): Promise<SignInResult> {
    return run('signIn', () => startSignIn(this.#core, input));
  }

  /**
   * Answers the pending sign-in challenge, also one started by another client on the same storage
   * (after a page reload, on the next HTTP request of a server).
   * @example
   * ```ts
   * const result = await client.confirmSignIn({ challengeResponse: '123456' }); // the MFA code
   * if (result.isSignedIn) showAccount(result.session);
   * ```
   * @throws {@link CognitoError} `NoPendingChallengeException` when nothing is pending; `CodeMismatchException`
   * for a wrong code (the challenge stays open for another try).
   */
  confirmSignIn(input: ConfirmSignInInput): Promise<SignInResult> {
    return run('confirmSignIn', () => answerChallenge(this.#core, input));
  }

  // ---- session ----

  /**
   * The current session: `null` when nobody is signed in; the stored tokens without a request while
   * they are valid; otherwise one refresh, however many callers ask at once.
   * When Cognito rejects the refresh token, the session is removed, `sessionExpired` and `signedOut`
   * fire, and this resolves `null`. The tokens are decoded, not verified (no signature, issuer or
   * audience check): on a server, verify them before trusting a claim (see docs/security.md).
   * @example
   * ```ts
   * const session = await client.getSession();
   * if (session) await fetch('/api/me', { headers: { Authorization: `Bearer ${session.accessToken}` } });
   * ```
   * @throws {@link CognitoError} `NetworkError`, `TimeoutError`, `TooManyRequestsException`, … (retryable; the stored session stays), `StorageException`.
   */
  getSession(
    options: { forceRefresh?: boolean; clientMetadata?: Record<string, string> } = {},
  ): Promise<Session | null> {
    return run('getSession', () => this.#core.sessions.getSession(options));
  }

  /**
   * The signed-in user from the stored tokens (even expired ones), without a request; `null` when
   * nobody is signed in. The claims are read from **unverified** tokens: whatever the storage holds
   * (a token with `alg: none`, an expired or forged one) is decoded, never checked. Fine for what a
   * page shows; on a server, verify the token (aws-jwt-verify) before trusting who this is.
   * @example
   * ```ts
   * const user = await client.getCurrentUser();
   * if (!user) location.assign('/sign-in');
   * ```
   * @throws {@link CognitoError} `StorageException` when the storage fails.
   */
  getCurrentUser(): Promise<CurrentUser | null> {
    return run('getCurrentUser', () => this.#core.sessions.currentUser());
  }

  /**
   * Starts a password reset: Cognito sends a code.
   * @example
   * ```ts
   * const delivery = await client.forgotPassword({ username });
   * await client.confirmForgotPassword({ username, code: await askForCode(delivery), newPassword });
   * ```
   * @throws {@link CognitoError} `UserNotFoundException`, `LimitExceededException`.
   */
  forgotPassword(input: { username: string }): Promise<CodeDelivery> {
    return run('forgotPassword', () => registration.forgotPassword(this.#core, input));
  }

  /**
   * Finishes a password reset with the code and a new password.
   * @example
   * ```ts
   * await client.confirmForgotPassword({ username: 'ann@example.com', code: '123456', newPassword });
   * ```
   * @throws {@link CognitoError} `CodeMismatchException`, `ExpiredCodeException`, `InvalidPasswordException`.
   */
  confirmForgotPassword(input: { username: string; code: string; newPassword: string }): Promise<void> {
    return run('confirmForgotPassword', () => registration.confirmForgotPassword(this.#core, input));
  }

  /**
   * Deletes the signed-in user, and signs out locally whatever Cognito answers (`signedOut` with
   * reason `'deleted'` on success, `'user'` when the request failed).
   * @example
   * ```ts
   * if (confirm('Delete your account?')) await client.deleteUser();
   * ```
   * @throws {@link CognitoError} `NotSignedInException`, `NetworkError` (the local session is gone all the same).
   */
  deleteUser(): Promise<void> {
    return run('deleteUser', () => deleteUser(this.#core));
  }

  /**
   * Signs out. The stored session is always cleared first. A local sign-out then revokes the
   * refresh token where Cognito allows and resolves even if that fails; `global: true` calls
   * GlobalSignOut (all devices) and rejects if that fails. A hosted-UI session's refresh token is
   * revoked at `/oauth2/revoke`, then the page goes to the hosted UI's `/logout` (`redirect: false`
   * skips that; `open(url)` replaces the navigation).
   * @example
   * ```ts
   * await client.signOut();                  // this device
   * await client.signOut({ global: true });  // every device
   * ```
   * @throws {@link CognitoError} only with `global: true`: `NetworkError`, `NotAuthorizedException`, …
   */
  signOut(options: SignOutInput = {}): Promise<void> {
    return run('signOut', () => signOut(this.#core, options));
  }
}

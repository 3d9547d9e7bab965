import * as account from './account.js';
import type { ForgetDeviceInput, ListDevicesInput, ListDevicesResult } from './devices/types.js';
import { invalidParameter, toCognitoError, withMethod } from './errors.js';
import { type CognitoEventListener, type CognitoEventName, Emitter } from './events.js';
import type { AwsCredentials, GetAwsCredentialsOptions } from './identity/types.js';
import { type ClientCore, CORES, createCore } from './internal/core.js';
import { Transport } from './internal/http.js';
import { requireOneOf } from './internal/validate.js';
import type { RedirectSignInResult, SignInWithRedirectInput, SignOutInput } from './oauth/types.js';
import { resolveOptions } from './options.js';
import type { ListPasskeysInput, ListPasskeysResult } from './passwordless/types.js';
import * as registration from './registration.js';
import { SessionManager } from './session.js';
import { SessionStore } from './session-store.js';
import { onSessionChange } from './session-sync.js';
import { answerChallenge, passwordlessKit, startSignIn } from './sign-in.js';
import { deleteUser, signOut } from './sign-out.js';
import type {
  CodeDelivery,
  CognitoClientOptions,
  ConfirmSignInInput,
  ConfirmSignUpResult,
  CurrentUser,
  MfaSetting,
  Session,
  SignInInput,
  SignInResult,
  SignUpInput,
  SignUpResult,
  TotpSetup,
  UpdateAttributesResult,
} from './types.js';

const EVENTS: readonly CognitoEventName[] = ['signedIn', 'signedOut', 'tokenRefreshed', 'sessionExpired'];

// Features load on first use; the promise is kept, since every import() call, even of a loaded
// module, goes through the module loader (about 100 µs in Node: more than a cached call's work).
let identityFeature: Promise<typeof import('./identity/index.js')> | undefined;
const identity = () => (identityFeature ??= import('./identity/index.js'));

/**
 * A promise-based client for one Cognito user pool app client (without a secret).
 *
 * Every method rejects with a {@link CognitoError}; bad input is rejected with
 * `InvalidParameterException` before any request is sent.
 *
 * @example
 * ```ts
 * import { CognitoClient } from 'cognito-kit';
 *
 * const client = new CognitoClient({ userPoolId: 'us-east-1_AbCdEf123', clientId: '1example23456789' });
 * const result = await client.signIn({ username: 'ann@example.com', password });
 * if (result.isSignedIn) console.log(result.session.idTokenClaims.email);
 * const session = await client.getSession(); // refreshed when needed, once for all callers
 * ```
 */
export class CognitoClient {
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
      oauth: resolved.oauth,
      // Only with the oauth option: getSession() may then complete a pending hosted-UI callback.
      completeCallback: resolved.oauth
        ? async () => (await import('./oauth/index.js')).completePendingCallback(this.#core)
        : undefined,
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
    CORES.set(this, this.#core);
  }

  /**
   * Runs an operation so that whatever goes wrong, including a synchronous validation error, rejects
   * with a CognitoError. `method` (the public method's name) prefixes network and timeout messages:
   * "signIn: InitiateAuth could not reach cognito-idp.us-east-1.amazonaws.com".
   */
  async #run<T>(method: string, operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      throw withMethod(toCognitoError(error), method);
    }
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
    return this.#run('signUp', () => registration.signUp(this.#core, input));
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
    return this.#run('confirmSignUp', () => registration.confirmSignUp(this.#core, input));
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
    return this.#run('resendSignUpCode', () => registration.resendSignUpCode(this.#core, input));
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
    return this.#run('signIn', () => startSignIn(this.#core, input));
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
    return this.#run('confirmSignIn', () => answerChallenge(this.#core, input));
  }

  // ---- session ----

  /**
   * The current session: `null` when nobody is signed in; the stored tokens without a request while
   * they are valid; otherwise one refresh, however many callers ask at once.
   * When Cognito rejects the refresh token, the session is removed, `sessionExpired` and `signedOut`
   * fire, and this resolves `null`.
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
    return this.#run('getSession', () => this.#core.sessions.getSession(options));
  }

  /**
   * The signed-in user from the stored tokens (even expired ones), without a request; `null` when
   * nobody is signed in.
   * @example
   * ```ts
   * const user = await client.getCurrentUser();
   * if (!user) location.assign('/sign-in');
   * ```
   * @throws {@link CognitoError} `StorageException` when the storage fails.
   */
  getCurrentUser(): Promise<CurrentUser | null> {
    return this.#run('getCurrentUser', () => this.#core.sessions.currentUser());
  }

  // ---- AWS credentials (identity pool) ----

  /**
   * Temporary AWS credentials from the identity pool ({@link CognitoClientOptions.identityPoolId}):
   * the signed-in user's (the ID token from {@link CognitoClient.getSession}, refreshed first when
   * due), or a guest's with `allowGuestAccess`. Cached in memory until `refreshMarginSeconds` before
   * they expire, one request for all concurrent callers; the identity id is kept in the storage.
   * Pass the method itself to any AWS SDK v3 client.
   *
   * @example
   * ```ts
   * const client = new CognitoClient({ userPoolId, clientId, identityPoolId: 'us-east-1:1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d' });
   * const s3 = new S3Client({ region: 'us-east-1', credentials: () => client.getAwsCredentials() });
   * ```
   * @throws {@link CognitoError} `InvalidParameterException` (no `identityPoolId`, bad options),
   * `NotSignedInException` (nobody signed in, guests not allowed), `NotAuthorizedException` (the
   * pool refuses the login or guests), `ResourceNotFoundException`, `NetworkError`, `TimeoutError`,
   * `TooManyRequestsException`.
   */
  getAwsCredentials(options: GetAwsCredentialsOptions = {}): Promise<AwsCredentials> {
    return this.#run('getAwsCredentials', async () =>
      (await identity()).getAwsCredentials(this.#core, options),
    );
  }

  /**
   * The identity pool's id for the signed-in user (or the guest): from the storage without a
   * request once known, otherwise fetched together with the credentials.
   * @example
   * ```ts
   * const identityId = await client.getIdentityId(); // e.g. for a per-user S3 prefix
   * ```
   * @throws {@link CognitoError} as {@link CognitoClient.getAwsCredentials}.
   */
  getIdentityId(): Promise<string> {
    return this.#run('getIdentityId', async () => (await identity()).getIdentityId(this.#core));
  }

  // ---- user ----

  /**
   * The user's attributes by name (one GetUser request).
   * @example
   * ```ts
   * const { email, name } = await client.getUserAttributes();
   * ```
   * @throws {@link CognitoError} `NotSignedInException` when nobody is signed in; `NotAuthorizedException` for a revoked access token.
   */
  getUserAttributes(): Promise<Record<string, string>> {
    return this.#run('getUserAttributes', () => account.getUserAttributes(this.#core));
  }

  /**
   * Updates attributes. An attribute that needs verification (email, phone) reports `isUpdated: false`
   * with where the code went. The next {@link CognitoClient.getSession} returns claims with the new values.
   * @example
   * ```ts
   * const result = await client.updateAttributes({ name: 'Ann', email: 'new@example.com' });
   * if (!result.email?.isUpdated) askForCode(result.email?.codeDelivery);
   * ```
   * @throws {@link CognitoError} `NotSignedInException`, `InvalidParameterException` (unknown or immutable attribute), `AliasExistsException`.
   */
  updateAttributes(attributes: Record<string, string>): Promise<UpdateAttributesResult> {
    return this.#run('updateAttributes', () => account.updateAttributes(this.#core, attributes));
  }

  /**
   * Sends a code to verify an attribute (`'email'`, `'phone_number'`).
   * @example
   * ```ts
   * const delivery = await client.sendAttributeVerificationCode('email');
   * await client.verifyAttribute({ name: 'email', code: await askForCode(delivery) });
   * ```
   * @throws {@link CognitoError} `NotSignedInException`, `LimitExceededException`.
   */
  sendAttributeVerificationCode(name: string): Promise<CodeDelivery> {
    return this.#run('sendAttributeVerificationCode', () =>
      account.sendAttributeVerificationCode(this.#core, name),
    );
  }

  /**
   * Verifies an attribute with the code Cognito sent; the next session shows it verified.
   * @example
   * ```ts
   * await client.verifyAttribute({ name: 'email', code: '123456' });
   * ```
   * @throws {@link CognitoError} `NotSignedInException`, `CodeMismatchException`, `ExpiredCodeException`.
   */
  verifyAttribute(input: { name: string; code: string }): Promise<void> {
    return this.#run('verifyAttribute', () => account.verifyAttribute(this.#core, input));
  }

  /**
   * Deletes attributes by name.
   * @example
   * ```ts
   * await client.deleteAttributes(['custom:nickname']);
   * ```
   * @throws {@link CognitoError} `NotSignedInException`, `InvalidParameterException` (required attribute).
   */
  deleteAttributes(names: string[]): Promise<void> {
    return this.#run('deleteAttributes', () => account.deleteAttributes(this.#core, names));
  }

  /**
   * Changes the signed-in user's password.
   * @example
   * ```ts
   * await client.changePassword({ oldPassword, newPassword });
   * ```
   * @throws {@link CognitoError} `NotSignedInException`, `NotAuthorizedException` (wrong old password), `InvalidPasswordException`.
   */
  changePassword(input: { oldPassword: string; newPassword: string }): Promise<void> {
    return this.#run('changePassword', () => account.changePassword(this.#core, input));
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
    return this.#run('forgotPassword', () => registration.forgotPassword(this.#core, input));
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
    return this.#run('confirmForgotPassword', () => registration.confirmForgotPassword(this.#core, input));
  }

  /**
   * Starts a TOTP set-up for the signed-in user: the secret and an `otpauth://` URI for a QR code.
   * Finish with {@link CognitoClient.verifyTotpSetup}, then turn it on with {@link CognitoClient.setMfaPreference}.
   * @example
   * ```ts
   * const { otpauthUri } = await client.setUpTotp();
   * showQrCode(otpauthUri);
   * await client.verifyTotpSetup({ code: await askForCode() });
   * await client.setMfaPreference({ totp: 'PREFERRED' });
   * ```
   * @throws {@link CognitoError} `NotSignedInException`.
   */
  setUpTotp(): Promise<TotpSetup> {
    return this.#run('setUpTotp', () => account.setUpTotp(this.#core));
  }

  /**
   * Finishes a TOTP set-up with a code from the authenticator app.
   * @example
   * ```ts
   * await client.verifyTotpSetup({ code: '123456', friendlyDeviceName: 'phone' });
   * ```
   * @throws {@link CognitoError} `NotSignedInException`, `EnableSoftwareTokenMFAException` (wrong code).
   */
  verifyTotpSetup(input: { code: string; friendlyDeviceName?: string }): Promise<void> {
    return this.#run('verifyTotpSetup', () => account.verifyTotpSetup(this.#core, input));
  }

  /**
   * Enables, disables or prefers TOTP, SMS and email MFA for the signed-in user.
   * @example
   * ```ts
   * await client.setMfaPreference({ email: 'PREFERRED' });
   * ```
   * @throws {@link CognitoError} `NotSignedInException`, `InvalidParameterException` (none given).
   */
  setMfaPreference(input: { totp?: MfaSetting; sms?: MfaSetting; email?: MfaSetting }): Promise<void> {
    return this.#run('setMfaPreference', () => account.setMfaPreference(this.#core, input));
  }

  // ---- passkeys ----

  /**
   * Registers a passkey for the signed-in user: the browser asks the authenticator (Face ID, a
   * security key, …) to create one for the pool's relying party. Then `USER_AUTH` sign-ins can use
   * `preferredChallenge: 'WEB_AUTHN'`.
   * @example
   * ```ts
   * await client.registerPasskey();
   * ```
   * @throws {@link CognitoError} `WebAuthnNotSupportedException` (no WebAuthn here, before any request),
   * `WebAuthnCancelledException` (the user cancelled), `NotSignedInException`, `WebAuthnNotEnabledException`.
   */
  registerPasskey(): Promise<void> {
    return this.#run('registerPasskey', async () =>
      (await import('./passwordless/passkeys.js')).registerPasskey(this.#core, passwordlessKit()),
    );
  }

  /**
   * The signed-in user's passkeys, a page at a time.
   * @example
   * ```ts
   * const { passkeys, nextToken } = await client.listPasskeys({ limit: 10 });
   * ```
   * @throws {@link CognitoError} `NotSignedInException`, `InvalidParameterException`.
   */
  listPasskeys(input: ListPasskeysInput = {}): Promise<ListPasskeysResult> {
    return this.#run('listPasskeys', async () =>
      (await import('./passwordless/passkeys.js')).listPasskeys(this.#core, passwordlessKit(), input),
    );
  }

  /**
   * Deletes one of the signed-in user's passkeys.
   * @example
   * ```ts
   * await client.deletePasskey({ credentialId: passkey.credentialId });
   * ```
   * @throws {@link CognitoError} `NotSignedInException`, `ResourceNotFoundException`.
   */
  deletePasskey(input: { credentialId: string }): Promise<void> {
    return this.#run('deletePasskey', async () =>
      (await import('./passwordless/passkeys.js')).deletePasskey(this.#core, passwordlessKit(), input),
    );
  }

  // ---- remembered devices (src/devices/, loaded on first use) ----

  /**
   * Remembers this device (UpdateDeviceStatus `remembered`), on a pool that remembers devices when
   * the user opts in: later sign-ins here skip MFA where the pool allows it. On an 'always' pool the
   * device is remembered when it is confirmed at sign-in, and this changes nothing.
   * @example
   * ```ts
   * if (await askUser('Remember this device?')) await client.rememberDevice();
   * ```
   * @throws {@link CognitoError} `NotSignedInException`; `NoDeviceException` when this client holds
   * no device key (the pool does not track devices, or the device was forgotten).
   */
  rememberDevice(): Promise<void> {
    return this.#run('rememberDevice', async () =>
      (await import('./devices/index.js')).rememberDevice(this.#core),
    );
  }

  /**
   * Forgets a device (ForgetDevice): by default this one, whose keys are then removed from the
   * storage too, so the next sign-in here is a new device (and asks for MFA again).
   * @example
   * ```ts
   * await client.forgetDevice();                        // this device
   * await client.forgetDevice({ deviceKey: lost.deviceKey }); // another one, from listDevices()
   * ```
   * @throws {@link CognitoError} `NotSignedInException`, `NoDeviceException`, `ResourceNotFoundException` (no such device).
   */
  forgetDevice(input: ForgetDeviceInput = {}): Promise<void> {
    return this.#run('forgetDevice', async () =>
      (await import('./devices/index.js')).forgetDevice(this.#core, input),
    );
  }

  /**
   * One page of the signed-in user's confirmed devices (ListDevices), dates as `Date`s.
   * @example
   * ```ts
   * let page = await client.listDevices({ limit: 20 });
   * for (const device of page.devices) console.log(device.name, device.lastAuthenticatedAt);
   * if (page.paginationToken) page = await client.listDevices({ paginationToken: page.paginationToken });
   * ```
   * @throws {@link CognitoError} `NotSignedInException`, `InvalidParameterException` (limit outside 1 to 60).
   */
  listDevices(input: ListDevicesInput = {}): Promise<ListDevicesResult> {
    return this.#run('listDevices', async () =>
      (await import('./devices/index.js')).listDevices(this.#core, input),
    );
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
    return this.#run('deleteUser', () => deleteUser(this.#core));
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
    return this.#run('signOut', () => signOut(this.#core, options));
  }

  // ---- hosted UI (OAuth 2.0) ----

  /**
   * Signs in through the hosted UI (managed login, a social or SAML/OIDC provider): stores a random
   * `state`, `nonce` and PKCE verifier in the client's storage and navigates to the hosted UI
   * (`location.assign`, or `open(url)`). The callback page completes it with
   * {@link CognitoClient.handleRedirect}, or simply with {@link CognitoClient.getSession}.
   * Needs the `oauth` option.
   * @example
   * ```ts
   * await client.signInWithRedirect({ provider: 'Google', customState: location.pathname });
   * ```
   * @throws {@link CognitoError} `InvalidParameterException` (no `oauth` option, a `redirectUri` not in
   * `redirectSignIn`, a bad provider), `StorageException`.
   */
  signInWithRedirect(input: SignInWithRedirectInput = {}): Promise<void> {
    return this.#run('signInWithRedirect', async () =>
      (await import('./oauth/index.js')).signInWithRedirect(this.#core, input),
    );
  }

  /**
   * The hosted UI's sign-in URL, without navigating (servers, CLIs, custom openers); its state is
   * stored as by {@link CognitoClient.signInWithRedirect}.
   * @example
   * ```ts
   * res.redirect(await client.getSignInUrl({ provider: { custom: 'AcmeSAML' } }));
   * ```
   * @throws {@link CognitoError} `InvalidParameterException`, `StorageException`.
   */
  getSignInUrl(input: SignInWithRedirectInput = {}): Promise<string> {
    return this.#run('getSignInUrl', async () =>
      (await import('./oauth/index.js')).getSignInUrl(this.#core, input),
    );
  }

  /**
   * Completes the hosted UI's callback at `url` (default: the page's URL): checks the state,
   * exchanges the code with the PKCE verifier (once), checks the ID token's nonce, audience and
   * issuer, stores the session, emits `signedIn` and removes the response from the address bar.
   * Resolves `null` when the URL carries no OAuth response.
   * @example
   * ```ts
   * const result = await client.handleRedirect();
   * if (result?.customState) history.replaceState(null, '', result.customState);
   * ```
   * @throws {@link CognitoError} `InvalidStateException` (not a sign-in of this storage, or replayed;
   * nothing is sent), the callback's own `error` (e.g. `access_denied`), `InvalidIdTokenException`,
   * `invalid_grant`, `NetworkError`.
   */
  handleRedirect(url?: string): Promise<RedirectSignInResult | null> {
    return this.#run('handleRedirect', async () =>
      (await import('./oauth/index.js')).handleRedirect(this.#core, url),
    );
  }
}

// CognitoClient: the one class users create. user-pool-client.ts holds construction, events,
// sign-up, sign-in, the session and sign-out; this file adds the signed-in user's account
// operations and the 0.2 features, each a one-line hand-over to the module that owns it (features
// loaded on first use: docs/design.md, "How a feature plugs in").
import * as account from './account.js';
import type { ForgetDeviceInput, ListDevicesInput, ListDevicesResult } from './devices/types.js';
import type { AwsCredentials, GetAwsCredentialsOptions } from './identity/types.js';
import type { RedirectSignInResult, SignInWithRedirectInput } from './oauth/types.js';
import type { ListPasskeysInput, ListPasskeysResult } from './passwordless/types.js';
import type { CodeDelivery, MfaSetting, TotpSetup, UpdateAttributesResult } from './types.js';
import { coreOf, run, UserPoolClient } from './user-pool-client.js';

// Features load on first use; the promise is kept, since every import() call, even of a loaded
// module, goes through the module loader (about 100 µs in Node: more than a cached call's work).
// #region identity
let identityFeature: Promise<typeof import('./identity/index.js')> | undefined;
const identity = () => (identityFeature ??= import('./identity/index.js'));
// #endregion identity

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
export class CognitoClient extends UserPoolClient {
  // ---- the signed-in user's account ----

  /**
   * The user's attributes by name (one GetUser request).
   * @example
   * ```ts
   * const { email, name } = await client.getUserAttributes();
   * ```
   * @throws {@link CognitoError} `NotSignedInException` when nobody is signed in; `NotAuthorizedException` for a revoked access token.
   */
  getUserAttributes(): Promise<Record<string, string>> {
    return run('getUserAttributes', () => account.getUserAttributes(coreOf(this)));
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
    return run('updateAttributes', () => account.updateAttributes(coreOf(this), attributes));
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
    return run('sendAttributeVerificationCode', () =>
      account.sendAttributeVerificationCode(coreOf(this), name),
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
    return run('verifyAttribute', () => account.verifyAttribute(coreOf(this), input));
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
    return run('deleteAttributes', () => account.deleteAttributes(coreOf(this), names));
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
    return run('changePassword', () => account.changePassword(coreOf(this), input));
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
    return run('setUpTotp', () => account.setUpTotp(coreOf(this)));
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
    return run('verifyTotpSetup', () => account.verifyTotpSetup(coreOf(this), input));
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
    return run('setMfaPreference', () => account.setMfaPreference(coreOf(this), input));
  }

  // ---- 0.2 features, each loaded on first use ----

  // #region identity
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
    return run('getAwsCredentials', async () => (await identity()).getAwsCredentials(coreOf(this), options));
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
    return run('getIdentityId', async () => (await identity()).getIdentityId(coreOf(this)));
  }
  // #endregion identity

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
    return run('registerPasskey', async () =>
      (await import('./passwordless/passkeys.js')).registerPasskey(coreOf(this)),
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
    return run('listPasskeys', async () =>
      (await import('./passwordless/passkeys.js')).listPasskeys(coreOf(this), input),
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
    return run('deletePasskey', async () =>
      (await import('./passwordless/passkeys.js')).deletePasskey(coreOf(this), input),
    );
  }

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
    return run('rememberDevice', async () =>
      (await import('./devices/index.js')).rememberDevice(coreOf(this)),
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
    return run('forgetDevice', async () =>
      (await import('./devices/index.js')).forgetDevice(coreOf(this), input),
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
    return run('listDevices', async () =>
      (await import('./devices/index.js')).listDevices(coreOf(this), input),
    );
  }

  // #region oauth
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
    return run('signInWithRedirect', async () =>
      (await import('./oauth/index.js')).signInWithRedirect(coreOf(this), input),
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
    return run('getSignInUrl', async () =>
      (await import('./oauth/index.js')).getSignInUrl(coreOf(this), input),
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
    return run('handleRedirect', async () =>
      (await import('./oauth/index.js')).handleRedirect(coreOf(this), url),
    );
  }
  // #endregion oauth
}

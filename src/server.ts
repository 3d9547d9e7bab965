/**
 * cognito-kit/server: everything from `cognito-kit` for server runtimes (Node, Deno, Bun, edge
 * workers; no DOM, no `node:` import), plus {@link requestCookieStorage} for server-rendered apps and
 * a {@link CognitoClient} that accepts a confidential app client's `clientSecret`.
 *
 * @packageDocumentation
 */
import { CognitoClient as BaseClient } from './client.js';
import { allowClientSecret, globalSubtle } from './internal/client-secret.js';
import type { CognitoClientOptions } from './types.js';

/**
 * The {@link CognitoClient} of `cognito-kit`, for servers: it also accepts
 * {@link CognitoClientOptions.clientSecret} (a confidential app client), computing `SECRET_HASH`
 * with WebCrypto (`globalThis.crypto.subtle`).
 *
 * @example
 * ```ts
 * import { CognitoClient, requestCookieStorage } from 'cognito-kit/server';
 *
 * const client = new CognitoClient({
 *   userPoolId, clientId, clientSecret: process.env.COGNITO_CLIENT_SECRET,
 *   storage: requestCookieStorage({ cookies, setCookie, httpOnly: true }),
 * });
 * ```
 */
export class CognitoClient extends BaseClient {
  /**
   * @param options - As for `cognito-kit`'s client, plus an optional `clientSecret`.
   * @throws {@link CognitoError} `InvalidParameterException` for a missing or malformed option or an unknown key.
   */
  constructor(options: CognitoClientOptions) {
    super(allowClientSecret(options, globalSubtle));
  }
}

export type {
  AccessTokenClaims,
  AuthFlow,
  AwsCredentials,
  CodeDelivery,
  CognitoClientOptions,
  CognitoErrorCode,
  CognitoErrorOptions,
  CognitoErrorWithCode,
  CognitoEventListener,
  CognitoEventName,
  CognitoEvents,
  ConfirmSignInInput,
  ConfirmSignUpResult,
  CookieStorageOptions,
  CurrentUser,
  Device,
  ForgetDeviceInput,
  GetAwsCredentialsOptions,
  IdTokenClaims,
  ListDevicesInput,
  ListDevicesResult,
  ListPasskeysInput,
  ListPasskeysResult,
  LoopbackSignInOptions,
  MfaSetting,
  NextSignInStep,
  OAuthEndpoints,
  OAuthOptions,
  OAuthProvider,
  Passkey,
  PreferredChallenge,
  RedirectSignInResult,
  Session,
  SignInInput,
  SignInResult,
  SignInWithRedirectInput,
  SignOutInput,
  SignOutReason,
  SignUpInput,
  SignUpResult,
  TokenStorage,
  TotpSetup,
  UpdateAttributesResult,
  WebStorageLike,
} from './index.js';
// CognitoClient is this entry's own (it accepts a clientSecret); everything else is the main entry's.
export { CognitoError, cookieStorage, isCognitoError, memoryStorage, webStorage } from './index.js';
export type { RequestCookieStorageOptions } from './storage/request-cookie.js';
export { requestCookieStorage } from './storage/request-cookie.js';

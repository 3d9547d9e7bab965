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

export type { CognitoErrorCode, CognitoErrorOptions } from './errors.js';
export { CognitoError, isCognitoError } from './errors.js';
export type { CognitoEventListener, CognitoEventName, CognitoEvents, SignOutReason } from './events.js';
export type { CookieStorageOptions } from './storage/cookie.js';
export { cookieStorage } from './storage/cookie.js';
export { memoryStorage } from './storage/memory.js';
export type { RequestCookieStorageOptions } from './storage/request-cookie.js';
export { requestCookieStorage } from './storage/request-cookie.js';
export type { TokenStorage } from './storage/types.js';
export type { WebStorageLike } from './storage/web.js';
export { webStorage } from './storage/web.js';
export type {
  AccessTokenClaims,
  AuthFlow,
  CodeDelivery,
  CognitoClientOptions,
  ConfirmSignInInput,
  CurrentUser,
  IdTokenClaims,
  MfaSetting,
  NextSignInStep,
  Session,
  SignInInput,
  SignInResult,
  SignUpInput,
  SignUpResult,
  TotpSetup,
  UpdateAttributesResult,
} from './types.js';

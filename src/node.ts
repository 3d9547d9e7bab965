/**
 * cognito-kit/node: everything from `cognito-kit`, plus storage that needs Node (`fileStorage`),
 * {@link requestCookieStorage} for server-rendered apps, and a {@link CognitoClient} that accepts a
 * confidential app client's `clientSecret`.
 *
 * @packageDocumentation
 */
import { CognitoClient as BaseClient } from './client.js';
import { allowClientSecret, globalSubtle } from './internal/client-secret.js';
import type { CognitoClientOptions } from './types.js';

/** WebCrypto: the global one (Node >= 19), or node:crypto's on Node 18. */
async function nodeSubtle(): Promise<SubtleCrypto> {
  if ((globalThis as { crypto?: { subtle?: unknown } }).crypto?.subtle) return globalSubtle();
  const { webcrypto } = await import('node:crypto');
  return webcrypto.subtle as SubtleCrypto;
}

/**
 * The {@link CognitoClient} of `cognito-kit`, for Node: it also accepts
 * {@link CognitoClientOptions.clientSecret} (a confidential app client), computing `SECRET_HASH`
 * with WebCrypto (`node:crypto`'s on Node 18).
 *
 * @example
 * ```ts
 * import { CognitoClient, fileStorage } from 'cognito-kit/node';
 *
 * const client = new CognitoClient({
 *   userPoolId, clientId, clientSecret: process.env.COGNITO_CLIENT_SECRET,
 *   storage: fileStorage('.session.json'),
 * });
 * ```
 */
export class CognitoClient extends BaseClient {
  /**
   * @param options - As for `cognito-kit`'s client, plus an optional `clientSecret`.
   * @throws {@link CognitoError} `InvalidParameterException` for a missing or malformed option or an unknown key.
   */
  constructor(options: CognitoClientOptions) {
    super(allowClientSecret(options, nodeSubtle));
  }
}

export type { CognitoErrorCode, CognitoErrorOptions } from './errors.js';
export { CognitoError, isCognitoError } from './errors.js';
export type { CognitoEventListener, CognitoEventName, CognitoEvents, SignOutReason } from './events.js';
export type { CookieStorageOptions } from './storage/cookie.js';
export { cookieStorage } from './storage/cookie.js';
export type { FileStorageOptions } from './storage/file.js';
export { fileStorage } from './storage/file.js';
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

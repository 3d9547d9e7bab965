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

// Every public type of the main entry, which lists them by name: this entry is the main entry plus
// its own additions, and a second list here went out of step with it once (Device, Passkey, …).
export type * from './index.js';
// CognitoClient is this entry's own (it accepts a clientSecret); everything else is the main entry's.
export { CognitoError, cookieStorage, isCognitoError, memoryStorage, webStorage } from './index.js';
export type { RequestCookieStorageOptions } from './storage/request-cookie.js';
export { requestCookieStorage } from './storage/request-cookie.js';

/**
 * cognito-kit/node: everything from `cognito-kit`, plus storage that needs Node (`fileStorage`),
 * {@link requestCookieStorage} for server-rendered apps, and a {@link CognitoClient} that accepts a
 * confidential app client's `clientSecret`, and sign-in from a CLI through the system browser
 * (`signInWithLoopback`). Every export is listed by name, as in the main entry.
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

// Every public type of the main entry, which lists them by name: this entry is the main entry plus
// its own additions, and a second list here went out of step with it once (Device, Passkey, …).
export type * from './index.js';
// CognitoClient is this entry's own (it accepts a clientSecret); everything else is the main entry's.
export { CognitoError, cookieStorage, isCognitoError, memoryStorage, webStorage } from './index.js';
export { signInWithLoopback } from './node-loopback.js';
export type { FileStorageOptions } from './storage/file.js';
export { fileStorage } from './storage/file.js';
export type { RequestCookieStorageOptions } from './storage/request-cookie.js';
export { requestCookieStorage } from './storage/request-cookie.js';

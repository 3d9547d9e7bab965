// Random values and the PKCE S256 challenge, with WebCrypto (browsers, workers, Node >= 19 as
// globalThis.crypto; Node 18 through cognito-kit/node, which registers node:crypto's webcrypto).
import type { CoreLib } from '../internal/core.js';

let fallback: Crypto | undefined;

/** Lets the Node entry supply node:crypto's webcrypto where `globalThis.crypto` is missing (Node 18). */
export function provideWebCrypto(crypto: Crypto): void {
  fallback = crypto;
}

/** WebCrypto, or an `UnsupportedEnvironmentException` that says what to do. */
export function webCrypto(lib: CoreLib): Crypto {
  const crypto = (globalThis as { crypto?: Crypto }).crypto ?? fallback;
  if (!crypto?.subtle || typeof crypto.getRandomValues !== 'function') {
    throw new lib.CognitoError(
      'UnsupportedEnvironmentException',
      'The hosted UI needs WebCrypto (globalThis.crypto); on Node 18 import from cognito-kit/node',
      { retryable: false },
    );
  }
  return crypto;
}

export function base64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** `bytes` random bytes, base64url: 32 bytes give 43 characters (PKCE's verifier length minimum). */
export function randomString(lib: CoreLib, bytes = 32): string {
  return base64Url(webCrypto(lib).getRandomValues(new Uint8Array(bytes)));
}

/** The S256 code challenge: base64url(SHA-256(verifier)). */
export async function s256(lib: CoreLib, verifier: string): Promise<string> {
  const digest = await webCrypto(lib).subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return base64Url(new Uint8Array(digest));
}

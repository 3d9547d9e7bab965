// Checks on an ID token the hosted UI returned: nonce, audience, issuer, use and expiry.
import type { CoreLib } from '../internal/core.js';

/** Rejects an ID token not issued by `issuer` to `clientId` for this sign-in (`nonce`). */
export function checkIdToken(
  lib: CoreLib,
  idToken: string,
  expected: { issuer: string; clientId: string; nonce: string; nowMs: number },
): void {
  const { decodeJwt, numericClaim, stringClaim } = lib;
  const invalid = (message: string) =>
    new lib.CognitoError('InvalidIdTokenException', message, { retryable: false });
  const claims = decodeJwt(idToken);
  if (!claims) throw invalid('The hosted UI returned an ID token that cannot be decoded');
  if (stringClaim(claims, 'nonce') !== expected.nonce) {
    throw invalid('The ID token was not issued for this sign-in (nonce mismatch)');
  }
  const aud = claims.aud;
  const audiences = Array.isArray(aud) ? aud : [aud];
  if (!audiences.includes(expected.clientId))
    throw invalid('The ID token was issued to another app client (aud)');
  if (stringClaim(claims, 'iss') !== expected.issuer)
    throw invalid('The ID token was issued by another issuer (iss)');
  const use = stringClaim(claims, 'token_use');
  if (use !== undefined && use !== 'id') throw invalid('The token is not an ID token (token_use)');
  const exp = numericClaim(claims, 'exp');
  // A generous skew: the local clock may be off; the session's own drift handling does the rest.
  if (exp === undefined || exp * 1000 < expected.nowMs - 300_000) throw invalid('The ID token has expired');
}

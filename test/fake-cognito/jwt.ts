/**
 * RS256 JWTs for the fake's ID and access tokens. One key pair per process: generating a
 * 2048-bit RSA key costs tens of milliseconds, so it is cached at module level.
 */
import { generateKeyPairSync, type KeyObject, randomBytes, sign, verify } from 'node:crypto';

interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

let cachedKey: SigningKey | undefined;

function signingKey(): SigningKey {
  if (!cachedKey) {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    cachedKey = { kid: randomBytes(32).toString('base64'), privateKey, publicKey };
  }
  return cachedKey;
}

/** base64url without padding. */
export function base64url(data: Buffer | string): string {
  return Buffer.from(data).toString('base64url');
}

/** Signs `payload` as a compact RS256 JWS with the process-wide fake key. */
export function signJwt(payload: Record<string, unknown>): string {
  const key = signingKey();
  const header = base64url(JSON.stringify({ kid: key.kid, alg: 'RS256' }));
  const body = base64url(JSON.stringify(payload));
  const signature = sign('sha256', Buffer.from(`${header}.${body}`), key.privateKey);
  return `${header}.${body}.${base64url(signature)}`;
}

/** Decodes a JWT payload without checking the signature; undefined when it is not a JWT. */
export function decodeJwtPayload(token: string): Record<string, unknown> | undefined {
  const parts = token.split('.');
  if (parts.length !== 3 || !parts[1]) return undefined;
  try {
    const payload: unknown = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
    return typeof payload === 'object' && payload !== null && !Array.isArray(payload)
      ? (payload as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** The payload when `token` carries a valid signature by the fake's key, else undefined. */
export function verifyJwt(token: string): Record<string, unknown> | undefined {
  const [header, body, signature, ...rest] = token.split('.');
  if (!header || !body || !signature || rest.length > 0) return undefined;
  const valid = verify(
    'sha256',
    Buffer.from(`${header}.${body}`),
    signingKey().publicKey,
    Buffer.from(signature, 'base64url'),
  );
  return valid ? decodeJwtPayload(token) : undefined;
}

/** The public key as a JWKS document, as served at `<iss>/.well-known/jwks.json`. */
export function jwks(): { keys: Record<string, unknown>[] } {
  const key = signingKey();
  const jwk = key.publicKey.export({ format: 'jwk' });
  return { keys: [{ alg: 'RS256', e: jwk.e, kid: key.kid, kty: 'RSA', n: jwk.n, use: 'sig' }] };
}

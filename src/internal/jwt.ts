/** Decoded JWT payload: every claim, by name. */
export type JwtPayload = Readonly<Record<string, unknown>>;

const CACHE_LIMIT = 64;
// Decoding is the hot path's main cost; a token string always decodes to the same payload.
const cache = new Map<string, JwtPayload | null>();

function base64UrlToBytes(segment: string): Uint8Array {
  const base64 = segment.replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

function decode(token: string): JwtPayload | null {
  const parts = token.split('.');
  if (parts.length !== 3 || parts[1] === undefined || parts[1] === '') return null;
  try {
    const payload: unknown = JSON.parse(new TextDecoder().decode(base64UrlToBytes(parts[1])));
    if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) return null;
    return Object.freeze(payload as Record<string, unknown>);
  } catch {
    return null;
  }
}

/**
 * The payload of a JWT, or `null` when the string is not a decodable JWT. Signatures are not
 * verified: a client only reads its own tokens; servers must verify (aws-jwt-verify).
 */
export function decodeJwt(token: string): JwtPayload | null {
  const hit = cache.get(token);
  if (hit !== undefined) return hit;
  const payload = decode(token);
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  cache.set(token, payload);
  return payload;
}

/** A numeric claim (seconds since the epoch for `exp`, `iat`, `auth_time`), or `undefined`. */
export function numericClaim(payload: JwtPayload, name: string): number | undefined {
  const value = payload[name];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** A string claim, or `undefined`. */
export function stringClaim(payload: JwtPayload, name: string): string | undefined {
  const value = payload[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

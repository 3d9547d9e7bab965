// RS256 signature check of an implicit-grant ID token against the pool's JWKS, with WebCrypto:
// tokens that came through the URL fragment are trusted only after this.
import type { ClientCore } from '../internal/core.js';
import { getJson } from './http.js';
import { webCrypto } from './pkce.js';

interface Jwk {
  kid?: string;
  kty?: string;
  alg?: string;
  n?: string;
  e?: string;
}

function fromBase64Url(segment: string): Uint8Array<ArrayBuffer> {
  const base64 = segment.replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** Verifies `token`'s RS256 signature with the key its `kid` names in the JWKS at `jwksUrl`. */
export async function verifyRs256(core: ClientCore, jwksUrl: string, token: string): Promise<void> {
  const invalid = (message: string) => core.error('InvalidIdTokenException', message, { retryable: false });
  const [head, body, signature] = token.split('.');
  if (!head || !body || !signature) throw invalid('The ID token is not a signed JWT');
  let header: { alg?: unknown; kid?: unknown };
  try {
    header = JSON.parse(new TextDecoder().decode(fromBase64Url(head))) as typeof header;
  } catch {
    throw invalid('The ID token header cannot be decoded');
  }
  if (header.alg !== 'RS256') throw invalid('The ID token is not signed with RS256');
  const { keys } = await getJson<{ keys?: Jwk[] }>(core, 'JWKS', jwksUrl);
  const jwk = (keys ?? []).find((key) => key.kid === header.kid && key.kty === 'RSA');
  if (!jwk?.n || !jwk.e) throw invalid("The ID token's signing key is not in the pool's JWKS");
  const subtle = webCrypto(core.lib).subtle;
  const key = await subtle.importKey(
    'jwk',
    { kty: 'RSA', n: jwk.n, e: jwk.e, alg: 'RS256', ext: true },
    { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
    false,
    ['verify'],
  );
  const ok = await subtle.verify(
    'RSASSA-PKCS1-v1_5',
    key,
    fromBase64Url(signature),
    new TextEncoder().encode(`${head}.${body}`),
  );
  if (!ok) throw invalid("The ID token's signature does not verify");
}

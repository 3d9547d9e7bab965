// Verifies a Cognito JWT with WebCrypto against a JWKS: what aws-jwt-verify does in production,
// kept small so the server tests can trust a claim only after its signature and claims check out.
// Production code should use aws-jwt-verify (see docs/ssr-cookies.md).

/** What a verified token must be. */
export interface VerifyOptions {
  jwks: { keys: Record<string, unknown>[] };
  issuer: string;
  clientId: string;
  tokenUse: 'id' | 'access';
  /** Epoch ms. @defaultValue Date.now() */
  now?: number;
}

function decode(part: string): unknown {
  return JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
}

/**
 * The token's claims when its RS256 signature verifies with a key of the JWKS and it is the
 * pool's unexpired `tokenUse` token for `clientId`.
 * @throws Error naming the check that failed.
 */
export async function verifyCognitoJwt(
  token: string,
  options: VerifyOptions,
): Promise<Record<string, unknown>> {
  const [header, body, signature, ...rest] = token.split('.');
  if (!header || !body || !signature || rest.length > 0) throw new Error('not a JWT');
  const { kid, alg } = decode(header) as { kid?: string; alg?: string };
  if (alg !== 'RS256') throw new Error('unexpected alg');
  const jwk = options.jwks.keys.find((key) => key.kid === kid);
  if (!jwk) throw new Error('unknown kid');
  const key = await crypto.subtle.importKey(
    'jwk',
    jwk as JsonWebKey,
    { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
    false,
    ['verify'],
  );
  const valid = await crypto.subtle.verify(
    'RSASSA-PKCS1-v1_5',
    key,
    Buffer.from(signature, 'base64url'),
    new TextEncoder().encode(`${header}.${body}`),
  );
  if (!valid) throw new Error('bad signature');
  const claims = decode(body) as Record<string, unknown>;
  if (claims.iss !== options.issuer) throw new Error('wrong issuer');
  if (claims.token_use !== options.tokenUse) throw new Error('wrong token_use');
  const audience = options.tokenUse === 'id' ? claims.aud : claims.client_id;
  if (audience !== options.clientId) throw new Error('wrong audience');
  if (typeof claims.exp !== 'number' || claims.exp * 1000 <= (options.now ?? Date.now()))
    throw new Error('expired');
  return claims;
}

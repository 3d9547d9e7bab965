import { randomBytes, randomUUID } from 'node:crypto';

/** The token set Cognito issues at sign-in. */
export interface Tokens {
  idToken: string;
  accessToken: string;
  refreshToken: string;
}

export interface MintOptions {
  username: string;
  sub?: string;
  clientId: string;
  userPoolId: string;
  /** Epoch ms the tokens are issued at. @defaultValue Date.now() */
  issuedAt?: number;
  /** @defaultValue 3600 */
  ttlSeconds?: number;
  email?: string;
}

function base64url(input: string | Buffer): string {
  return Buffer.from(input).toString('base64url');
}

/** A JWT with a real-looking RS256 header and a random (not valid) 256-byte signature. */
export function mintJwt(payload: Record<string, unknown>): string {
  const header = { kid: base64url(randomBytes(32)), alg: 'RS256' };
  return `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(payload))}.${base64url(randomBytes(256))}`;
}

/** ID, access and (opaque, JWE-shaped) refresh token with the claims Cognito puts in them. */
export function mintTokens(options: MintOptions): Tokens {
  const iat = Math.floor((options.issuedAt ?? Date.now()) / 1000);
  const exp = iat + (options.ttlSeconds ?? 3600);
  const sub = options.sub ?? randomUUID();
  const region = options.userPoolId.slice(0, options.userPoolId.indexOf('_'));
  const iss = `https://cognito-idp.${region}.amazonaws.com/${options.userPoolId}`;
  const originJti = randomUUID();
  const eventId = randomUUID();
  const idToken = mintJwt({
    sub,
    email_verified: true,
    iss,
    'cognito:username': options.username,
    origin_jti: originJti,
    aud: options.clientId,
    event_id: eventId,
    token_use: 'id',
    auth_time: iat,
    exp,
    iat,
    jti: randomUUID(),
    email: options.email ?? `${options.username}@example.com`,
  });
  const accessToken = mintJwt({
    sub,
    iss,
    client_id: options.clientId,
    origin_jti: originJti,
    event_id: eventId,
    token_use: 'access',
    scope: 'aws.cognito.signin.user.admin',
    auth_time: iat,
    exp,
    iat,
    jti: randomUUID(),
    username: options.username,
  });
  const refreshToken = [
    base64url(JSON.stringify({ cty: 'JWT', enc: 'A256GCM', alg: 'RSA-OAEP' })),
    base64url(randomBytes(256)),
    base64url(randomBytes(12)),
    base64url(randomBytes(1500)),
    base64url(randomBytes(16)),
  ].join('.');
  return { idToken, accessToken, refreshToken };
}

/** Writes a session in amazon-cognito-identity-js's key layout through `set`. */
export function writeSession(
  set: (key: string, value: string) => unknown,
  clientId: string,
  username: string,
  tokens: Tokens,
  options: { clockDrift?: number; lastAuthUser?: boolean } = {},
): void {
  const prefix = `CognitoIdentityServiceProvider.${clientId}`;
  set(`${prefix}.${username}.idToken`, tokens.idToken);
  set(`${prefix}.${username}.accessToken`, tokens.accessToken);
  set(`${prefix}.${username}.refreshToken`, tokens.refreshToken);
  set(`${prefix}.${username}.clockDrift`, String(options.clockDrift ?? 0));
  if (options.lastAuthUser ?? true) set(`${prefix}.LastAuthUser`, username);
}

/** The raw library's `Storage` option: a Storage-like object over a Map. */
export interface MapStorage {
  readonly map: Map<string, string>;
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
  clear(): void;
}

export function mapStorage(): MapStorage {
  const map = new Map<string, string>();
  return {
    map,
    getItem: (key) => map.get(key) ?? null,
    setItem: (key, value) => {
      map.set(key, value);
    },
    removeItem: (key) => {
      map.delete(key);
    },
    clear: () => map.clear(),
  };
}

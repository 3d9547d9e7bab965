// Mints structurally valid Cognito-like tokens for tests that need stored sessions without a
// sign-in. Signatures are not valid: cognito-kit reads its own tokens and never verifies them.
const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

export const CLIENT_ID = 'testclient123';
export const PREFIX = `CognitoIdentityServiceProvider.${CLIENT_ID}`;

export interface MintOptions {
  username?: string;
  sub?: string;
  iat?: number;
  lifetimeSeconds?: number;
  originJti?: string;
  extraIdClaims?: Record<string, unknown>;
}

export function mintJwt(payload: Record<string, unknown>): string {
  return `${b64url({ alg: 'RS256', kid: 'test' })}.${b64url(payload)}.c2lnbmF0dXJl`;
}

export function mintTokens(options: MintOptions = {}) {
  const username = options.username ?? 'ann';
  const sub = options.sub ?? '11111111-2222-3333-4444-555555555555';
  const iat = options.iat ?? Math.floor(Date.now() / 1000);
  const exp = iat + (options.lifetimeSeconds ?? 3600);
  const common = {
    sub,
    iss: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_TestPool1',
    iat,
    exp,
    auth_time: iat,
  };
  const origin_jti = options.originJti ?? 'origin-1';
  return {
    idToken: mintJwt({
      ...common,
      aud: CLIENT_ID,
      token_use: 'id',
      'cognito:username': username,
      origin_jti,
      email: `${username}@example.com`,
      ...options.extraIdClaims,
    }),
    accessToken: mintJwt({
      ...common,
      client_id: CLIENT_ID,
      token_use: 'access',
      username,
      origin_jti,
      scope: 'aws.cognito.signin.user.admin',
    }),
    refreshToken: `refresh-${username}-${iat}`,
  };
}

/** Writes tokens in amazon-cognito-identity-js's key layout. */
export function storeTokens(
  storage: { setItem(key: string, value: string): unknown },
  tokens: { idToken: string; accessToken: string; refreshToken: string },
  username = 'ann',
  clockDrift = 0,
  clientId = CLIENT_ID,
): void {
  const prefix = `CognitoIdentityServiceProvider.${clientId}`;
  storage.setItem(`${prefix}.${username}.idToken`, tokens.idToken);
  storage.setItem(`${prefix}.${username}.accessToken`, tokens.accessToken);
  storage.setItem(`${prefix}.${username}.refreshToken`, tokens.refreshToken);
  storage.setItem(`${prefix}.${username}.clockDrift`, String(clockDrift));
  storage.setItem(`${prefix}.LastAuthUser`, username);
}

import { type Body, CognitoFault, optionalString, requireString } from '../errors.js';
import { verifyJwt } from '../jwt.js';
import type { Pool } from '../pool.js';
import type { AuthenticationResult } from '../tokens.js';
import { refreshTokens } from './initiate-auth.js';

/** GetTokensFromRefreshToken: rotates the refresh token when the pool is set up for rotation. */
export function getTokensFromRefreshToken(
  pool: Pool,
  body: Body,
): { AuthenticationResult: AuthenticationResult } {
  const token = requireString(body, 'RefreshToken');
  pool.checkClient(body);
  const deviceKey = optionalString(body, 'DeviceKey');
  return { AuthenticationResult: refreshTokens(pool, token, pool.refreshTokenRotation, deviceKey) };
}

/** RevokeToken: ends the refresh token's sign-in (its access tokens too). Unknown tokens succeed, as in RFC 7009. */
export function revokeToken(pool: Pool, body: Body): Record<string, never> {
  const token = requireString(body, 'Token');
  pool.checkClient(body);
  if (verifyJwt(token)) throw new CognitoFault('UnsupportedTokenTypeException', 'Unsupported token type');
  pool.tokens.revokeRefreshToken(token);
  return {};
}

/** GlobalSignOut: every refresh and access token of the user stops working. */
export function globalSignOut(pool: Pool, body: Body): Record<string, never> {
  const user = pool.authenticate(body);
  pool.tokens.revokeUser(user.username);
  return {};
}

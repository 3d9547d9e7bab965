// Refresh of a hosted-UI session at the token endpoint (grant_type=refresh_token), loaded by the
// session manager only for sessions that carry the hosted-UI marker.
import type { Transport } from '../internal/http.js';
import type { ResolvedOAuth } from '../options.js';
import type { AuthenticationResult } from '../session.js';

/** The token endpoint's answer (RFC 6749 section 5.1). */
export interface TokenResponse {
  access_token?: string;
  id_token?: string;
  refresh_token?: string;
  token_type?: string;
  expires_in?: number;
}

/** Maps the token endpoint's answer onto Cognito's `AuthenticationResult` shape. */
export function toAuthenticationResult(answer: TokenResponse): AuthenticationResult {
  return {
    ...(answer.access_token ? { AccessToken: answer.access_token } : {}),
    ...(answer.id_token ? { IdToken: answer.id_token } : {}),
    ...(answer.refresh_token ? { RefreshToken: answer.refresh_token } : {}),
  };
}

/**
 * Sends the refresh token to the token endpoint. Cognito answers without a refresh token unless
 * the app client rotates them; the caller keeps the old one then. A rejected token answers
 * `invalid_grant`, which the session manager treats like NotAuthorizedException.
 */
export async function refreshAtTokenEndpoint(
  transport: Transport,
  oauth: ResolvedOAuth,
  clientId: string,
  refreshToken: string,
): Promise<AuthenticationResult> {
  const answer = await transport.sendForm<TokenResponse>(
    'Refresh at the token endpoint',
    oauth.endpoints.token,
    { grant_type: 'refresh_token', client_id: clientId, refresh_token: refreshToken },
  );
  return toAuthenticationResult(answer);
}

// Refresh of a hosted-UI session at the token endpoint (grant_type=refresh_token), loaded by the
// session manager only for sessions that carry the hosted-UI marker.
import type { ClientCore } from '../internal/core.js';
import type { AuthenticationResult } from '../session.js';
import type { StoredSession } from '../session-store.js';
import { requireOAuth } from './config.js';
import { sendForm } from './http.js';

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
 * `invalid_grant`, which the session manager treats like NotAuthorizedException. An implicit
 * grant's session (no refresh token), or one kept by a client without the `oauth` option, cannot
 * be refreshed: NotAuthorizedException, which ends it as the refusal of a refresh token would.
 */
export async function refreshHostedUiSession(
  core: ClientCore,
  stored: StoredSession,
): Promise<AuthenticationResult> {
  if (stored.oauth === 'token' || core.options.oauth === undefined) {
    throw core.error('NotAuthorizedException', 'This hosted-UI session cannot be refreshed', {
      retryable: false,
    });
  }
  const answer = await sendForm<TokenResponse>(
    core,
    'Refresh at the token endpoint',
    requireOAuth(core).endpoints.token,
    { grant_type: 'refresh_token', client_id: core.clientId, refresh_token: stored.session.refreshToken },
  );
  return toAuthenticationResult(answer);
}

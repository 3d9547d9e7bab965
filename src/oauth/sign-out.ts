// Ending a hosted-UI session: revoke its refresh token at /oauth2/revoke, then end the hosted UI's
// own cookie session through /logout (or the app's `open`).
import type { ClientCore } from '../internal/core.js';
import type { Session } from '../types.js';
import { logoutUrl, navigate } from './url.js';

/**
 * Revokes the refresh token (failures ignored: the local session is already gone), then navigates
 * to /logout unless `redirect` is false. The revocation finishes before the navigation starts.
 */
export async function endHostedUiSession(
  core: ClientCore,
  session: Session,
  options: { redirect: boolean; open: ((url: string) => void | Promise<void>) | undefined },
): Promise<void> {
  const { oauth } = core.options;
  if (!oauth) return;
  if (session.refreshToken) {
    await core.transport
      .sendForm(
        'Revoke',
        oauth.endpoints.revoke,
        { token: session.refreshToken, client_id: core.clientId },
        {
          retry: false,
        },
      )
      .catch(() => undefined);
  }
  if (!options.redirect) return;
  const url = logoutUrl(oauth, core.clientId);
  const canNavigate =
    options.open !== undefined ||
    typeof (globalThis as { location?: { assign?: unknown } }).location?.assign === 'function';
  if (url && canNavigate) await navigate(core.lib, url, options.open);
}

// Ending a hosted-UI session: revoke its refresh token at /oauth2/revoke, then end the hosted UI's
// own cookie session through /logout (or the app's `open`).
import type { ClientCore } from '../internal/core.js';
import type { clearLocal, endSession } from '../sign-out.js';
import type { Session } from '../types.js';
import { requireOAuth } from './config.js';
import { sendForm } from './http.js';
import { logoutUrl, navigate } from './url.js';

interface SignOutOptions {
  global: boolean;
  redirect: boolean;
  open: ((url: string) => void | Promise<void>) | undefined;
}

/**
 * Signs a hosted-UI session out: locally as any session (GlobalSignOut when asked), then revokes
 * its refresh token and ends the hosted UI's own session. The core's sign-out steps are handed in:
 * this module imports only types.
 */
export async function signOutHostedUi(
  core: ClientCore,
  session: Session,
  options: SignOutOptions,
  local: { endSession: typeof endSession; clearLocal: typeof clearLocal },
): Promise<void> {
  let failure: unknown;
  if (options.global) {
    await local.endSession(core, true, session).catch((error: unknown) => {
      failure = error;
    });
  } else if (await local.clearLocal(core)) {
    core.events.emit('signedOut', { reason: 'user' });
  }
  await endHostedUiSession(core, session, options);
  if (failure !== undefined) throw failure;
}

/**
 * Revokes the refresh token (failures ignored: the local session is already gone), then navigates
 * to /logout unless `redirect` is false. The revocation finishes before the navigation starts.
 */
async function endHostedUiSession(
  core: ClientCore,
  session: Session,
  options: SignOutOptions,
): Promise<void> {
  const oauth = requireOAuth(core);
  if (session.refreshToken) {
    await sendForm(
      core,
      'Revoke',
      oauth.endpoints.revoke,
      { token: session.refreshToken, client_id: core.clientId },
      { retry: false },
    ).catch(() => undefined);
  }
  if (!options.redirect) return;
  const url = logoutUrl(oauth, core.clientId);
  const canNavigate =
    options.open !== undefined ||
    typeof (globalThis as { location?: { assign?: unknown } }).location?.assign === 'function';
  if (url && canNavigate) await navigate(core.lib, url, options.open);
}

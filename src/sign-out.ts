// Ending a session: local and global sign-out, and deleting the user. The local session is
// always cleared, whatever the network does.
import { accessToken } from './account.js';
import { invalidParameter } from './errors.js';
import type { Emitter } from './events.js';
import type { ClientCore, CoreLib } from './internal/core.js';
import type { Transport } from './internal/http.js';
import { optionalBoolean, requireOptions } from './internal/validate.js';
import { type SessionManager, sessionLockName } from './session.js';
import type { SessionStore } from './session-store.js';
import type { Session } from './types.js';

/** What sign-out needs from its client. */
export interface SignOutContext {
  clientId: string;
  transport: Transport;
  store: SessionStore;
  sessions: SessionManager;
  events: Emitter;
  /** Runtime helpers handed to the lazily loaded device code. */
  lib: CoreLib;
}

/** Clears the stored session and any pending challenge; tells whether there was a session. */
export async function clearLocal(ctx: SignOutContext): Promise<boolean> {
  // Exclusive with a refresh's write, so a refresh finishing meanwhile cannot bring the session back:
  // in this realm through the queue, across tabs and processes through the refresh's storage lock.
  const run = () =>
    ctx.store.exclusive(async () => {
      const stored = await ctx.store.read().catch(() => null);
      await ctx.store.clear(stored);
      await ctx.store.clearPending();
      return stored !== null;
    });
  const { storage } = ctx.store;
  const seen = await ctx.store.read().catch(() => null);
  return seen && storage.lock
    ? storage.lock(sessionLockName(ctx.clientId, seen.storageUsername), run)
    : run();
}

/**
 * Clears the session first; then revokes the refresh token (local) or calls GlobalSignOut; for a
 * hosted-UI session, then ends the hosted UI's session through its /logout.
 */
export async function signOut(
  ctx: SignOutContext & Partial<Pick<ClientCore, 'options'>>,
  options: {
    global?: boolean;
    redirect?: boolean;
    open?: (url: string) => void | Promise<void>;
  } = {},
): Promise<void> {
  const o = requireOptions(options, 'options', [
    'global',
    // #region oauth
    'redirect',
    'open',
    // #endregion oauth
  ]);
  const global = optionalBoolean(o.global, 'global') ?? false;
  // #region oauth
  const redirect = optionalBoolean(o.redirect, 'redirect') ?? true;
  if (o.open !== undefined && typeof o.open !== 'function') throw invalidParameter('open must be a function');
  const open = o.open as ((url: string) => void | Promise<void>) | undefined;
  // #endregion oauth
  const stored = await ctx.store.read().catch(() => null);
  // #region oauth
  if (stored?.oauth && ctx.options?.oauth) {
    // The hosted UI's part (revocation at /oauth2/revoke, the navigation to /logout) is its own.
    return (await import('./oauth/index.js')).signOutHostedUi(
      ctx as ClientCore,
      stored.session,
      { global, redirect, open },
      { endSession, clearLocal },
    );
  }
  // #endregion oauth
  await endSession(ctx, global, stored?.session ?? null);
}

/** Ends a session: local (revokes the refresh token) or global (GlobalSignOut), clearing it first. */
export async function endSession(
  ctx: SignOutContext,
  global: boolean,
  storedSession: Session | null,
): Promise<void> {
  let current: Session | null = storedSession;
  let failure: unknown;
  if (global) {
    // GlobalSignOut needs a valid access token: refresh first if needed, before clearing.
    current = await ctx.sessions.get().catch((error: unknown) => {
      failure = error;
      return null;
    });
  }
  if (await clearLocal(ctx)) ctx.events.emit('signedOut', { reason: 'user' });
  if (failure !== undefined) throw failure;
  if (!current) return;
  if (global) {
    await ctx.transport.send('GlobalSignOut', { AccessToken: current.accessToken });
  } else if (current.accessTokenClaims.origin_jti) {
    // Cognito can revoke only tokens that carry origin_jti; a failure here must not fail sign-out.
    await ctx.transport
      .send('RevokeToken', { Token: current.refreshToken, ClientId: ctx.clientId }, { retry: false })
      .catch(() => undefined);
  }
}

/** Deletes the user, then clears the local session whatever Cognito answered. */
export async function deleteUser(ctx: SignOutContext): Promise<void> {
  const stored = await ctx.store.read().catch(() => null);
  let failure: unknown;
  try {
    await ctx.transport.send('DeleteUser', { AccessToken: await accessToken(ctx) });
  } catch (error) {
    failure = error;
  }
  const hadSession = await clearLocal(ctx);
  if (failure !== undefined) {
    if (hadSession) ctx.events.emit('signedOut', { reason: 'user' });
    throw failure;
  }
  if (stored?.deviceKey) {
    // The device goes with the user (its keys survive only a sign-out). The user is gone either way:
    // keys a failing storage keeps name a device Cognito has deleted and are dropped at next use.
    const devices = await import('./devices/index.js');
    await devices.forgetLocalDevice(ctx, stored.storageUsername, stored.loginId).catch(() => undefined);
  }
  ctx.events.emit('signedOut', { reason: 'deleted' });
}

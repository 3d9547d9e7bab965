// The session follower, loaded on the first on() or onSessionChange() (or with autoRefresh): the
// current session once and then every change for onSessionChange, the changes of other tabs
// sharing the storage, and autoRefresh. Another tab's change arrives as a bare signal (a
// BroadcastChannel message naming the event, or a storage event); this tab re-reads its own
// storage and emits only what differs from what it last reported, so each change arrives once and
// no token ever travels in a message. In Node it opens nothing and sets no timer.
import type { SignOutReason } from '../events.js';
import type { ClientCore } from '../internal/core.js';
import type { Follower, SessionListener, SyncMessage, SyncShared } from '../session-sync.js';
import type { Session } from '../types.js';

/**
 * Tells a refresh of `before` from a new sign-in: the same user, and the same refresh token (no
 * rotation), the same authentication (`origin_jti`, when the pool revokes tokens) or the same
 * `auth_time` (which Cognito keeps across refreshes; some emulators do not).
 */
function refreshOf(before: Session | null | undefined, after: Session): boolean {
  if (before?.userSub !== after.userSub) return false;
  const origin = before.accessTokenClaims.origin_jti;
  return (
    before.refreshToken === after.refreshToken ||
    (origin !== undefined && origin === after.accessTokenClaims.origin_jti) ||
    before.idTokenClaims.auth_time === after.idTokenClaims.auth_time
  );
}

/** Starts following one client's session. */
export function follow(core: ClientCore, shared: SyncShared): Follower {
  const { store, events, sessions, options } = core;
  const { IN_NODE, CHANNELS, openChannel } = core.lib;
  const entries = new Set<SessionListener>();
  /** The session last reported (null: signed out); undefined until read. */
  let current: Session | null | undefined;
  let listening = false;
  /** Re-reads run one at a time, each against what the one before found. */
  let queue = Promise.resolve();
  /** Aborted by dispose(): removes every DOM listener this sync added. */
  let listeners: AbortController | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  /** The reason another tab's last sign-out message gave, for the sign-out this tab reads next. */
  let signedOutReason: SignOutReason | undefined;

  /** Another tab changed something: re-read the storage and emit what changed here, once. */
  const check = () => {
    queue = queue.then(async () => {
      const stored = await store.read().catch(() => undefined);
      // A failing storage tells nothing; a torn write is followed by the signal of its last key.
      if (stored === undefined || (stored && !stored.consistent)) return;
      const session = stored?.session ?? null;
      if (session?.accessToken === current?.accessToken) return;
      shared.remote = true;
      try {
        if (!session) events.emit('signedOut', { reason: signedOutReason ?? 'user' });
        else events.emit(refreshOf(current, session) ? 'tokenRefreshed' : 'signedIn', session);
      } finally {
        shared.remote = false;
        signedOutReason = undefined;
      }
    });
  };

  /** autoRefresh: one timer, for when the tokens fall due, while the page is visible (never in Node). */
  const schedule = (session = current) => {
    if (!options.autoRefresh || IN_NODE || typeof document !== 'object') return;
    clearTimeout(timer);
    timer = undefined;
    if (!session || !listening || document.visibilityState !== 'visible') return;
    const { exp, iat } = session.accessTokenClaims;
    const marginMs = Math.min(options.refreshMarginSeconds, (exp - iat) / 2) * 1000;
    // A second after the refresh falls due, so that getSession() finds it due.
    timer = setTimeout(
      () =>
        sessions.get().then(
          // The session as it is now: also tokens another tab stored (its message reports them here).
          (now) => schedule(now),
          // Offline or throttled: try again later; the stored session stays.
          () => {
            timer = setTimeout(schedule, 30_000);
          },
        ),
      Math.max(1000, session.expiresAt - marginMs - core.now() + 1000),
    );
  };

  /** Starts following other tabs. */
  const listen = () => {
    if (listening) return;
    listening = true;
    queue = queue.then(async () => {
      if (current !== undefined) return;
      current = (await store.read().catch(() => null))?.session ?? null;
      schedule();
    });
    if (IN_NODE) return;
    listeners = new AbortController();
    const { signal } = listeners;
    const on = (target: EventTarget, type: string, handler: (event: never) => void) =>
      target.addEventListener(type, handler as EventListener, { signal });
    if (CHANNELS) {
      on(openChannel(core, shared), 'message', (message: MessageEvent<Partial<SyncMessage> | null>) => {
        // Only a reason this tab can name; the message is a signal, its content is not trusted.
        const reason = message.data?.reason;
        if (reason === 'expired' || reason === 'deleted' || reason === 'user') signedOutReason = reason;
        check();
      });
    }
    if (typeof window === 'object') {
      // localStorage's own events, one per key written, handled once the writes are done: the
      // fallback where BroadcastChannel is missing, and the signal that this tab's copy of
      // localStorage has the change (Chromium propagates it between tabs asynchronously, so a
      // message can arrive before the tokens it announces can be read here).
      let pending = false;
      const prefix = `CognitoIdentityServiceProvider.${core.clientId}.`;
      on(window, 'storage', (event: StorageEvent) => {
        if (pending || (event.key !== null && !event.key.startsWith(prefix))) return;
        pending = true;
        setTimeout(() => {
          pending = false;
          check();
        });
      });
    }
    if (options.autoRefresh && typeof document === 'object')
      on(document, 'visibilitychange', () => schedule());
  };

  listen();

  return {
    /** After every emit of the client: report the change to onSessionChange listeners. */
    changed(event, payload) {
      if (event === 'sessionExpired') return;
      const session = event === 'signedOut' ? null : (payload as Session);
      current = session;
      for (const entry of [...entries]) entry(session);
      schedule();
    },

    /** dispose(): no listener or timer is left (the core part closes the channel). */
    stop() {
      listeners?.abort();
      clearTimeout(timer);
      timer = current = listeners = undefined;
      listening = false;
      entries.clear();
    },

    /** onSessionChange: the current session once (after a due refresh settles), then every change. */
    watch(listener) {
      let told = false;
      const entry: SessionListener = (session) => {
        told = true;
        try {
          listener(session);
        } catch (error) {
          console.error('cognito-kit: a listener threw', error);
        }
      };
      entries.add(entry);
      listen();
      // SessionManager.get() is where a due refresh (and a pending hosted-UI callback) settles first.
      sessions
        .get()
        // The stored session when the refresh failed (offline): still signed in, tokens kept.
        .catch(() => store.read().then((stored) => stored?.session ?? null))
        .catch(() => null)
        .then((session) => {
          if (!told && entries.has(entry)) entry(session);
        });
      return () => {
        entries.delete(entry);
      };
    },
  };
}

// Session state for UIs, the part every client carries: it posts this client's changes to other
// tabs (a BroadcastChannel message naming the event, never a token) and loads the follower
// (sync/index.ts: onSessionChange, other tabs' changes, autoRefresh) lazily, on the first on() or
// onSessionChange() or with autoRefresh, so an app that never listens never downloads it. In Node
// nothing is opened: a script exits by itself, and only this process's changes are seen.
import type { CognitoEventName, CognitoEvents, SignOutReason } from './events.js';
import type { ClientCore } from './internal/core.js';
import type { Session } from './types.js';

/** What a tab posts on the client's channel: the event, a sign-out's reason, never a token. */
export interface SyncMessage {
  event: 'signedIn' | 'tokenRefreshed' | 'signedOut';
  reason?: SignOutReason;
}

/** An onSessionChange listener. */
export type SessionListener = (session: Session | null) => void;

/** What the core part and the follower share. */
export interface SyncShared {
  /** An emit for another tab's change is under way: it must not be posted back. */
  remote: boolean;
  channel: BroadcastChannel | undefined;
}

/** The lazily loaded follower of one client (sync/index.ts). */
export interface Follower {
  /** After every emit of this client (its own change, or another tab's it re-emitted). */
  changed<E extends CognitoEventName>(event: E, payload: CognitoEvents[E]): void;
  watch(listener: SessionListener): () => void;
  stop(): void;
}

// Node (and Bun, Deno's Node mode): this process only. No channel, no listener, no timer.
export const IN_NODE = typeof process === 'object' && typeof process.versions?.node === 'string';
export const CHANNELS = !IN_NODE && typeof BroadcastChannel === 'function';

/** The channel other tabs of this origin post on for this app client. */
export function openChannel(core: ClientCore, shared: SyncShared): BroadcastChannel {
  shared.channel ??= new BroadcastChannel(`cognito-kit:${core.clientId}`);
  return shared.channel;
}

const SYNC = Symbol('session-sync');

/** Connects a new client's emitter to the session sync. */
export function attachSessionSync(core: ClientCore): void {
  const shared: SyncShared = { remote: false, channel: undefined };
  let loading: Promise<Follower> | undefined;
  let follower: Follower | undefined;
  const follow = () => {
    loading ??= import('./sync/index.js').then((module) => {
      follower = module.follow(core, shared);
      return follower;
    });
    return loading;
  };
  core.state(SYNC, () => follow);
  core.events.hooks = {
    subscribed: () => {
      follow().catch(() => undefined);
    },
    emitted(event, payload) {
      if (event === 'sessionExpired') return;
      if (!shared.remote && CHANNELS) {
        const message: SyncMessage =
          event === 'signedOut'
            ? { event, reason: (payload as CognitoEvents['signedOut']).reason }
            : { event: event as SyncMessage['event'] };
        openChannel(core, shared).postMessage(message);
      }
      follower?.changed(event, payload);
    },
    cleared() {
      follower?.stop();
      shared.channel?.close();
      shared.channel = follower = loading = undefined;
    },
  };
  if (core.options.autoRefresh && !IN_NODE) follow().catch(() => undefined);
}

/** {@link CognitoClient.onSessionChange}: subscribes once the follower has loaded. */
export function onSessionChange(core: ClientCore, listener: SessionListener): () => void {
  let off: (() => void) | undefined;
  let active = true;
  core
    .state<() => Promise<Follower>>(SYNC, () => () => Promise.reject(new Error('no session sync')))()
    .then((follower) => {
      if (active) off = follower.watch(listener);
    })
    .catch((error: unknown) => console.error('cognito-kit: onSessionChange could not start', error));
  return () => {
    active = false;
    off?.();
  };
}

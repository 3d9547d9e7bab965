/**
 * cognito-kit/react: the session as React state, from {@link CognitoClient.onSessionChange}.
 * `react` (>= 18) is an optional peer dependency: only this entry imports it.
 *
 * @packageDocumentation
 */
import { useSyncExternalStore } from 'react';
import type { CognitoClient } from './client.js';
import type { Session } from './types.js';

/**
 * What {@link useSession} returns: `'loading'` until the client has read (and, when due, refreshed)
 * the stored session, and always on the server; then `'signedIn'` with the session or
 * `'signedOut'` with `null`.
 */
export type SessionState = SessionLoading | SessionSignedIn | SessionSignedOut;

/** Not known yet (first render, server rendering). */
export interface SessionLoading {
  /** The session has not been read yet. */
  status: 'loading';
  /** Always `null` while loading. */
  session: null;
}

/** Someone is signed in. */
export interface SessionSignedIn {
  /** A session is stored (refreshed when it was due). */
  status: 'signedIn';
  /** The current session. */
  session: Session;
}

/** Nobody is signed in. */
export interface SessionSignedOut {
  /** No session is stored. */
  status: 'signedOut';
  /** Always `null` when signed out. */
  session: null;
}

/** The part of a {@link CognitoClient} that {@link useSession} uses. */
export type SessionSource = Pick<CognitoClient, 'onSessionChange'>;

interface Store {
  snapshot: SessionState;
  subscribe(onChange: () => void): () => void;
}

const LOADING: SessionState = { status: 'loading', session: null };
// One subscription to the client however many components render the hook.
const stores = new WeakMap<SessionSource, Store>();

function storeOf(client: SessionSource): Store {
  let store = stores.get(client);
  if (store) return store;
  const components = new Set<() => void>();
  let unsubscribe: (() => void) | undefined;
  const created: Store = {
    snapshot: LOADING,
    subscribe(onChange) {
      components.add(onChange);
      unsubscribe ??= client.onSessionChange((session) => {
        created.snapshot = session ? { status: 'signedIn', session } : { status: 'signedOut', session: null };
        for (const component of [...components]) component();
      });
      return () => {
        components.delete(onChange);
        if (components.size === 0) {
          unsubscribe?.();
          unsubscribe = undefined;
        }
      };
    },
  };
  store = created;
  stores.set(client, store);
  return store;
}

const serverSnapshot = (): SessionState => LOADING;

/**
 * The client's session as React state: re-renders on sign-in, refresh and sign-out, also those of
 * other tabs. Built on `useSyncExternalStore` (no tearing); on the server it is `'loading'`.
 *
 * @param client - The app's {@link CognitoClient} (create it once, outside components).
 * @example
 * ```tsx
 * import { useSession } from 'cognito-kit/react';
 *
 * function Account() {
 *   const { status, session } = useSession(client);
 *   if (status === 'loading') return <p>loading</p>;
 *   if (status === 'signedOut') return <SignInForm />;
 *   return <p>Signed in as {session.username}</p>;
 * }
 * ```
 */
export function useSession(client: SessionSource): SessionState {
  const store = storeOf(client);
  return useSyncExternalStore(store.subscribe, () => store.snapshot, serverSnapshot);
}

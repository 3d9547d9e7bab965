import type { CognitoError } from './errors.js';
import type { Session } from './types.js';

/**
 * Why a user was signed out: `'user'` (a {@link CognitoClient.signOut} call, or a failed
 * {@link CognitoClient.deleteUser}, which signs out locally all the same), `'expired'` (Cognito
 * rejected the refresh token) or `'deleted'` ({@link CognitoClient.deleteUser} succeeded).
 */
export type SignOutReason = 'user' | 'expired' | 'deleted';

/**
 * Every event a {@link CognitoClient} emits, with its payload. Subscribe with
 * {@link CognitoClient.on}. Listeners run synchronously; one that throws is logged and does not
 * break the operation that emitted.
 *
 * @example
 * ```ts
 * client.on('signedIn', (session) => console.log('hello', session.username));
 * client.on('sessionExpired', ({ error }) => console.warn('signed out:', error.code));
 * ```
 */
export interface CognitoEvents {
  /** A sign-in completed (also after the last challenge). */
  signedIn: Session;
  /** The stored session was removed. */
  signedOut: {
    /** Why: the user signed out, the session expired, or the user was deleted. */
    reason: SignOutReason;
  };
  /** New tokens were stored after a refresh; one refresh, one event. */
  tokenRefreshed: Session;
  /** Cognito rejected the refresh token; `signedOut` with reason `'expired'` follows. */
  sessionExpired: {
    /** Cognito's rejection of the refresh token (usually `NotAuthorizedException`). */
    error: CognitoError;
  };
}

/** The name of an event in {@link CognitoEvents}. */
export type CognitoEventName = keyof CognitoEvents;

/** A listener for event `E`. */
export type CognitoEventListener<E extends CognitoEventName> = (payload: CognitoEvents[E]) => void;

/** @internal What the session sync (session-sync.ts) learns from an emitter. */
export interface EmitterHooks {
  /** A listener was added (the sync starts listening to other tabs on the first one). */
  subscribed(): void;
  /** An event was emitted, after its listeners ran. */
  emitted<E extends CognitoEventName>(event: E, payload: CognitoEvents[E]): void;
  /** Every listener was removed ({@link CognitoClient.dispose}). */
  cleared(): void;
}

/** @internal A tiny typed emitter. A throwing listener never breaks the flow that emitted. */
export class Emitter {
  readonly #listeners = new Map<CognitoEventName, Set<(payload: never) => void>>();
  /** Set once by the client's core; not counted as listeners. */
  hooks: EmitterHooks | undefined;

  on<E extends CognitoEventName>(event: E, listener: CognitoEventListener<E>): () => void {
    this.hooks?.subscribed();
    let set = this.#listeners.get(event);
    if (!set) {
      set = new Set();
      this.#listeners.set(event, set);
    }
    // Wrapped so that subscribing the same function twice gives two independent subscriptions.
    const entry = (payload: never) => listener(payload);
    set.add(entry);
    return () => {
      set.delete(entry);
      if (set.size === 0 && this.#listeners.get(event) === set) this.#listeners.delete(event);
    };
  }

  emit<E extends CognitoEventName>(event: E, payload: CognitoEvents[E]): void {
    for (const listener of [...(this.#listeners.get(event) ?? [])]) {
      try {
        (listener as (payload: CognitoEvents[E]) => void)(payload);
      } catch (error) {
        console.error(`cognito-kit: a "${event}" listener threw`, error);
      }
    }
    this.hooks?.emitted(event, payload);
  }

  clear(): void {
    this.#listeners.clear();
    this.hooks?.cleared();
  }
}

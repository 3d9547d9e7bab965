// The hosted-UI sign-ins started and not yet completed, kept in the client's storage (so the
// callback page, a new client after the redirect, finds them), keyed by their random state.
import type { SessionStore } from '../session-store.js';

/** One sign-in waiting for its callback. */
export interface PendingRedirect {
  /** PKCE verifier (code flow only). */
  verifier?: string;
  nonce: string;
  redirectUri: string;
  responseType: 'code' | 'token';
  customState?: string;
  /** Epoch ms after which it is forgotten. */
  expiresAt: number;
}

// The hosted UI may take a while (sign-up, email confirmation); older entries are dropped.
export const PENDING_TTL_MS = 30 * 60 * 1000;
// Two tabs may each start one; a user clicking "sign in" again starts another.
const MAX_PENDING = 5;

function parse(raw: string | null, nowMs: number): Record<string, PendingRedirect> {
  if (!raw) return {};
  try {
    const value = JSON.parse(raw) as Record<string, PendingRedirect> | null;
    if (!value || typeof value !== 'object') return {};
    const live: Record<string, PendingRedirect> = {};
    for (const [state, entry] of Object.entries(value)) {
      if (entry && typeof entry.nonce === 'string' && entry.expiresAt > nowMs) live[state] = entry;
    }
    return live;
  } catch {
    return {};
  }
}

async function save(store: SessionStore, all: Record<string, PendingRedirect>): Promise<void> {
  const entries = Object.entries(all)
    .sort(([, a], [, b]) => b.expiresAt - a.expiresAt)
    .slice(0, MAX_PENDING);
  await store.writeRaw(
    store.oauthPendingKey,
    entries.length ? JSON.stringify(Object.fromEntries(entries)) : null,
  );
}

/** Records a started sign-in under its state. */
export function addPending(store: SessionStore, state: string, entry: PendingRedirect, nowMs: number) {
  return store.exclusive(async () => {
    const all = parse(await store.readRaw(store.oauthPendingKey), nowMs);
    all[state] = entry;
    await save(store, all);
  });
}

/**
 * Removes and returns the sign-in started with `state` (undefined when none is): taken out before
 * its code is exchanged, so the code is never sent twice.
 */
export function takePending(store: SessionStore, state: string, nowMs: number) {
  return store.exclusive(async (): Promise<PendingRedirect | undefined> => {
    const all = parse(await store.readRaw(store.oauthPendingKey), nowMs);
    const entry = Object.hasOwn(all, state) ? all[state] : undefined;
    if (entry) {
      delete all[state];
      await save(store, all);
    }
    return entry;
  });
}

/** Whether a sign-in with `state` is pending (without taking it). */
export async function hasPending(store: SessionStore, state: string, nowMs: number): Promise<boolean> {
  return Object.hasOwn(parse(await store.readRaw(store.oauthPendingKey), nowMs), state);
}

// An asynchronous storage (IndexedDB / AsyncStorage-like) whose operations can be gated: a race is
// started at a precise storage operation, which is then held until the racing call settles or stops
// making progress (code that serialises storage access makes that call wait for the held operation).
import { vi } from 'vitest';
import type { TokenStorage } from '../../src/index.js';

/** A gated operation goes on once the call it started has made no progress for this long. */
const IDLE_MS = 100;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Storage operations and requests of the code under test: how many started, how many still run. */
const activity = { started: 0, running: 0 };

/** Runs `operation`, counted as progress of the code under test. */
export async function track<T>(operation: () => Promise<T> | T): Promise<T> {
  activity.started += 1;
  activity.running += 1;
  try {
    return await operation();
  } finally {
    activity.running -= 1;
  }
}

/**
 * Counts every request as progress too (nock answers through the fetch it patched, captured here).
 * Undo with `vi.unstubAllGlobals()`.
 */
export function trackRequests(): void {
  const patchedFetch = globalThis.fetch;
  vi.stubGlobal('fetch', (...args: Parameters<typeof fetch>) => track(() => patchedFetch(...args)));
}

/**
 * Waits until `task` settles, or until nothing has been started or run for IDLE_MS: the task is then
 * waiting for whoever holds the gate. Counted from the last progress, so a slow request or file write
 * does not end the hold early.
 */
export async function holdFor(task: Promise<unknown>): Promise<void> {
  let settled = false;
  task.then(
    () => (settled = true),
    () => (settled = true),
  );
  let seen = activity.started;
  let idleSince = performance.now();
  while (!settled && performance.now() - idleSince < IDLE_MS) {
    await sleep(5);
    if (activity.started !== seen || activity.running > 0) {
      seen = activity.started;
      idleSince = performance.now();
    }
  }
}

type Op = 'get' | 'set' | 'remove';

/**
 * An asynchronous Map-backed storage: every operation waits `delayMs` (0: a promise, no timer).
 * `before(op, suffix, start)` runs `start` once, just before the next `op` on a key ending in `suffix`,
 * and holds that operation until what `start` returned settles or stops making progress (`holdFor`).
 */
export function asyncStorage(delayMs: number) {
  const map = new Map<string, string>();
  let gate: { op: Op; suffix: string; start: () => Promise<unknown> } | undefined;
  let fired = false;
  const pass = async (op: Op, key: string) => {
    if (gate && gate.op === op && key.endsWith(gate.suffix)) {
      const { start } = gate;
      gate = undefined;
      fired = true;
      await holdFor(start());
    }
    await track(() => (delayMs > 0 ? sleep(delayMs) : undefined));
  };
  const storage: TokenStorage = {
    getItem: async (key) => {
      await pass('get', key);
      return map.get(key) ?? null;
    },
    setItem: async (key, value) => {
      await pass('set', key);
      map.set(key, value);
    },
    removeItem: async (key) => {
      await pass('remove', key);
      map.delete(key);
    },
  };
  return {
    map,
    storage,
    before(op: Op, suffix: string, start: () => Promise<unknown>) {
      gate = { op, suffix, start };
      fired = false;
    },
    fired: () => fired,
  };
}

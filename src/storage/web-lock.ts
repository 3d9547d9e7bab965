// Locks over the tabs and workers of one origin: Web Locks, with a hand-off for localStorage.
// Used by webStorage and cookieStorage to run one token refresh at a time across tabs.
import type { WebStorageLike } from './web.js';

/** How long `webLock` waits for a Web Lock before running the task anyway. */
const LOCK_TIMEOUT_MS = 10_000;

/** Changes (to a random value) each time a holder of a lock over localStorage finishes. */
const HANDOFF_KEY = 'cognito-kit.lockHandoff';
/** How long a tab that had to wait for the lock waits for the previous holder's writes to show. */
const HANDOFF_TIMEOUT_MS = 500;

/**
 * `webLock` for `localStorage`, with a hand-off between tabs. Chromium delivers another tab's
 * localStorage writes asynchronously, by another route than the lock's: a tab granted the lock right
 * after another tab refreshed the tokens and released it can still read the old tokens (and refresh
 * again). So every holder ends by writing a new value under {@link HANDOFF_KEY}, after its own writes
 * (which arrive in order), and a tab that had to wait for the lock first waits, at most
 * {@link HANDOFF_TIMEOUT_MS}, until that value differs from the one it saw before waiting.
 */
export function localStorageLock<T>(
  storage: WebStorageLike,
  name: string,
  task: () => Promise<T>,
): Promise<T> {
  const locks = typeof navigator === 'undefined' ? undefined : navigator.locks;
  if (typeof locks?.request !== 'function') return webLock(name, task);
  const peek = (): string | null => {
    try {
      return storage.getItem(HANDOFF_KEY);
    } catch {
      return null;
    }
  };
  const seen = peek();
  const run = async (): Promise<T> => {
    try {
      return await task();
    } finally {
      try {
        storage.setItem(HANDOFF_KEY, `${Date.now().toString(36)}.${Math.random().toString(36).slice(2)}`);
      } catch {
        // a full or disabled storage: waiters fall back to their timeout
      }
    }
  };
  let ran = false;
  const attempt = async (lock: Lock | null): Promise<{ value: T } | undefined> => {
    if (!lock) return undefined;
    ran = true;
    return { value: await run() };
  };
  // The DOM typings do not unwrap the callback's promise; the request resolves with its value.
  const uncontended = Promise.resolve()
    .then(
      () =>
        locks.request(`cognito-kit:${name}`, { ifAvailable: true }, attempt) as unknown as Promise<
          { value: T } | undefined
        >,
    )
    .catch((error: unknown) => {
      if (ran) throw error;
      return undefined; // the lock manager failed: webLock runs the task all the same
    });
  return uncontended.then((granted) => {
    if (granted) return granted.value;
    return webLock(name, async () => {
      const deadline = Date.now() + HANDOFF_TIMEOUT_MS;
      while (peek() === seen && Date.now() < deadline) await new Promise((wake) => setTimeout(wake, 5));
      return run();
    });
  });
}

/**
 * Runs `task` while holding the Web Lock `'cognito-kit:' + name`, shared by every tab and worker
 * of the origin, and resolves or rejects with the task's outcome.
 *
 * Without the Web Locks API (older browsers, Node, jsdom) the task simply runs. When the lock cannot
 * be had within 10 s, or the lock manager fails, the task runs anyway: a lock left stuck by
 * another tab must never block a sign-in. The lock is held until the task settles. The lock is not
 * reentrant: a task that asks for the same name again waits for the timeout.
 *
 * @param name - The lock name, without the `cognito-kit:` prefix.
 * @param task - The work to run under the lock.
 * @returns The task's result.
 * @throws whatever `task` throws.
 *
 * @example
 * ```ts
 * const tokens = await webLock('refresh.my-user', () => refreshTokens());
 * ```
 */
export function webLock<T>(name: string, task: () => Promise<T>): Promise<T> {
  const locks = typeof navigator === 'undefined' ? undefined : navigator.locks;
  if (typeof locks?.request !== 'function') return Promise.resolve().then(task);

  return new Promise<T>((resolve, reject) => {
    const controller = new AbortController();
    let started = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const start = (): Promise<void> => {
      started = true;
      if (timer !== undefined) clearTimeout(timer);
      const outcome = Promise.resolve().then(task);
      outcome.then(resolve, reject);
      // The lock is released when this settles; the outcome itself travels through `resolve`/`reject`.
      return outcome.then(
        () => undefined,
        () => undefined,
      );
    };
    const startWithoutLock = (): void => {
      if (!started) void start();
    };
    timer = setTimeout(() => {
      controller.abort();
      startWithoutLock();
    }, LOCK_TIMEOUT_MS);
    try {
      // A grant that arrives after we gave up (a lock manager ignoring the signal) is released at once.
      locks
        .request(`cognito-kit:${name}`, { signal: controller.signal }, () => (started ? undefined : start()))
        .catch(startWithoutLock);
    } catch {
      startWithoutLock();
    }
  });
}

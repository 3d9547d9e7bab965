import { CognitoError } from '../errors.js';
import type { TokenStorage } from './types.js';

/**
 * The part of the Web Storage API `webStorage` uses: `localStorage` and `sessionStorage` fit, and so
 * does any object with these methods. Structural, so Node projects without the DOM typings compile.
 */
export interface WebStorageLike {
  /** Returns the value stored under `key`, or `null`. */
  getItem(key: string): string | null;
  /** Stores `value` under `key`; may throw when the quota is exceeded. */
  setItem(key: string, value: string): void;
  /** Removes `key`. */
  removeItem(key: string): void;
}

/** How long `webLock` waits for a Web Lock before running the task anyway. */
const DEFAULT_LOCK_TIMEOUT_MS = 10_000;

/** Key written and removed once to check that `localStorage` accepts writes. */
const PROBE_KEY = 'cognito-kit.probe';

/**
 * Wraps a Web Storage object (`localStorage` or `sessionStorage`) as a {@link TokenStorage}.
 *
 * `getItem`, `setItem` and `removeItem` answer synchronously. `lock` serializes token refreshes
 * across the tabs of one origin with the Web Locks API where the browser has it (see
 * `webLock`); elsewhere it just runs the task.
 *
 * @param storage - The `Storage` to wrap, usually `window.localStorage` or `window.sessionStorage`.
 * @returns A synchronous token store over `storage`.
 * @throws {@link CognitoError} `StorageException` from `setItem` when the browser refuses the write
 * (quota exceeded, Safari private mode, storage disabled), and from `getItem`/`removeItem` when
 * access is denied. The message names the key, never the value; the browser's error is the `cause`.
 *
 * @example
 * ```ts
 * import { CognitoClient, webStorage } from 'cognito-kit';
 *
 * // Signed out when the tab closes.
 * const client = new CognitoClient({ userPoolId, clientId, storage: webStorage(sessionStorage) });
 * ```
 */
export function webStorage(storage: WebStorageLike): TokenStorage {
  return {
    getItem(key) {
      try {
        return storage.getItem(key);
      } catch (cause) {
        throw storageError(`Could not read "${key}" from web storage`, cause);
      }
    },
    setItem(key, value) {
      try {
        storage.setItem(key, value);
      } catch (cause) {
        throw storageError(
          `Could not write "${key}" to web storage (quota exceeded, private browsing or storage disabled)`,
          cause,
        );
      }
    },
    removeItem(key) {
      try {
        storage.removeItem(key);
      } catch (cause) {
        throw storageError(`Could not remove "${key}" from web storage`, cause);
      }
    },
    lock: (name, task) =>
      isLocalStorage(storage) ? localStorageLock(storage, name, task) : webLock(name, task),
  };
}

/** Changes (to a random value) each time a holder of a lock over localStorage finishes. */
const HANDOFF_KEY = 'cognito-kit.lockHandoff';
/** How long a tab that had to wait for the lock waits for the previous holder's writes to show. */
const HANDOFF_TIMEOUT_MS = 500;

function isLocalStorage(storage: WebStorageLike): boolean {
  try {
    return typeof localStorage !== 'undefined' && storage === localStorage;
  } catch {
    return false;
  }
}

/**
 * `webLock` for `localStorage`, with a hand-off between tabs. Chromium delivers another tab's
 * localStorage writes asynchronously, by another route than the lock's: a tab granted the lock right
 * after another tab refreshed the tokens and released it can still read the old tokens (and refresh
 * again). So every holder ends by writing a new value under {@link HANDOFF_KEY}, after its own writes
 * (which arrive in order), and a tab that had to wait for the lock first waits, at most
 * {@link HANDOFF_TIMEOUT_MS}, until that value differs from the one it saw before waiting.
 */
function localStorageLock<T>(storage: WebStorageLike, name: string, task: () => Promise<T>): Promise<T> {
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
 * be had within `timeoutMs`, or the lock manager fails, the task runs anyway: a lock left stuck by
 * another tab must never block a sign-in. The lock is held until the task settles. The lock is not
 * reentrant: a task that asks for the same name again waits for the timeout.
 *
 * @param name - The lock name, without the `cognito-kit:` prefix.
 * @param task - The work to run under the lock.
 * @param timeoutMs - How long to wait for the lock before running the task without it.
 * @defaultValue `timeoutMs`: `10000`
 * @returns The task's result.
 * @throws {@link CognitoError} `InvalidParameterException` when `timeoutMs` is negative or not a
 * number; otherwise whatever `task` throws.
 *
 * @example
 * ```ts
 * const tokens = await webLock('refresh.my-user', () => refreshTokens(), 5_000);
 * ```
 */
export function webLock<T>(
  name: string,
  task: () => Promise<T>,
  timeoutMs: number = DEFAULT_LOCK_TIMEOUT_MS,
): Promise<T> {
  if (typeof timeoutMs !== 'number' || Number.isNaN(timeoutMs) || timeoutMs < 0) {
    return Promise.reject(
      new CognitoError('InvalidParameterException', 'timeoutMs must be a non-negative number', {
        retryable: false,
      }),
    );
  }
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
    if (Number.isFinite(timeoutMs)) {
      timer = setTimeout(() => {
        controller.abort();
        startWithoutLock();
      }, timeoutMs);
    }
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

/**
 * Returns `webStorage(window.localStorage)` when this is a browser window whose `localStorage`
 * exists and accepts a write, and `undefined` otherwise, so that the caller falls back to memory.
 *
 * Returns `undefined` in Node, even where Node exposes a `localStorage` global (Node 22+), in web
 * workers, when storage is disabled (the `localStorage` getter throws), and when a probe write fails
 * (Safari private mode, full quota). The probe key is removed right away. Never throws.
 *
 * @returns A token store over `localStorage`, or `undefined`.
 *
 * @example
 * ```ts
 * const storage = options.storage ?? defaultBrowserStorage() ?? memoryStorage();
 * ```
 */
export function defaultBrowserStorage(): TokenStorage | undefined {
  // Without a window this is Node (which may expose its own `localStorage`), a worker or a server
  // runtime: tokens must not land in a store shared by every user of the process.
  if (typeof window === 'undefined') return undefined;
  try {
    const storage = window.localStorage;
    if (!storage || typeof storage.setItem !== 'function') return undefined;
    storage.setItem(PROBE_KEY, '1');
    storage.removeItem(PROBE_KEY);
    return webStorage(storage);
  } catch {
    return undefined;
  }
}

function storageError(message: string, cause: unknown): CognitoError {
  return new CognitoError('StorageException', message, { cause, retryable: false });
}

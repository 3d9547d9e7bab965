import { CognitoError } from '../errors.js';
import type { TokenStorage } from './types.js';

/** How long {@link webLock} waits for a Web Lock before running the task anyway. */
const DEFAULT_LOCK_TIMEOUT_MS = 10_000;

/** Key written and removed once to check that `localStorage` accepts writes. */
const PROBE_KEY = 'cognito-kit.probe';

/**
 * Wraps a Web Storage object (`localStorage` or `sessionStorage`) as a {@link TokenStorage}.
 *
 * `getItem`, `setItem` and `removeItem` answer synchronously. `lock` serializes token refreshes
 * across the tabs of one origin with the Web Locks API where the browser has it (see
 * {@link webLock}); elsewhere it just runs the task.
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
export function webStorage(storage: Storage): TokenStorage {
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
    lock: (name, task) => webLock(name, task),
  };
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

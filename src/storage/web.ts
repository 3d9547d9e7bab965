import { CognitoError } from '../errors.js';
import type { TokenStorage } from './types.js';
import { localStorageLock, webLock } from './web-lock.js';

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

function isLocalStorage(storage: WebStorageLike): boolean {
  try {
    return typeof localStorage !== 'undefined' && storage === localStorage;
  } catch {
    return false;
  }
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

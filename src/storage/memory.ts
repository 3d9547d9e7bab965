import type { TokenStorage } from './types.js';

/**
 * Creates an in-memory {@link TokenStorage} backed by its own `Map`.
 *
 * Every call returns a fresh, empty store: two stores never share a value. Nothing survives a page
 * reload or a process restart. This is the default storage in Node and wherever `localStorage` is
 * unavailable. All methods answer synchronously.
 *
 * @returns A synchronous token store private to the caller.
 *
 * @example
 * ```ts
 * import { CognitoClient, memoryStorage } from 'cognito-kit';
 *
 * const client = new CognitoClient({ userPoolId, clientId, storage: memoryStorage() });
 * ```
 */
export function memoryStorage(): TokenStorage {
  const values = new Map<string, string>();
  return {
    getItem: (key) => values.get(key) ?? null,
    setItem: (key, value) => {
      values.set(key, value);
    },
    removeItem: (key) => {
      values.delete(key);
    },
  };
}

/**
 * Where a client keeps its tokens and a pending sign-in challenge.
 *
 * Each method may answer synchronously or with a promise, so `localStorage`, cookies, a file,
 * IndexedDB, React Native's AsyncStorage or Redis all fit. Keys follow the layout of
 * amazon-cognito-identity-js (`CognitoIdentityServiceProvider.<clientId>.…`), so sessions stored by
 * the plain library are picked up.
 *
 * @example
 * ```ts
 * import AsyncStorage from '@react-native-async-storage/async-storage';
 * const client = new CognitoClient({ userPoolId, clientId, storage: AsyncStorage });
 * ```
 */
export interface TokenStorage {
  /** Returns the stored value, or `null` when there is none. */
  getItem(key: string): string | null | Promise<string | null>;
  /** Stores `value` under `key`, replacing what was there. */
  setItem(key: string, value: string): void | Promise<void>;
  /** Removes `key`; removing a missing key is not an error. */
  removeItem(key: string): void | Promise<void>;
  /**
   * Optional: runs `task` while holding an exclusive lock named `name` shared by everyone using the
   * same underlying store (other tabs, other processes), and returns its result. cognito-kit takes
   * it around a token refresh so that only one refresh request is sent for a session. Stores
   * without it are coordinated within one JavaScript realm only.
   */
  lock?<T>(name: string, task: () => Promise<T>): Promise<T>;
}

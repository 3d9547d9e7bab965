import { CognitoError } from '../errors.js';
import {
  type CookieStorageOptions,
  cookieAttributes,
  cookiePair,
  EXPIRED,
  encodeName,
  expiryDate,
  type ParsedCookie,
  parseCookies,
  validateCookieOptions,
} from './cookie-format.js';
import type { TokenStorage } from './types.js';
import { webLock } from './web-lock.js';

const LOCAL_HOSTS: ReadonlySet<string> = new Set(['localhost', '127.0.0.1', '[::1]']);

export type { CookieStorageOptions } from './cookie-format.js';

/**
 * Creates a {@link TokenStorage} that keeps each key in its own cookie via `document.cookie`, so that
 * a server sharing the domain can read the session.
 *
 * Keys and values are `encodeURIComponent`-encoded. Only the adapter's own cookies are read, written
 * or expired: other cookies on the page are never touched. A cookie whose `name=value` would exceed
 * 4,096 bytes is refused instead of being silently dropped by the browser (ID tokens carrying many
 * groups can), and a write the browser ignores is reported; either way the previous value stays.
 * `lock` uses the Web Locks API like {@link webStorage}. Browser only.
 *
 * @param options - Cookie attributes.
 * @defaultValue `{ path: '/', sameSite: 'lax', expires: 365, secure: true }` (`secure: false` on
 * http://localhost)
 * @returns A synchronous token store over the page's cookies.
 * @throws {@link CognitoError} `InvalidParameterException` at once for an unknown option, a
 * `sameSite` other than `'strict'`, `'lax'` or `'none'`, a negative or non-numeric `expires`, or a
 * `domain`/`path` containing `;`, `,` or whitespace (or a `path` not starting with `/`).
 * `StorageException` from `setItem` when the cookie is too large or the browser does not store it
 * (a Secure cookie on an http:// page, a `domain`/`path` not matching the page, cookies blocked), and
 * from any method when there is no `document`. Messages name the key, never the value.
 *
 * @example
 * ```ts
 * import { CognitoClient, cookieStorage } from 'cognito-kit';
 *
 * const storage = cookieStorage({ domain: 'example.com', sameSite: 'strict', expires: 30 });
 * const client = new CognitoClient({ userPoolId, clientId, storage });
 * ```
 */
export function cookieStorage(options: CookieStorageOptions = {}): TokenStorage {
  const { path, domain, sameSite, expires, secure } = validateCookieOptions(options);

  const isSecure = (): boolean => secure ?? !isLocalHttpPage();
  const attributes = (expiry: string | undefined): string =>
    cookieAttributes({ path, domain, expiry, secure: isSecure(), sameSite });
  const expire = (name: string): void => {
    cookieDocument().cookie = `${name}=${attributes(EXPIRED)}`;
  };

  const storage: TokenStorage = {
    getItem(key) {
      const own = encodeName(key);
      const found = readCookies().filter((cookie) => cookie.key === key);
      const exact = found.find((cookie) => cookie.name === own) ?? found[0];
      return exact === undefined ? null : exact.value;
    },
    setItem(key, value) {
      const { name, pair } = cookiePair(key, value);
      // Browsers ignore a Secure cookie set from an insecure page (some emulators store it unreadable).
      if (isSecure() && isInsecureRemotePage()) {
        throw new CognitoError(
          'StorageException',
          `Cannot store cookie "${key}": a Secure cookie cannot be set from an http:// page; serve the page over https or pass secure: false`,
          { retryable: false },
        );
      }
      const expiry = expiryDate(expires, Date.now());
      cookieDocument().cookie = pair + attributes(expiry);
      if (!readCookies().some((cookie) => cookie.name === name && cookie.value === value)) {
        throw new CognitoError(
          'StorageException',
          `The browser did not store cookie "${key}" (a domain or path not matching this page, or cookies blocked)`,
          { retryable: false },
        );
      }
      // The same key written with another name encoding (js-cookie, used by amazon-cognito-identity-js)
      // would shadow the new value on a later read.
      for (const cookie of readCookies()) if (cookie.key === key && cookie.name !== name) expire(cookie.name);
    },
    removeItem(key) {
      const names = new Set([encodeName(key)]);
      for (const cookie of readCookies()) if (cookie.key === key) names.add(cookie.name);
      for (const name of names) expire(name);
    },
    lock: (name, task) => webLock(name, task),
  };
  return storage;
}

function readCookies(): ParsedCookie[] {
  return parseCookies(cookieDocument().cookie);
}

function cookieDocument(): Document {
  if (typeof document === 'undefined') {
    throw new CognitoError('StorageException', 'cookieStorage needs a browser document', {
      retryable: false,
    });
  }
  return document;
}

function isLocalHttpPage(): boolean {
  if (typeof location === 'undefined') return false;
  return location.protocol === 'http:' && LOCAL_HOSTS.has(location.hostname);
}

function isInsecureRemotePage(): boolean {
  if (typeof location === 'undefined') return false;
  return location.protocol === 'http:' && !LOCAL_HOSTS.has(location.hostname);
}

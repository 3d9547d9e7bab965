import { CognitoError } from '../errors.js';
import {
  type CookieStorageOptions,
  cookieAttributes,
  cookieDomains,
  cookiePair,
  cookiePaths,
  EXPIRED,
  encodeName,
  expiryDate,
  type ParsedCookie,
  parseCookies,
  type ValidCookieOptions,
  validateCookieOptions,
} from './cookie-format.js';
import type { TokenStorage } from './types.js';
import { webLock } from './web-lock.js';

export type { CookieStorageOptions } from './cookie-format.js';

const LOCAL_HOSTS: ReadonlySet<string> = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Creates a {@link TokenStorage} that keeps each key in its own cookie via `document.cookie`, so that
 * a server sharing the domain can read the session.
 *
 * Keys and values are `encodeURIComponent`-encoded. Only the adapter's own cookies are read, written
 * or expired: other cookies on the page are never touched. A cookie whose `name=value` would exceed
 * 4,096 bytes is refused instead of being silently dropped by the browser (ID tokens carrying many
 * groups can), and a write the browser ignores is reported; either way the previous value stays.
 *
 * A cookie of the same name set for a parent domain or another path (by a sibling subdomain, or by
 * amazon-cognito-identity-js's `CookieStorage` with another `domain`) is never allowed to shadow
 * ours: every write is read back, and when another cookie of that name is visible, it is expired for
 * this host and each parent domain across the page's path prefixes before the value is written
 * again; if one still stays, the write fails. `removeItem` expires them the same way and fails if a
 * cookie of that name remains. While two different values are visible for one key, `getItem`
 * answers `null` (signed out) rather than guess which is ours.
 * `lock` uses the Web Locks API like {@link webStorage}. Browser only.
 *
 * @param options - Cookie attributes.
 * @defaultValue `{ path: '/', sameSite: 'lax', expires: 30, secure: true }` (`secure: false` on
 * http://localhost)
 * @returns A synchronous token store over the page's cookies.
 * @throws {@link CognitoError} `InvalidParameterException` at once for an unknown option, a
 * `sameSite` other than `'strict'`, `'lax'` or `'none'`, a negative or non-numeric `expires`, or a
 * `domain`/`path` containing `;`, `,` or whitespace (or a `path` not starting with `/`).
 * `StorageException` from `setItem` when the cookie is too large, the browser does not store it
 * (a Secure cookie on an http:// page, a `domain`/`path` not matching the page, cookies blocked) or a
 * same-named cookie this page cannot expire shadows it; from `removeItem` when such a cookie stays;
 * and from any method when there is no `document`. Messages name the key, never the value.
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
  const valid = validateCookieOptions(options);
  const isSecure = (): boolean => valid.secure ?? !isLocalHttpPage();
  const write = (text: string): void => {
    cookieDocument().cookie = text;
  };
  const attributes = (expiry: string | undefined): string =>
    cookieAttributes({
      path: valid.path,
      domain: valid.domain,
      expiry,
      secure: isSecure(),
      sameSite: valid.sameSite,
    });
  const expireOwn = (name: string): void => write(`${name}=${attributes(EXPIRED)}`);

  const storage: TokenStorage = {
    getItem(key) {
      const found = cookiesOf(key);
      const first = found[0];
      if (first === undefined) return null;
      // Two values for one key: one was set by someone else (a sibling subdomain, another path).
      // Which one is ours cannot be told from document.cookie, so neither is trusted.
      return found.every((cookie) => cookie.value === first.value) ? first.value : null;
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
      const store = (): void => write(pair + attributes(expiryDate(valid.expires, Date.now())));
      store();
      let found = cookiesOf(key);
      if (!found.some((cookie) => cookie.name === name && cookie.value === value)) {
        throw new CognitoError(
          'StorageException',
          `The browser did not store cookie "${key}" (a domain or path not matching this page, or cookies blocked)`,
          { retryable: false },
        );
      }
      if (found.length === 1) return;
      // Another cookie of this key (a parent domain's, another path's, another name encoding's)
      // would shadow the value on a later read, or outlive a sign-out: clear them all, write again.
      expireEverywhere(found, valid, write);
      store();
      found = cookiesOf(key);
      const stored = found.length === 1 && found[0]?.name === name && found[0].value === value;
      // Ours stays next to the one that cannot be removed: with two values, getItem trusts neither.
      if (!stored) throw shadowed(key, 'store');
    },
    removeItem(key) {
      expireOwn(encodeName(key));
      const left = cookiesOf(key);
      if (left.length === 0) return;
      expireEverywhere(left, valid, write);
      if (cookiesOf(key).length > 0) throw shadowed(key, 'remove');
    },
    lock: (name, task) => webLock(name, task),
  };
  return storage;
}

/** The page's cookies holding `key`, under any name encoding. */
function cookiesOf(key: string): ParsedCookie[] {
  return parseCookies(cookieDocument().cookie).filter((cookie) => cookie.key === key);
}

/**
 * Expires every name in `cookies` for the host and each parent domain, across every path that
 * could make a cookie visible on this page (and the configured ones).
 */
function expireEverywhere(
  cookies: readonly ParsedCookie[],
  valid: ValidCookieOptions,
  write: (text: string) => void,
): void {
  const names = new Set(cookies.map((cookie) => cookie.name));
  const here = typeof location === 'undefined' ? undefined : location;
  const domains = new Set(cookieDomains(here?.hostname ?? ''));
  domains.add(valid.domain);
  const paths = new Set(cookiePaths(here?.pathname ?? '/'));
  paths.add(valid.path);
  // Only a secure page may touch Secure cookies; an http page must not mark its deletions Secure.
  const secure = here?.protocol === 'https:' ? '; secure' : '';
  for (const name of names) {
    for (const domain of domains) {
      for (const path of paths) {
        write(
          `${name}=; path=${path}${domain === undefined ? '' : `; domain=${domain}`}; expires=${EXPIRED}${secure}`,
        );
      }
    }
  }
}

function shadowed(key: string, action: 'store' | 'remove'): CognitoError {
  return new CognitoError(
    'StorageException',
    `Could not ${action} cookie "${key}": a cookie of the same name that this page cannot expire stays (set for another path or domain, or Secure on an http page); remove it, or use another storage`,
    { retryable: false },
  );
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

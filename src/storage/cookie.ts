import { CognitoError, invalidParameter } from '../errors.js';
import type { TokenStorage } from './types.js';
import { webLock } from './web-lock.js';

/** Browsers keep at most this many bytes of a cookie's `name=value` (RFC 6265bis, section 5.6). */
const MAX_COOKIE_BYTES = 4096;
const DAY_MS = 86_400_000;
const EXPIRED = 'Thu, 01 Jan 1970 00:00:00 GMT';
const SAME_SITE = { strict: 'Strict', lax: 'Lax', none: 'None' } as const;
const OPTION_NAMES: ReadonlySet<string> = new Set(['domain', 'path', 'secure', 'sameSite', 'expires']);
const LOCAL_HOSTS: ReadonlySet<string> = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Options of {@link cookieStorage}. */
export interface CookieStorageOptions {
  /**
   * The cookie's `Domain`; set it (for example `'example.com'`) to share the session with
   * subdomains.
   * @defaultValue the current host only
   */
  domain?: string;
  /**
   * The cookie's `Path`; it must cover every page that uses the client.
   * @defaultValue `'/'`
   */
  path?: string;
  /**
   * Send the cookie over HTTPS only. Forced to `true` when `sameSite` is `'none'`.
   * @defaultValue `true`, except `false` on `http://localhost` and `http://127.0.0.1`
   */
  secure?: boolean;
  /**
   * The cookie's `SameSite` attribute.
   * @defaultValue `'lax'`
   */
  sameSite?: 'strict' | 'lax' | 'none';
  /**
   * Lifetime in days; `0` makes session cookies, which the browser drops when it closes.
   * @defaultValue `365`
   */
  expires?: number;
}

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
  const { path, domain, sameSite, expires, secure } = validateOptions(options);

  const isSecure = (): boolean => secure ?? !isLocalHttpPage();
  const attributes = (expiry: string | undefined): string => {
    let text = `; path=${path}`;
    if (domain !== undefined) text += `; domain=${domain}`;
    if (expiry !== undefined) text += `; expires=${expiry}`;
    if (isSecure()) text += '; secure';
    return `${text}; samesite=${SAME_SITE[sameSite]}`;
  };
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
      if (key === '')
        throw new CognitoError('StorageException', 'A cookie needs a non-empty key', { retryable: false });
      const name = encodeName(key);
      const pair = `${name}=${encode(value, key)}`;
      // Percent-encoding leaves only ASCII, so characters are bytes.
      const bytes = pair.length;
      if (bytes > MAX_COOKIE_BYTES) {
        throw new CognitoError(
          'StorageException',
          `Cookie "${key}" would be ${bytes} bytes, over the browser limit of ${MAX_COOKIE_BYTES} bytes for name and value; use another storage for this session`,
          { retryable: false },
        );
      }
      // Browsers ignore a Secure cookie set from an insecure page (some emulators store it unreadable).
      if (isSecure() && isInsecureRemotePage()) {
        throw new CognitoError(
          'StorageException',
          `Cannot store cookie "${key}": a Secure cookie cannot be set from an http:// page; serve the page over https or pass secure: false`,
          { retryable: false },
        );
      }
      const expiry = expires === 0 ? undefined : new Date(Date.now() + expires * DAY_MS).toUTCString();
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

interface ParsedCookie {
  /** The name as it appears in `document.cookie`. */
  name: string;
  /** The decoded name, or `undefined` when it is not valid percent-encoding. */
  key: string | undefined;
  value: string;
}

function readCookies(): ParsedCookie[] {
  const header = cookieDocument().cookie;
  if (!header) return [];
  const cookies: ParsedCookie[] = [];
  for (const part of header.split(';')) {
    const trimmed = part.trim();
    const equals = trimmed.indexOf('=');
    // A cookie without "=" has no name, so it can never be one of ours.
    if (equals <= 0) continue;
    const name = trimmed.slice(0, equals);
    let value = trimmed.slice(equals + 1);
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    cookies.push({ name, key: safeDecode(name), value: safeDecode(value) ?? value });
  }
  return cookies;
}

function encodeName(key: string): string {
  // Parentheses are separators in RFC 6265 cookie names.
  return encode(key, key).replace(/\(/g, '%28').replace(/\)/g, '%29');
}

function encode(text: string, key: string): string {
  try {
    return encodeURIComponent(text);
  } catch (cause) {
    // Lone UTF-16 surrogates cannot be percent-encoded.
    throw new CognitoError('StorageException', `Cookie "${safeKey(key)}" cannot be encoded`, {
      cause,
      retryable: false,
    });
  }
}

function safeKey(key: string): string {
  return key.replace(/[\uD800-\uDFFF]/g, '\uFFFD');
}

function safeDecode(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
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

interface ValidOptions {
  path: string;
  domain: string | undefined;
  sameSite: keyof typeof SAME_SITE;
  expires: number;
  secure: boolean | undefined;
}

function validateOptions(options: CookieStorageOptions): ValidOptions {
  if (typeof options !== 'object' || options === null)
    throw invalidParameter('cookieStorage options must be an object');
  for (const name of Object.keys(options)) {
    if (!OPTION_NAMES.has(name)) throw invalidParameter(`Unknown cookieStorage option "${name}"`);
  }
  const { path = '/', domain, sameSite = 'lax', expires = 365, secure } = options;
  if (typeof path !== 'string' || !path.startsWith('/') || /[;,\s]/.test(path)) {
    throw invalidParameter('cookieStorage path must start with "/" and contain no ";", "," or whitespace');
  }
  if (domain !== undefined && (typeof domain !== 'string' || domain === '' || /[;,\s]/.test(domain))) {
    throw invalidParameter('cookieStorage domain must be a non-empty host name');
  }
  if (typeof sameSite !== 'string' || !Object.hasOwn(SAME_SITE, sameSite)) {
    throw invalidParameter('cookieStorage sameSite must be "strict", "lax" or "none"');
  }
  if (typeof expires !== 'number' || !Number.isFinite(expires) || expires < 0) {
    throw invalidParameter('cookieStorage expires must be a non-negative number of days');
  }
  if (secure !== undefined && typeof secure !== 'boolean')
    throw invalidParameter('cookieStorage secure must be a boolean');
  // Browsers reject SameSite=None cookies without Secure.
  return { path, domain, sameSite, expires, secure: sameSite === 'none' ? true : secure };
}

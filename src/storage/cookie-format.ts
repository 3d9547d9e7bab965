// The cookie format shared by every cookie storage (the browser's cookieStorage, a server's
// per-request cookie storage): names, value encoding, attributes and option checks. Pure: no DOM,
// no `node:` import, so that a session written on one side is read on the other.
import { CognitoError, invalidParameter } from '../errors.js';

/** Browsers keep at most this many bytes of a cookie's `name=value` (RFC 6265bis, section 5.6). */
export const MAX_COOKIE_BYTES = 4096;
export const DAY_MS = 86_400_000;
/** An `expires` date in the past: the browser deletes the cookie. */
export const EXPIRED = 'Thu, 01 Jan 1970 00:00:00 GMT';
/**
 * Default lifetime in days: Cognito's default refresh-token validity. A cookie that outlives the
 * refresh token only keeps a dead session on the device.
 */
export const DEFAULT_EXPIRES_DAYS = 30;
export const SAME_SITE = { strict: 'Strict', lax: 'Lax', none: 'None' } as const;
const OPTION_NAMES: ReadonlySet<string> = new Set(['domain', 'path', 'secure', 'sameSite', 'expires']);

/** Options of {@link cookieStorage}. */
export interface CookieStorageOptions {
  /**
   * The cookie's `Domain`; set it (for example `'example.com'`) to share the session with
   * subdomains. When you migrate, use the same value as before: see docs/storage.md.
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
   * Lifetime in days, counted from each write; `0` makes session cookies, which the browser drops
   * when it closes. Set it to your app client's refresh-token validity.
   * @defaultValue `30` (Cognito's default refresh-token validity)
   */
  expires?: number;
}

/** Cookie options after validation, defaults applied (`secure` stays `undefined` for "by page"). */
export interface ValidCookieOptions {
  path: string;
  domain: string | undefined;
  sameSite: keyof typeof SAME_SITE;
  expires: number;
  secure: boolean | undefined;
}

/** One cookie of a `Cookie` header (or of `document.cookie`). */
export interface ParsedCookie {
  /** The name as it appears in the header. */
  name: string;
  /** The decoded name, or `undefined` when it is not valid percent-encoding. */
  key: string | undefined;
  value: string;
}

/** The cookie name of a storage key: percent-encoded, parentheses too (RFC 6265 separators). */
export function encodeName(key: string): string {
  return encode(key, key).replace(/\(/g, '%28').replace(/\)/g, '%29');
}

/** A value (or name) percent-encoded; `key` names the cookie in the error. */
export function encode(text: string, key: string): string {
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

/** The key with lone surrogates replaced, fit for a message. */
export function safeKey(key: string): string {
  return key.replace(/[\uD800-\uDFFF]/g, '\uFFFD');
}

export function safeDecode(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

/** Parses a `Cookie` header (or `document.cookie`), in its order. */
export function parseCookies(header: string | null | undefined): ParsedCookie[] {
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

/** The `expires` date for a write at `now`, or `undefined` for a session cookie. */
export function expiryDate(options: ValidCookieOptions, now: number): string | undefined {
  return options.expires === 0 ? undefined : new Date(now + options.expires * DAY_MS).toUTCString();
}

/** The attributes after `name=value`, starting with `; path=`. */
export function cookieAttributes(
  options: ValidCookieOptions,
  expiry: string | undefined,
  secure: boolean,
): string {
  let text = `; path=${options.path}`;
  if (options.domain !== undefined) text += `; domain=${options.domain}`;
  if (expiry !== undefined) text += `; expires=${expiry}`;
  if (secure) text += '; secure';
  return `${text}; samesite=${SAME_SITE[options.sameSite]}`;
}

/** A `name=value` pair for `key`, refused when over {@link MAX_COOKIE_BYTES}. */
export function cookiePair(key: string, value: string): string {
  if (key === '') {
    throw new CognitoError('StorageException', 'A cookie needs a non-empty key', { retryable: false });
  }
  const pair = `${encodeName(key)}=${encode(value, key)}`;
  // Percent-encoding leaves only ASCII, so characters are bytes.
  if (pair.length > MAX_COOKIE_BYTES) {
    throw new CognitoError(
      'StorageException',
      `Cookie "${key}" would be ${pair.length} bytes, over the browser limit of ${MAX_COOKIE_BYTES} bytes for name and value; use another storage for this session`,
      { retryable: false },
    );
  }
  return pair;
}

/**
 * Validates cookie options and applies the defaults.
 * @throws {@link CognitoError} `InvalidParameterException` for an unknown option or a bad value.
 */
export function validateCookieOptions(
  options: CookieStorageOptions,
  extra: readonly string[] = [],
): ValidCookieOptions {
  if (typeof options !== 'object' || options === null)
    throw invalidParameter('cookieStorage options must be an object');
  for (const name of Object.keys(options)) {
    if (!OPTION_NAMES.has(name) && !extra.includes(name))
      throw invalidParameter(`Unknown cookieStorage option "${name}"`);
  }
  const { path = '/', domain, sameSite = 'lax', expires = DEFAULT_EXPIRES_DAYS, secure } = options;
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

/**
 * Every Domain a cookie visible on `hostname` can have: none (host-only, `undefined`), the host
 * itself and each parent domain. An IP address has no parents.
 */
export function cookieDomains(hostname: string): (string | undefined)[] {
  const domains: (string | undefined)[] = [undefined];
  if (hostname === '') return domains;
  if (/^[\d.]+$/.test(hostname) || hostname.startsWith('[')) return [undefined, hostname];
  const labels = hostname.split('.');
  for (let i = 0; i < labels.length; i++) domains.push(labels.slice(i).join('.'));
  return domains;
}

/**
 * Every Path a cookie visible on `pathname` can have (RFC 6265 path-match): `/`, and each prefix
 * ending before or at a `/`, and the path itself.
 */
export function cookiePaths(pathname: string): string[] {
  const paths = new Set<string>(['/']);
  const path = pathname.startsWith('/') ? pathname : '/';
  for (let i = 1; i < path.length; i++) {
    if (path[i] === '/') {
      paths.add(path.slice(0, i));
      paths.add(path.slice(0, i + 1));
    }
  }
  paths.add(path);
  // A path that would end the attribute early cannot be named in a Set-Cookie string.
  return [...paths].filter((candidate) => !/[;,\s]/.test(candidate));
}

// The pure, DOM-free half of cookie storage: how a key becomes a cookie name, how a value is
// encoded and decoded, how a Cookie header is parsed, how attributes are written and how options
// are checked. Shared by the browser's cookieStorage (storage/cookie.ts) and the server's
// requestCookieStorage (storage/request-cookie.ts), so a session written on one side is read on
// the other byte for byte.
import { CognitoError, invalidParameter } from '../errors.js';

/** Browsers keep at most this many bytes of a cookie's `name=value` (RFC 6265bis, section 5.6). */
export const MAX_COOKIE_BYTES = 4096;
export const DAY_MS = 86_400_000;
/** An `Expires` in the past: the browser drops the cookie. */
export const EXPIRED = 'Thu, 01 Jan 1970 00:00:00 GMT';
/**
 * Default lifetime in days: Cognito's default refresh-token validity. A cookie that outlives the
 * refresh token only keeps a dead session on the device. (The refresh token's real lifetime is an
 * app-client setting that appears in no token, so a storage cannot learn it.)
 */
export const DEFAULT_EXPIRES_DAYS = 30;
export const SAME_SITE = { strict: 'Strict', lax: 'Lax', none: 'None' } as const;
const OPTION_NAMES: readonly string[] = ['domain', 'path', 'secure', 'sameSite', 'expires'];

/** Options of {@link cookieStorage}. */
export interface CookieStorageOptions {
  /**
   * The cookie's `Domain`; set it (for example `'example.com'`) to share the session with
   * subdomains. When you migrate, use the value your previous set-up used (docs/storage.md).
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

/** A cookie as read from a `Cookie` header or `document.cookie`. */
export interface ParsedCookie {
  /** The name as it appears in the header. */
  name: string;
  /** The decoded name, or `undefined` when it is not valid percent-encoding. */
  key: string | undefined;
  value: string;
}

/** Options after validation, defaults applied. */
export interface ValidCookieOptions {
  path: string;
  domain: string | undefined;
  sameSite: keyof typeof SAME_SITE;
  expires: number;
  /** `undefined`: the adapter decides (the browser's looks at the page's URL). */
  secure: boolean | undefined;
}

/** What {@link cookieAttributes} writes after `name=value`. */
export interface CookieAttributes {
  path: string;
  domain: string | undefined;
  /** An HTTP date, or `undefined` for a session cookie. */
  expiry: string | undefined;
  secure: boolean;
  sameSite: keyof typeof SAME_SITE;
  httpOnly?: boolean;
}

/** Parses a `Cookie` header (or `document.cookie`), in order; cookies without a name are skipped. */
export function parseCookies(header: string): ParsedCookie[] {
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

/** The attributes after `name=value`, identical for the browser's and the server's cookies. */
export function cookieAttributes(attributes: CookieAttributes): string {
  let text = `; path=${attributes.path}`;
  if (attributes.domain !== undefined) text += `; domain=${attributes.domain}`;
  if (attributes.expiry !== undefined) text += `; expires=${attributes.expiry}`;
  if (attributes.secure) text += '; secure';
  if (attributes.httpOnly) text += '; httponly';
  return `${text}; samesite=${SAME_SITE[attributes.sameSite]}`;
}

/** The `Expires` date of a cookie written now, or `undefined` for a session cookie (`expires: 0`). */
export function expiryDate(expiresDays: number, nowMs: number): string | undefined {
  return expiresDays === 0 ? undefined : new Date(nowMs + expiresDays * DAY_MS).toUTCString();
}

/** `name=value` for `key`, refused when over the browser's limit (the message names the key only). */
export function cookiePair(key: string, value: string): { name: string; pair: string } {
  if (key === '')
    throw new CognitoError('StorageException', 'A cookie needs a non-empty key', { retryable: false });
  const name = encodeName(key);
  const pair = `${name}=${encodeCookie(value, key)}`;
  // Percent-encoding leaves only ASCII, so characters are bytes.
  const bytes = pair.length;
  if (bytes > MAX_COOKIE_BYTES) {
    throw new CognitoError(
      'StorageException',
      `Cookie "${safeKey(key)}" would be ${bytes} bytes, over the browser limit of ${MAX_COOKIE_BYTES} bytes for name and value; use another storage for this session`,
      { retryable: false },
    );
  }
  return { name, pair };
}

/** The cookie name of a storage key. */
export function encodeName(key: string): string {
  // Parentheses are separators in RFC 6265 cookie names.
  return encodeCookie(key, key).replace(/\(/g, '%28').replace(/\)/g, '%29');
}

/** Percent-encodes a cookie name or value. */
export function encodeCookie(text: string, key: string): string {
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

/** A key fit for an error message (lone surrogates replaced). */
export function safeKey(key: string): string {
  return key.replace(/[\uD800-\uDFFF]/g, '\uFFFD');
}

/** `decodeURIComponent`, or `undefined` for malformed percent-encoding. */
export function safeDecode(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

/**
 * Checks cookie options and applies the defaults. `extra` names the adapter's own options
 * (checked by the adapter); `label` names the adapter in messages.
 * @throws CognitoError `InvalidParameterException`.
 */
export function validateCookieOptions(
  options: CookieStorageOptions,
  label = 'cookieStorage',
  extra: readonly string[] = [],
): ValidCookieOptions {
  if (typeof options !== 'object' || options === null)
    throw invalidParameter(`${label} options must be an object`);
  for (const name of Object.keys(options)) {
    if (!OPTION_NAMES.includes(name) && !extra.includes(name))
      throw invalidParameter(`Unknown ${label} option "${name}"`);
  }
  const { path = '/', domain, sameSite = 'lax', expires = DEFAULT_EXPIRES_DAYS, secure } = options;
  if (typeof path !== 'string' || !path.startsWith('/') || /[;,\s]/.test(path)) {
    throw invalidParameter(`${label} path must start with "/" and contain no ";", "," or whitespace`);
  }
  if (domain !== undefined && (typeof domain !== 'string' || domain === '' || /[;,\s]/.test(domain))) {
    throw invalidParameter(`${label} domain must be a non-empty host name`);
  }
  if (typeof sameSite !== 'string' || !Object.hasOwn(SAME_SITE, sameSite)) {
    throw invalidParameter(`${label} sameSite must be "strict", "lax" or "none"`);
  }
  if (typeof expires !== 'number' || !Number.isFinite(expires) || expires < 0) {
    throw invalidParameter(`${label} expires must be a non-negative number of days`);
  }
  if (secure !== undefined && typeof secure !== 'boolean')
    throw invalidParameter(`${label} secure must be a boolean`);
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
 * Every Path a cookie visible on `pathname` can have (RFC 6265 path-match): `/`, each prefix
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

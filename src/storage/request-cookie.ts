// Cookie storage for one server request: reads the request's Cookie header, answers Set-Cookie
// headers. No DOM and no `node:` import, so it runs in Node, Deno, Bun and edge workers. Names,
// encodings and attributes come from cookie-format.ts, shared with the browser's cookieStorage.
import { invalidParameter } from '../errors.js';
import {
  type CookieStorageOptions,
  cookieAttributes,
  cookiePair,
  EXPIRED,
  expiryDate,
  parseCookies,
  validateCookieOptions,
} from './cookie-format.js';
import type { TokenStorage } from './types.js';

/** Options of {@link requestCookieStorage}. */
export interface RequestCookieStorageOptions extends CookieStorageOptions {
  /**
   * The request's `Cookie` header (`request.headers.get('cookie')` in a Fetch handler,
   * `req.headers.cookie` in Express); `null` or `undefined` when the request has none.
   */
  cookies: string | null | undefined;
  /**
   * Called with each `Set-Cookie` header to send back, in order: `(h) => headers.append('Set-Cookie', h)`
   * in a Fetch handler, `(h) => res.append('Set-Cookie', h)` in Express.
   */
  setCookie: (header: string) => void;
  /**
   * Mark the cookies `HttpOnly`, so the page's JavaScript cannot read them (server-only sessions:
   * sign-in, refresh and sign-out happen on the server). A browser-side `cookieStorage` then sees
   * no session.
   * @defaultValue `false`
   */
  httpOnly?: boolean;
  /**
   * Send the cookie over HTTPS only. Forced to `true` when `sameSite` is `'none'`. Unlike the
   * browser's adapter the server cannot see the page's URL: pass `false` for plain-http development
   * servers other than `localhost` (browsers accept Secure cookies from `http://localhost`).
   * @defaultValue `true`
   */
  secure?: boolean;
}

const OWN_OPTIONS = ['cookies', 'setCookie', 'httpOnly'] as const;

/**
 * Creates a {@link TokenStorage} over one server request's cookies: it reads the request's
 * `Cookie` header and sends `Set-Cookie` headers with the same names, encodings and attributes
 * as the browser's {@link cookieStorage} with the same options, so a session signed in on either
 * side is read on the other.
 *
 * Create one per request (with one client per request: both are cheap). A write is visible to
 * later reads of the same request. A cookie whose `name=value` would exceed 4,096 bytes is refused
 * rather than sent and silently dropped by the browser. Removing a key expires its cookie with
 * the same `Path` and `Domain`, so the browser really drops it. Only the adapter's own cookies are
 * touched. While the request carries two different values for one key (a same-named cookie set
 * for a parent domain by a sibling subdomain, or for another path), `getItem` answers `null`
 * (signed out), as the browser's {@link cookieStorage} does: which one is ours cannot be told. No DOM and no Node API: Node, Deno, Bun and edge workers.
 *
 * Server code must still verify the tokens (for example with aws-jwt-verify) before trusting a
 * claim: a cookie is whatever the browser sent.
 *
 * @param options - The request's `Cookie` header, where `Set-Cookie` headers go, and the cookie
 * attributes of {@link cookieStorage} plus `httpOnly`.
 * @returns A synchronous token store over the request's cookies.
 * @throws {@link CognitoError} `InvalidParameterException` at once for an unknown option, a missing
 * `setCookie`, or a bad cookie attribute (as {@link cookieStorage}). `StorageException` from
 * `setItem` when the cookie would be too large or cannot be encoded; the message names the key,
 * never the value.
 *
 * @example
 * ```ts
 * import { CognitoClient, requestCookieStorage } from 'cognito-kit/server';
 *
 * export async function GET(request: Request): Promise<Response> {
 *   const headers = new Headers();
 *   const storage = requestCookieStorage({
 *     cookies: request.headers.get('cookie'),
 *     setCookie: (header) => headers.append('Set-Cookie', header),
 *   });
 *   const client = new CognitoClient({ userPoolId, clientId, storage });
 *   const session = await client.getSession(); // refreshed when due; new cookies go in `headers`
 *   return new Response(session ? 'signed in' : 'signed out', { headers });
 * }
 * ```
 */
export function requestCookieStorage(options: RequestCookieStorageOptions): TokenStorage {
  const valid = validateCookieOptions(options, 'requestCookieStorage', OWN_OPTIONS);
  const { cookies, setCookie, httpOnly = false } = options;
  if (cookies !== null && cookies !== undefined && typeof cookies !== 'string')
    throw invalidParameter('requestCookieStorage cookies must be the Cookie header (a string) or null');
  if (typeof setCookie !== 'function')
    throw invalidParameter('requestCookieStorage setCookie must be a function');
  if (typeof httpOnly !== 'boolean')
    throw invalidParameter('requestCookieStorage httpOnly must be a boolean');
  const { path, domain, sameSite, expires } = valid;
  const secure = valid.secure ?? true;
  const attributes = (expiry: string | undefined): string =>
    cookieAttributes({ path, domain, expiry, secure, sameSite, httpOnly });

  // The request's view, kept up to date by this adapter's own writes: key → cookie names and value.
  const view = new Map<string, { names: Set<string>; value: string | null }>();
  for (const cookie of parseCookies(cookies ?? '')) {
    if (cookie.key === undefined) continue;
    const entry = view.get(cookie.key);
    if (!entry) view.set(cookie.key, { names: new Set([cookie.name]), value: cookie.value });
    else {
      entry.names.add(cookie.name);
      // Two values for one key: one was set by someone else (a sibling subdomain's cookie for the
      // parent domain, another path, another library's name encoding). A Cookie header does not
      // say which is ours, so neither is trusted, as in the browser's cookieStorage: a planted
      // cookie can sign the request out, never in as someone else.
      if (entry.value !== cookie.value) entry.value = null;
    }
  }
  const expire = (name: string): void => setCookie(`${name}=${attributes(EXPIRED)}`);

  return {
    getItem(key) {
      return view.get(key)?.value ?? null;
    },
    setItem(key, value) {
      const { name, pair } = cookiePair(key, value);
      setCookie(pair + attributes(expiryDate(expires, Date.now())));
      // The same key under another name encoding (js-cookie's) would shadow the new value.
      for (const other of view.get(key)?.names ?? []) if (other !== name) expire(other);
      view.set(key, { names: new Set([name]), value });
    },
    removeItem(key) {
      const entry = view.get(key);
      // A cookie the request did not carry and this adapter did not write is not there to remove.
      if (!entry) return;
      for (const name of entry.names) expire(name);
      view.delete(key);
    },
  };
}

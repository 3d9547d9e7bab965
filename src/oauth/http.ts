// The hosted UI's HTTP: form POSTs to /oauth2/token and /oauth2/revoke, and the JWKS GET. Built
// on the transport's one request path (timeouts, retries, response cap, error mapping and
// redaction), here rather than in the transport so that apps without the hosted UI do not ship it.
import type { ClientCore } from '../internal/core.js';
import type { SendOptions } from '../internal/http.js';

/**
 * POSTs an `application/x-www-form-urlencoded` body to `url` and resolves with the JSON answer
 * (`{}` for an empty 200). `{ error, error_description }` becomes a CognitoError with `error` as
 * its code. Every value sent is treated as a secret. A confidential client authenticates with
 * client_secret_basic (RFC 6749 2.3.1: each part form-encoded, then Base64).
 */
export async function sendForm<T>(
  core: ClientCore,
  label: string,
  url: string,
  form: Record<string, string>,
  options: SendOptions = {},
): Promise<T> {
  const extra = Object.values(form);
  const headers: Record<string, string> = { 'Content-Type': 'application/x-www-form-urlencoded' };
  const { clientSecret } = core.options;
  if (clientSecret && form.client_id !== undefined) {
    const basic = btoa(`${encodeURIComponent(form.client_id)}:${encodeURIComponent(clientSecret.secret)}`);
    headers.Authorization = `Basic ${basic}`;
    extra.push(basic);
  }
  const init = { method: 'POST', headers, body: new URLSearchParams(form).toString() };
  return (await core.transport.request(label, url, init, { body: undefined, extra }, options, true)) as T;
}

/** GETs a JSON object from `url` (the pool's JWKS). */
export async function getJson<T>(core: ClientCore, label: string, url: string): Promise<T> {
  return (await core.transport.request(label, url, { method: 'GET' }, { body: undefined, extra: [] })) as T;
}

// Redaction of request secrets from anything a server sends back (an error message, an error code).
// Transport-neutral: the JSON transport uses it today; a form POST (OAuth token endpoint) or another
// JSON API (identity pools) collects its request's secrets the same way and redacts with the same
// function.

/** What replaces a secret in a message. */
export const REDACTED = '[redacted]';

/** Secrets shorter than this many characters (code points) are not searched for (too many false hits); see {@link RequestSecrets.hasShort}. */
export const MIN_SECRET_LENGTH = 4;

/** Request fields whose string values are secrets. */
const SECRET_FIELD = /password|token|code|session|secret|signature|srp_a|answer|assertion|credential/i;
/**
 * Containers whose every member but the username is secret: NEW_PASSWORD, ANSWER, SECRET_HASH…, an
 * identity pool's `Logins`, which holds the ID token under the provider's name, and a WebAuthn
 * `Credential` (CompleteWebAuthnRegistration), secret throughout, nested objects included.
 */
const SECRET_CONTAINER = /^(ChallengeResponses|AuthParameters|Logins|Credential|secret)$/;

/**
 * An AWS exception name as Cognito sends it (`NotAuthorizedException`, `ServiceUnavailable`):
 * an ASCII letter first, then letters and digits, at most 100 characters.
 */
const EXCEPTION_NAME = /^[A-Z][A-Za-z0-9]{2,99}$/;

/** The secrets a request carried. */
export interface RequestSecrets {
  /** Secrets of at least {@link MIN_SECRET_LENGTH} characters, redacted wherever they appear. */
  readonly values: readonly string[];
  /** The request carried a non-empty secret shorter than {@link MIN_SECRET_LENGTH} characters. */
  readonly hasShort: boolean;
  /** Those short secrets, to refuse an error code that equals one. */
  readonly short: readonly string[];
}

/**
 * Collects the secrets of a request body: string values under a secret-looking name, and every
 * member of `ChallengeResponses`/`AuthParameters` but `USERNAME`. `extra` adds secrets the body does
 * not hold (a client secret sent in an `Authorization` header).
 */
export function collectSecrets(body: unknown, extra: readonly string[] = []): RequestSecrets {
  const found: string[] = [...extra];
  walk(body, '', found);
  const values = new Set<string>();
  const short = new Set<string>();
  for (const secret of found) {
    if (secret === '') continue;
    (isShort(secret) ? short : values).add(secret);
  }
  return { values: [...values], hasShort: short.size > 0, short: [...short] };
}

function walk(value: unknown, key: string, into: string[]): void {
  if (typeof value === 'string') {
    if (SECRET_FIELD.test(key)) into.push(value);
  } else if (value !== null && typeof value === 'object') {
    const container = SECRET_CONTAINER.test(key);
    for (const [childKey, child] of Object.entries(value)) {
      walk(child, container && childKey !== 'USERNAME' ? 'secret' : childKey, into);
    }
  }
}

/**
 * The forms of `secret` that are searched for, case-insensitively: the secret itself, its JSON
 * string escaping (also with `\/` and `\uXXXX` for every non-ASCII character), its percent-encoding
 * (`encodeURIComponent`, form encoding with `+`, every byte escaped), those nested two deep, and its
 * UTF-8 bytes in base64 and base64url at each of the three byte alignments inside a longer text;
 * all of these also for the secret upper-cased and lower-cased.
 */
export function secretForms(secret: string): string[] {
  const forms = new Set<string>();
  // A case-insensitive pattern folds case by Unicode's simple folding, which leaves some letters
  // alone that upper-casing changes (dotless ı upper-cases to I, but I folds to i): a server that
  // upper- or lower-cases the value echoes a form the secret's own pattern does not match.
  for (const variant of new Set([secret, secret.toUpperCase(), secret.toLowerCase()])) {
    addForms(variant, forms);
  }
  return [...forms].filter((form) => form.length > 0);
}

function addForms(secret: string, forms: Set<string>): void {
  forms.add(secret);
  const textual = [
    jsonEscape,
    jsonEscapeSlash,
    jsonEscapeNonAscii,
    jsonEscapeAll,
    uriEncode,
    formEncode,
    percentEncodeAll,
  ];
  for (const first of textual) {
    const once = first(secret);
    if (once === undefined) continue;
    forms.add(once);
    for (const second of textual) {
      const twice = second(once);
      if (twice !== undefined) forms.add(twice);
    }
  }
  for (const core of base64Cores(secret)) {
    forms.add(core);
    forms.add(core.replace(/\+/g, '-').replace(/\//g, '_'));
  }
}

/**
 * Replaces every form of every secret in `message` (see {@link secretForms}) with `[redacted]`.
 * Overlapping hits are merged first, so that no part of a secret survives between two redactions.
 */
export function redact(message: string, secrets: RequestSecrets | readonly string[]): string {
  const values = isSecretList(secrets) ? secrets : secrets.values;
  const hits: [number, number][] = [];
  for (const secret of values) {
    if (isShort(secret)) continue;
    for (const form of secretForms(secret)) {
      const pattern = new RegExp(escapeRegExp(form), 'giu');
      for (let match = pattern.exec(message); match !== null; match = pattern.exec(message)) {
        hits.push([match.index, match.index + match[0].length]);
        // One character on (a surrogate pair is one), to find overlapping hits too.
        pattern.lastIndex = match.index + ((message.codePointAt(match.index) ?? 0) > 0xffff ? 2 : 1);
      }
    }
  }
  if (hits.length === 0) return message;
  hits.sort((a, b) => a[0] - b[0]);
  let result = '';
  let cursor = 0;
  for (let i = 0; i < hits.length; ) {
    const [from, firstEnd] = hits[i] as [number, number];
    let to = firstEnd;
    // Overlapping or touching hits become one redaction.
    for (i++; i < hits.length && (hits[i] as [number, number])[0] <= to; i++) {
      to = Math.max(to, (hits[i] as [number, number])[1]);
    }
    result += message.slice(cursor, from) + REDACTED;
    cursor = to;
  }
  return result + message.slice(cursor);
}

/**
 * The error code to report for a server's error name, or `undefined` when it is not an exception
 * name or carries a secret of the request (then the answer counts as unexpected).
 */
export function acceptErrorCode(name: string | undefined, secrets: RequestSecrets): string | undefined {
  if (name === undefined || !EXCEPTION_NAME.test(name)) return undefined;
  if (redact(name, secrets) !== name) return undefined;
  return secrets.short.some((secret) => sameCaseless(secret, name)) ? undefined : name;
}

/** An RFC 6749 error code (`invalid_grant`) that carries no secret of the request, or `undefined`. */
export function acceptOAuthErrorCode(name: string, secrets: RequestSecrets): string | undefined {
  if (!/^[a-z][a-z0-9_]{2,63}$/.test(name) || redact(name, secrets) !== name) return undefined;
  return secrets.short.some((secret) => sameCaseless(secret, name)) ? undefined : name;
}

/** Equal but for case, either way round (the dotless ı equals I only upper-cased; see {@link secretForms}). */
function sameCaseless(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase() || a.toUpperCase() === b.toUpperCase();
}

/**
 * The message to report: the server's text with the request's secrets redacted, or the code when
 * there is no text or the request carried a secret too short to be searched for reliably.
 */
export function safeMessage(text: unknown, code: string, secrets: RequestSecrets): string {
  if (typeof text !== 'string' || text === '' || secrets.hasShort) return code;
  return redact(text, secrets);
}

/** Shorter than {@link MIN_SECRET_LENGTH} characters (code points, not UTF-16 units). */
function isShort(secret: string): boolean {
  return [...secret].length < MIN_SECRET_LENGTH;
}

function isSecretList(value: RequestSecrets | readonly string[]): value is readonly string[] {
  return Array.isArray(value);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function jsonEscape(text: string): string {
  return JSON.stringify(text).slice(1, -1);
}

/** JSON escaping as some encoders do it: `\/` for a slash. */
function jsonEscapeSlash(text: string): string {
  return jsonEscape(text).replace(/\//g, '\\/');
}

/** JSON escaping as some encoders do it: `\uXXXX` for everything outside printable ASCII. */
function jsonEscapeNonAscii(text: string): string {
  return jsonEscape(text).replace(
    /[^\x20-\x7e]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** Both of the above. */
function jsonEscapeAll(text: string): string {
  return jsonEscapeNonAscii(text).replace(/\//g, '\\/');
}

function uriEncode(text: string): string | undefined {
  try {
    return encodeURIComponent(text);
  } catch {
    // A lone surrogate has no UTF-8 form: nobody can have sent it percent-encoded.
    return undefined;
  }
}

function formEncode(text: string): string {
  return new URLSearchParams({ v: text }).toString().slice(2);
}

/** Every UTF-8 byte as `%XX`. */
function percentEncodeAll(text: string): string {
  let out = '';
  for (const byte of new TextEncoder().encode(text)) out += `%${byte.toString(16).padStart(2, '0')}`;
  return out;
}

/**
 * The base64 characters that depend only on the secret's bytes, for the secret starting at byte
 * offset 0, 1 and 2 of a 3-byte group: what any base64 text that contains the secret contains.
 */
function base64Cores(secret: string): string[] {
  const bytes = new TextEncoder().encode(secret);
  const cores: string[] = [];
  for (let offset = 0; offset < 3; offset++) {
    const padded = new Uint8Array(offset + bytes.length);
    padded.set(bytes, offset);
    const encoded = toBase64(padded).replace(/=+$/, '');
    // Characters whose 6 bits straddle the prefix, or the bytes after the secret, are left out.
    const first = Math.ceil((offset * 8) / 6);
    const last = Math.floor((padded.length * 8) / 6);
    if (last - first >= MIN_SECRET_LENGTH) cores.push(encoded.slice(first, last));
  }
  // The whole encoding with its padding, for a secret encoded alone.
  cores.push(toBase64(bytes));
  return cores;
}

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/**
 * An error answer's code and message, redacted: the hosted UI's RFC 6749 `{ error,
 * error_description }`, or Cognito's `__type` (or `x-amzn-errortype`) and `message`. A string
 * describes an answer that carries no valid code.
 */
export function readErrorAnswer(
  body: Record<string, unknown>,
  typeHeader: string | null,
  secrets: RequestSecrets,
): { code: string; message: string } | string {
  if (typeof body.error === 'string' && body.error.trim() !== '' && body.__type === undefined) {
    const code = acceptOAuthErrorCode(body.error, secrets);
    return code
      ? { code, message: safeMessage(body.error_description, code, secrets) }
      : 'an OAuth error without a valid error code';
  }
  const rawType = typeof body.__type === 'string' ? body.__type : typeHeader?.split(':')[0];
  // Only an exception name that carries no secret of the request is a code; anything else (a blank,
  // a sentence, an echoed password) makes the answer unexpected.
  const code = acceptErrorCode(rawType?.split('#').pop()?.trim(), secrets);
  if (!code) return 'an error without a valid exception name';
  const rawMessage = typeof body.message === 'string' ? body.message : body.Message;
  return { code, message: safeMessage(rawMessage, code, secrets) };
}

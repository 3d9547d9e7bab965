import { version } from '../../package.json';
import { CognitoError } from '../errors.js';
import type { ClientSecret } from './client-secret.js';

/** How a {@link Transport} reaches Cognito. */
export interface TransportOptions {
  endpoint: string;
  timeoutMs: number;
  /** Attempts in all, for retryable failures (1 = no retry). */
  maxAttempts: number;
  /** First backoff step; each retry waits up to twice as long as the one before, jittered. */
  retryBaseDelayMs: number;
  /** A confidential app client's secret: SECRET_HASH or ClientSecret goes on every request that needs it. */
  clientSecret?: ClientSecret | undefined;
  /**
   * Prefix of the `X-Amz-Target` header: the user-pool service's unless set (the identity-pool
   * service is `AWSCognitoIdentityService.`).
   */
  targetPrefix?: string;
}

/** Per-request options. */
export interface SendOptions {
  /** `false` sends exactly once, whatever fails. */
  retry?: boolean;
  /**
   * `true` for a request that spends something when it arrives (a password attempt, an SMS) even if
   * the operation is not once-only by name: retried only when Cognito said it throttled it.
   */
  onceOnly?: boolean;
  /**
   * The canonical username a REFRESH_TOKEN_AUTH's SECRET_HASH is keyed by (its AuthParameters
   * carry no USERNAME); used only by a client with a secret.
   */
  secretHashUsername?: string;
}

const USER_POOL_TARGET_PREFIX = 'AWSCognitoIdentityProviderService.';
const USER_AGENT = `cognito-kit/${version}`;
// Request fields whose values are secrets: they are redacted from anything Cognito echoes back.
const SECRET_FIELD = /password|token|code|session|secret|signature|srp_a|answer/i;

function collectSecrets(value: unknown, key: string, into: string[]): void {
  if (typeof value === 'string') {
    if (SECRET_FIELD.test(key) && value.length >= 4) into.push(value);
  } else if (value !== null && typeof value === 'object') {
    // ChallengeResponses / AuthParameters hold secrets under names like NEW_PASSWORD or ANSWER, and
    // an identity pool's Logins the ID token under the provider's name: everything in them but the
    // username is treated as secret. A WebAuthn Credential (CompleteWebAuthnRegistration) is secret
    // throughout, nested objects included.
    const secretContainer =
      key === 'secret' || /ChallengeResponses|AuthParameters|Logins|^Credential$/.test(key);
    for (const [childKey, child] of Object.entries(value)) {
      collectSecrets(child, secretContainer && childKey !== 'USERNAME' ? 'secret' : childKey, into);
    }
  }
}

/** Removes every secret sent in the request from a message Cognito sent back. */
function redact(message: string, secrets: readonly string[]): string {
  let result = message;
  // Longest first: a secret containing another must not be cut in two and leak its tail.
  for (const secret of [...secrets].sort((a, b) => b.length - a.length))
    result = result.split(secret).join('[redacted]');
  return result;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function errorFromResponse(status: number, headers: Headers, text: string, secrets: string[]): CognitoError {
  const body = parseJson(text) as
    | { __type?: unknown; message?: unknown; Message?: unknown; error?: unknown; error_description?: unknown }
    | undefined;
  // The hosted UI's OAuth endpoints answer RFC 6749 errors: { error, error_description }.
  if (body && typeof body.error === 'string' && body.error.trim() !== '' && body.__type === undefined) {
    const description =
      typeof body.error_description === 'string' && body.error_description !== ''
        ? redact(body.error_description, secrets)
        : body.error;
    return new CognitoError(body.error, description, { status });
  }
  const typeHeader = headers.get('x-amzn-errortype')?.split(':')[0];
  const rawType = typeof body?.__type === 'string' ? body.__type : typeHeader;
  // A blank name (' ', 'a#') is no name: such an answer is reported as unexpected.
  const code = rawType?.split('#').pop()?.trim() || undefined;
  if (!body || typeof body !== 'object' || !code) {
    const kind =
      text.trim() === ''
        ? 'an empty body'
        : `a non-JSON body (${headers.get('content-type') ?? 'no content type'})`;
    return new CognitoError('UnexpectedResponseException', `Cognito answered HTTP ${status} with ${kind}`, {
      status,
    });
  }
  const rawMessage = typeof body.message === 'string' ? body.message : body.Message;
  const message = typeof rawMessage === 'string' && rawMessage !== '' ? redact(rawMessage, secrets) : code;
  return new CognitoError(code, message, { status });
}

/**
 * Operations that spend a one-time value (a challenge session, a code), send the user a code (an
 * SMS costs the pool's owner money; two codes confuse the user), or cannot be repeated once done.
 * After a timeout or a dropped connection the first attempt may have reached Cognito, and a retry
 * would send a second code or turn a success into a misleading error (an answered challenge's
 * session is spent, a signed-up user exists), so they are retried only when Cognito said it
 * throttled them (a throttled request was not carried out).
 */
const ONCE_ONLY: ReadonlySet<string> = new Set([
  'SignUp',
  'ConfirmSignUp',
  'RespondToAuthChallenge',
  'VerifySoftwareToken',
  'VerifyUserAttribute',
  'ChangePassword',
  'ConfirmForgotPassword',
  'DeleteUser',
  'CompleteWebAuthnRegistration',
  // They send a code.
  'ForgotPassword',
  'ResendConfirmationCode',
  'GetUserAttributeVerificationCode',
  'UpdateUserAttributes',
]);

function isThrottling(error: CognitoError): boolean {
  return (
    error.status === 429 || error.code === 'TooManyRequestsException' || error.code === 'ThrottlingException'
  );
}

/**
 * The transport's own immediate-retry set: failures that usually clear within a second (network,
 * timeout, Cognito's 5xx, throttling with backoff). Narrower than {@link CognitoError.retryable},
 * which tells the caller it may try again *later*: `LimitExceededException` (too many attempts
 * for this user) is retryable later but rarely clears within milliseconds, so it is not retried here.
 */
function retriesAtOnce(error: CognitoError): boolean {
  if (isThrottling(error)) return true;
  if (error.code === 'NetworkError' || error.code === 'TimeoutError') return true;
  if (error.code === 'InternalErrorException' || error.code === 'ServiceUnavailable') return true;
  return error.status === 502 || error.status === 503 || error.status === 504;
}

function sleep(ms: number): Promise<void> {
  return ms <= 0 ? Promise.resolve() : new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Sends Cognito's JSON-protocol requests: one place for timeouts, retries and error mapping, so
 * that no library path with its own retry loop or error shapes is ever involved.
 */
export class Transport {
  readonly #options: TransportOptions;
  /** The endpoint's host (no path, no query: nothing that could carry a secret), named in network errors. */
  readonly #host: string;

  constructor(options: TransportOptions) {
    this.#options = options;
    this.#host = new URL(options.endpoint).host;
  }

  /** A transport with the same timeouts and retries to another service (the identity pool's). */
  to(endpoint: string, targetPrefix: string): Transport {
    // Another service: the user pool's client secret never goes there.
    return new Transport({ ...this.#options, endpoint, targetPrefix, clientSecret: undefined });
  }

  /**
   * Sends `operation` with `body` and resolves with Cognito's JSON answer.
   * @throws {@link CognitoError} with Cognito's code, or NetworkError, TimeoutError,
   * UnexpectedResponseException.
   */
  async send<T>(operation: string, body: Record<string, unknown>, options: SendOptions = {}): Promise<T> {
    const { clientSecret } = this.#options;
    // Only a client with a secret loads the secret-hash code: browser apps never ship it.
    const payload = clientSecret
      ? await (await import('./secret-hash.js')).withClientSecret(
          clientSecret,
          operation,
          body,
          options.secretHashUsername,
        )
      : body;
    if (!payload) {
      throw new CognitoError(
        'InvalidParameterException',
        `${operation} for a client with a secret needs the username its SECRET_HASH is keyed by`,
        { retryable: false },
      );
    }
    const secrets: string[] = [];
    collectSecrets(payload, '', secrets);
    const init = {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-amz-json-1.1',
        'X-Amz-Target': (this.#options.targetPrefix ?? USER_POOL_TARGET_PREFIX) + operation,
        'X-Amz-User-Agent': USER_AGENT,
      },
      body: JSON.stringify(payload),
    };
    const onceOnly = options.onceOnly === true || ONCE_ONLY.has(operation);
    return (await this.#withRetries(operation, this.#options.endpoint, init, secrets, {
      ...options,
      onceOnly,
    })) as T;
  }

  /**
   * POSTs an `application/x-www-form-urlencoded` body to `url` (the hosted UI's OAuth endpoints:
   * /oauth2/token, /oauth2/revoke) and resolves with the JSON answer (`{}` for an empty 200).
   * Same timeouts, retries, error mapping (`{ error, error_description }` becomes a CognitoError
   * with `error` as its code) and redaction as {@link Transport.send}; every value sent is treated
   * as a secret.
   */
  async sendForm<T>(
    label: string,
    url: string,
    form: Record<string, string>,
    options: SendOptions = {},
  ): Promise<T> {
    const secrets = Object.values(form).filter((value) => value.length >= 4);
    const init = {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
    };
    return (await this.#withRetries(label, url, init, secrets, options, true)) as T;
  }

  async getJson<T>(label: string, url: string): Promise<T> {
    return (await this.#withRetries(label, url, { method: 'GET', headers: {} }, [], {})) as T;
  }

  async #withRetries(
    label: string,
    url: string,
    init: { method: string; headers: Record<string, string>; body?: string },
    secrets: string[],
    options: SendOptions,
    emptyIsOk = false,
  ): Promise<unknown> {
    const attempts = options.retry === false ? 1 : this.#options.maxAttempts;
    // The client secret is never echoed back either.
    if (this.#options.clientSecret) secrets.push(this.#options.clientSecret.secret);
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.#sendOnce(label, url, init, secrets, emptyIsOk);
      } catch (error) {
        if (!(error instanceof CognitoError) || !retriesAtOnce(error) || attempt >= attempts) throw error;
        if (options.onceOnly && !isThrottling(error)) throw error;
        const ceiling = this.#options.retryBaseDelayMs * 2 ** (attempt - 1);
        await sleep(ceiling / 2 + Math.random() * (ceiling / 2));
      }
    }
  }

  async #sendOnce(
    operation: string,
    url: string,
    init: { method: string; headers: Record<string, string>; body?: string },
    secrets: string[],
    emptyIsOk: boolean,
  ): Promise<unknown> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.#options.timeoutMs);
    let response: Response;
    let text: string;
    try {
      response = await fetch(url, { ...init, signal: controller.signal });
      text = await response.text();
    } catch (error) {
      if (controller.signal.aborted) {
        throw new CognitoError(
          'TimeoutError',
          `${operation} got no answer from ${this.#host} within ${this.#options.timeoutMs} ms`,
          { cause: error },
        );
      }
      throw new CognitoError('NetworkError', `${operation} could not reach ${this.#host}`, { cause: error });
    } finally {
      clearTimeout(timer);
    }
    if (!response.ok) throw errorFromResponse(response.status, response.headers, text, secrets);
    if (emptyIsOk && text.trim() === '') return {};
    const parsed = parseJson(text);
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      const kind = text.trim() === '' ? 'an empty body' : 'a body that is not a JSON object';
      throw new CognitoError(
        'UnexpectedResponseException',
        `${operation}: Cognito answered HTTP ${response.status} with ${kind}`,
        {
          status: response.status,
        },
      );
    }
    return parsed;
  }
}

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
/** The most of a response body the transport reads; Cognito's answers are a few kilobytes. */
export const MAX_RESPONSE_BYTES = 1024 * 1024;

/** Where a request's secrets are: its body (collected by redact.ts) and values sent elsewhere. */
export interface SecretSource {
  body: unknown;
  extra: string[];
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * The error for a non-2xx answer. The redaction code loads only here, on the error path: most
 * sessions never see an error answer, and their bundle should not carry it.
 */
async function errorFromResponse(
  status: number,
  headers: Headers,
  text: string,
  source: SecretSource,
): Promise<CognitoError> {
  const body = parseJson(text) as Record<string, unknown> | undefined;
  const unexpected = (kind: string) =>
    new CognitoError('UnexpectedResponseException', `Cognito answered HTTP ${status} with ${kind}`, {
      status,
    });
  if (!body || typeof body !== 'object') {
    return unexpected(
      text.trim() === ''
        ? 'an empty body'
        : `a non-JSON body (${headers.get('content-type') ?? 'no content type'})`,
    );
  }
  let redaction: typeof import('./redact.js');
  try {
    redaction = await import('./redact.js');
  } catch {
    // Without the redaction code nothing of the answer can be shown safely.
    return unexpected('an error that could not be read (the redaction code did not load)');
  }
  const answer = redaction.readErrorAnswer(
    body,
    headers.get('x-amzn-errortype'),
    redaction.collectSecrets(source.body, source.extra),
  );
  return typeof answer === 'string'
    ? unexpected(answer)
    : new CognitoError(answer.code, answer.message, { status });
}

/** Reads at most {@link MAX_RESPONSE_BYTES} of a body; a longer one is cancelled and refused. */
async function readBody(response: Response, operation: string): Promise<string> {
  const tooLarge = () =>
    new CognitoError(
      'UnexpectedResponseException',
      `${operation}: Cognito answered HTTP ${response.status} with a body over ${MAX_RESPONSE_BYTES} bytes`,
      { status: response.status },
    );
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > MAX_RESPONSE_BYTES) {
    await response.body?.cancel().catch(() => undefined);
    throw tooLarge();
  }
  if (response.body === null) return '';
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_RESPONSE_BYTES) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    text += decoder.decode(value, { stream: true });
  }
  return text + decoder.decode();
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
    const secrets: SecretSource = { body: payload, extra: [] };
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
    return (await this.request(operation, this.#options.endpoint, init, secrets, {
      ...options,
      onceOnly,
    })) as T;
  }

  /**
   * Sends one HTTP request to `url` with the transport's timeouts, retries, response cap and error
   * mapping (a Cognito `__type` or an RFC 6749 `{ error, error_description }` becomes a
   * CognitoError with that code), and resolves with the JSON object answered (`{}` for an empty
   * 2xx when `emptyIsOk`). `secrets` names what no error may show. {@link Transport.send} is this
   * with Cognito's JSON protocol; the hosted UI's form POSTs and GETs (src/oauth/http.ts) use it
   * directly, so that an app without the hosted UI does not ship them.
   */
  async request(
    label: string,
    url: string,
    init: RequestInit,
    secrets: SecretSource,
    options: SendOptions = {},
    emptyIsOk = false,
  ): Promise<unknown> {
    const attempts = options.retry === false ? 1 : this.#options.maxAttempts;
    // The client secret is never echoed back either.
    if (this.#options.clientSecret) secrets.extra.push(this.#options.clientSecret.secret);
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
    init: RequestInit,
    secrets: SecretSource,
    emptyIsOk: boolean,
  ): Promise<unknown> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.#options.timeoutMs);
    let response: Response;
    let text: string;
    try {
      response = await fetch(url, { ...init, signal: controller.signal });
      text = await readBody(response, operation);
    } catch (error) {
      if (error instanceof CognitoError) throw error;
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
    if (!response.ok) throw await errorFromResponse(response.status, response.headers, text, secrets);
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

/**
 * Error codes cognito-kit itself produces, plus the Cognito exception names users most often
 * branch on. Any other Cognito exception name is passed through unchanged in
 * {@link CognitoError.code}.
 *
 * cognito-kit's own codes:
 * - `InvalidParameterException`: bad input caught before any request (empty or non-string
 *   username, password or code; an unknown option). Cognito uses the same name for input it rejects.
 * - `NotSignedInException`: the operation needs a signed-in user and there is none.
 * - `NoPendingChallengeException`: `confirmSignIn` with no challenge pending (none started, already
 *   answered, expired or rejected).
 * - `NetworkError`: Cognito could not be reached (DNS, connection refused, offline, CORS). Retryable.
 * - `TimeoutError`: no answer within `requestTimeoutMs`. Retryable.
 * - `UnexpectedResponseException`: an answer that is not Cognito's JSON (an HTML error page from a
 *   proxy, an empty body) or lacks what it must carry.
 * - `StorageException`: the {@link TokenStorage} failed (quota, private mode, file permissions,
 *   cookie too large).
 * - `UnsupportedChallengeException`: a sign-in challenge cognito-kit cannot answer (for example
 *   SMS MFA set-up during sign-in).
 * - `NoDeviceException`: a device operation ({@link CognitoClient.rememberDevice},
 *   {@link CognitoClient.forgetDevice}) on a client that holds no device key.
 *
 * `ConcurrentModificationException` (Cognito's name, reused; retryable): the stored session was
 * replaced twice by other tabs or processes while a refresh of it was being rejected; call again.
 */
export type CognitoErrorCode =
  // ours
  | 'InvalidParameterException'
  | 'NotSignedInException'
  | 'NoPendingChallengeException'
  | 'NetworkError'
  | 'TimeoutError'
  | 'UnexpectedResponseException'
  | 'StorageException'
  | 'UnsupportedChallengeException'
  | 'NoDeviceException'
  // Cognito's, as sent
  | 'NotAuthorizedException'
  | 'UserNotFoundException'
  | 'UserNotConfirmedException'
  | 'UsernameExistsException'
  | 'CodeMismatchException'
  | 'ExpiredCodeException'
  | 'InvalidPasswordException'
  | 'PasswordResetRequiredException'
  | 'LimitExceededException'
  | 'TooManyRequestsException'
  | 'TooManyFailedAttemptsException'
  | 'InternalErrorException'
  | 'ResourceNotFoundException'
  | 'AliasExistsException'
  | 'EnableSoftwareTokenMFAException'
  | 'ConcurrentModificationException'
  // Cognito identity pools', as sent
  | 'ExternalServiceException'
  | 'InvalidIdentityPoolConfigurationException'
  | 'ResourceConflictException';

/** Codes whose failure is transient: the same request may succeed later. */
const RETRYABLE_CODES: ReadonlySet<string> = new Set([
  'NetworkError',
  'TimeoutError',
  'InternalErrorException',
  'TooManyRequestsException',
  'LimitExceededException',
  'ServiceUnavailable',
  'ThrottlingException',
]);

// Shared by every copy of this module (ESM and CJS builds loaded side by side, two bundles on a
// page), so `instanceof CognitoError` and isCognitoError() hold across them.
const BRAND = Symbol.for('cognito-kit.CognitoError');

// Throttled, bad gateway, unavailable, gateway timeout: the request may work later. A bare 500
// is retryable only as Cognito's InternalErrorException (an emulator's "Unsupported" 500 is not).
const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 502, 503, 504]);

/** Options for constructing a {@link CognitoError}. */
export interface CognitoErrorOptions {
  /** HTTP status of Cognito's answer, where there was one. */
  status?: number | undefined;
  /** Overrides the retryability derived from `code` and `status`. */
  retryable?: boolean | undefined;
  /** The original error or response body. */
  cause?: unknown;
}

/**
 * The one error type every cognito-kit promise rejects with.
 *
 * `code` is Cognito's exception name as Cognito sent it (for example `'NotAuthorizedException'`)
 * or one of cognito-kit's own codes ({@link CognitoErrorCode}). Messages never contain a password,
 * a code or a token.
 *
 * @example
 * ```ts
 * try {
 *   await client.signIn({ username, password });
 * } catch (error) {
 *   if (isCognitoError(error, 'NotAuthorizedException')) showWrongPassword();
 *   else if (isCognitoError(error) && error.retryable) showTryAgain();
 *   else throw error;
 * }
 * ```
 */
export class CognitoError extends Error {
  /** Always `'CognitoError'` (so logs and `String(error)` show what it is); branch on {@link CognitoError.code}. */
  override name = 'CognitoError' as const;
  /** Cognito's exception name, or one of cognito-kit's own codes. */
  readonly code: CognitoErrorCode | (string & {});
  /** HTTP status of Cognito's answer, where there was one. */
  readonly status?: number;
  /** `true` when the same call may succeed if tried again later (network, timeout, throttling, 502–504, InternalErrorException). */
  readonly retryable: boolean;

  /**
   * @param code - Cognito's exception name or one of ours.
   * @param message - A human-readable message free of secrets.
   * @param options - Status, retryability and cause.
   */
  constructor(code: CognitoErrorCode | (string & {}), message: string, options: CognitoErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    if (options.status !== undefined) this.status = options.status;
    this.retryable =
      options.retryable ??
      (RETRYABLE_CODES.has(code) || (options.status !== undefined && RETRYABLE_STATUSES.has(options.status)));
    Object.defineProperty(this, BRAND, { value: true });
  }

  /** `instanceof` recognises a CognitoError from any copy of cognito-kit (ESM and CJS side by side). */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return (
      typeof value === 'object' &&
      value !== null &&
      (value as Record<symbol, unknown>)[BRAND] === true &&
      // biome-ignore lint/complexity/noThisInStatic: `this` is the class on the right of instanceof (a subclass too).
      (this === CognitoError || Function.prototype[Symbol.hasInstance].call(this, value))
    );
  }
}

/**
 * Tells whether `value` is a {@link CognitoError}, optionally with the given `code`.
 *
 * @example
 * ```ts
 * if (isCognitoError(error, 'UserNotConfirmedException')) goToConfirmPage();
 * ```
 */
export function isCognitoError(
  value: unknown,
  code?: CognitoErrorCode | (string & {}),
): value is CognitoError {
  return value instanceof CognitoError && (code === undefined || value.code === code);
}

/** @internal Shorthand for the client-side validation error. */
export function invalidParameter(message: string): CognitoError {
  return new CognitoError('InvalidParameterException', message, { retryable: false });
}

/**
 * @internal Turns anything thrown below us into a {@link CognitoError}. Unknown errors keep their
 * message only when it cannot carry a secret (we never build messages from user input).
 */
export function toCognitoError(error: unknown): CognitoError {
  if (error instanceof CognitoError) return error;
  return new CognitoError('UnexpectedResponseException', 'An unexpected error occurred', { cause: error });
}

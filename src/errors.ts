/**
 * Every error code a {@link CognitoError} may carry that is known today: cognito-kit's own codes,
 * and every exception name the Amazon Cognito user pools API (`cognito-idp`) and identity pools
 * API (`cognito-identity`) document. {@link isCognitoError} takes only these, so a typo does not
 * compile; {@link CognitoError.code} stays open (`CognitoErrorCode | (string & {})`) for names
 * Cognito adds later, which are passed through unchanged.
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
 * - `WebAuthnNotSupportedException`: a passkey was asked for where WebAuthn is missing (Node, an
 *   old browser, a page that is not a secure context); raised before any request.
 * - `WebAuthnCancelledException`: the user cancelled the passkey prompt, the authenticator
 *   refused (user verification failed), or the prompt timed out.
 * - `NoDeviceException`: a device operation ({@link CognitoClient.rememberDevice},
 *   {@link CognitoClient.forgetDevice}) on a client that holds no device key.
 * - `InvalidStateException`: a hosted-UI callback that answers no sign-in started in this storage
 *   (replayed, from another tab or browser, or the storage was cleared); nothing was sent.
 * - `InvalidIdTokenException`: the hosted UI's ID token failed a check (nonce, aud, iss, signature).
 * - `UnsupportedEnvironmentException`: WebCrypto is missing (Node 18 without cognito-kit/node).
 *
 * The hosted UI's token endpoint passes its RFC 6749 codes through (`invalid_grant`, …), and a
 * callback's `error` (`access_denied`, …) becomes the code.
 *
 * `ConcurrentModificationException` (Cognito's name, reused; retryable): the stored session was
 * replaced twice by other tabs or processes while a refresh of it was being rejected; call again.
 *
 * @example
 * ```ts
 * const retryLater: CognitoErrorCode[] = ['TooManyRequestsException', 'LimitExceededException'];
 * ```
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
  // ours, hosted UI
  | 'InvalidStateException'
  | 'InvalidIdTokenException'
  | 'UnsupportedEnvironmentException'
  | 'UnsupportedChallengeException'
  | 'WebAuthnNotSupportedException'
  | 'WebAuthnCancelledException'
  | 'NoDeviceException'
  // the hosted UI's OAuth 2.0 errors (RFC 6749 4.1.2.1 and 5.2), as its callback or token endpoint sends them
  | 'access_denied'
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'invalid_scope'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'unsupported_response_type'
  | 'server_error'
  | 'temporarily_unavailable'
  // Cognito user pools (cognito-idp), as sent
  | 'AccessDeniedException'
  | 'AliasExistsException'
  | 'CodeDeliveryFailureException'
  | 'CodeMismatchException'
  | 'ConcurrentModificationException'
  | 'DeviceKeyExistsException'
  | 'DuplicateProviderException'
  | 'EnableSoftwareTokenMFAException'
  | 'ExpiredCodeException'
  | 'FeatureUnavailableInTierException'
  | 'ForbiddenException'
  | 'GroupExistsException'
  | 'InternalErrorException'
  | 'InternalServerException'
  | 'InvalidEmailRoleAccessPolicyException'
  | 'InvalidLambdaResponseException'
  | 'InvalidOAuthFlowException'
  | 'InvalidPasswordException'
  | 'InvalidSmsRoleAccessPolicyException'
  | 'InvalidSmsRoleTrustRelationshipException'
  | 'InvalidUserPoolConfigurationException'
  | 'LimitExceededException'
  | 'ManagedLoginBrandingExistsException'
  | 'MFAMethodNotFoundException'
  | 'NotAuthorizedException'
  | 'OperationNotEnabledException'
  | 'PasswordHistoryPolicyViolationException'
  | 'PasswordResetRequiredException'
  | 'PreconditionNotMetException'
  | 'RefreshTokenReuseException'
  | 'ResourceNotFoundException'
  | 'ScopeDoesNotExistException'
  | 'ServiceQuotaExceededException'
  | 'SoftwareTokenMFANotFoundException'
  | 'TermsExistsException'
  | 'TierChangeNotAllowedException'
  | 'TooManyFailedAttemptsException'
  | 'TooManyRequestsException'
  | 'UnauthorizedException'
  | 'UnexpectedLambdaException'
  | 'UnsupportedIdentityProviderException'
  | 'UnsupportedOperationException'
  | 'UnsupportedTokenTypeException'
  | 'UnsupportedUserStateException'
  | 'UserImportInProgressException'
  | 'UserLambdaValidationException'
  | 'UserNotConfirmedException'
  | 'UserNotFoundException'
  | 'UserPoolAddOnNotEnabledException'
  | 'UserPoolTaggingException'
  | 'UsernameExistsException'
  | 'WebAuthnChallengeNotFoundException'
  | 'WebAuthnClientMismatchException'
  | 'WebAuthnConfigurationMissingException'
  | 'WebAuthnCredentialNotSupportedException'
  | 'WebAuthnNotEnabledException'
  | 'WebAuthnOriginNotAllowedException'
  | 'WebAuthnRelyingPartyMismatchException'
  // Cognito identity pools (cognito-identity), besides the shared names above
  | 'DeveloperUserAlreadyRegisteredException'
  | 'ExternalServiceException'
  | 'InvalidIdentityPoolConfigurationException'
  | 'ResourceConflictException'
  // AWS's generic throttling and availability answers
  | 'ThrottlingException'
  | 'ServiceUnavailable';

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
      // `this` is the class on the right of instanceof: CognitoError itself (whose parent is Error), or
      // a subclass, checked the ordinary way. Not `this === CognitoError`: a class that names itself
      // in its body is renamed `_CognitoError` by the build, and logs would print that name.
      // biome-ignore lint/complexity/noThisInStatic: see above.
      (Object.getPrototypeOf(this) === Error || Function.prototype[Symbol.hasInstance].call(this, value))
    );
  }
}

/** A {@link CognitoError} whose `code` is known to be `C` (what {@link isCognitoError} narrows to). */
export type CognitoErrorWithCode<C extends CognitoErrorCode> = CognitoError & {
  /** The code checked by {@link isCognitoError}. */
  readonly code: C;
};

/**
 * Tells whether `value` is a {@link CognitoError}, optionally with the given `code`. With a code,
 * `code` must be a {@link CognitoErrorCode} (a typo does not compile) and `value.code` is narrowed
 * to it.
 *
 * @example
 * ```ts
 * if (isCognitoError(error, 'UserNotConfirmedException')) goToConfirmPage(); // error.code: 'UserNotConfirmedException'
 * else if (isCognitoError(error) && error.retryable) showTryAgain();
 * ```
 */
export function isCognitoError<C extends CognitoErrorCode>(
  value: unknown,
  code: C,
): value is CognitoErrorWithCode<C>;
export function isCognitoError(value: unknown): value is CognitoError;
export function isCognitoError(value: unknown, code?: string): value is CognitoError {
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

/**
 * @internal Names the public method in a network or timeout message (the transport names the
 * operation and the host): "signIn: InitiateAuth could not reach cognito-idp.us-east-1.amazonaws.com".
 */
export function withMethod(error: CognitoError, method: string): CognitoError {
  if (
    (error.code !== 'NetworkError' && error.code !== 'TimeoutError') ||
    error.message.startsWith(`${method}:`)
  )
    return error;
  return new CognitoError(error.code, `${method}: ${error.message}`, {
    status: error.status,
    retryable: error.retryable,
    cause: error.cause,
  });
}

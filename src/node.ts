/**
 * cognito-kit/node: everything from `cognito-kit`, plus storage that needs Node (`fileStorage`).
 * Every export is listed by name, as in the main entry.
 *
 * @packageDocumentation
 */

export type {
  AccessTokenClaims,
  AuthFlow,
  CodeDelivery,
  CognitoClientOptions,
  CognitoErrorCode,
  CognitoErrorOptions,
  CognitoEventListener,
  CognitoEventName,
  CognitoEvents,
  ConfirmSignInInput,
  CookieStorageOptions,
  CurrentUser,
  IdTokenClaims,
  MfaSetting,
  NextSignInStep,
  Session,
  SignInInput,
  SignInResult,
  SignOutReason,
  SignUpInput,
  SignUpResult,
  TokenStorage,
  TotpSetup,
  UpdateAttributesResult,
  WebStorageLike,
} from './index.js';
export {
  CognitoClient,
  CognitoError,
  cookieStorage,
  isCognitoError,
  memoryStorage,
  webStorage,
} from './index.js';
export type { FileStorageOptions } from './storage/file.js';
export { fileStorage } from './storage/file.js';

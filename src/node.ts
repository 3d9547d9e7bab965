/**
 * cognito-kit/node: everything from `cognito-kit`, plus what needs Node: storage (`fileStorage`)
 * and sign-in from a CLI through the system browser (`signInWithLoopback`).
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
  LoopbackSignInOptions,
  MfaSetting,
  NextSignInStep,
  OAuthEndpoints,
  OAuthOptions,
  OAuthProvider,
  RedirectSignInResult,
  Session,
  SignInInput,
  SignInResult,
  SignInWithRedirectInput,
  SignOutInput,
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
export { signInWithLoopback } from './oauth/loopback.js';
export type { FileStorageOptions } from './storage/file.js';
export { fileStorage } from './storage/file.js';

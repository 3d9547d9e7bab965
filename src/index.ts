/**
 * cognito-kit: a promise-based, typed client for Amazon Cognito user pools, for browsers, Node
 * (>= 18) and workers. Every export is listed by name; what is exported is what we keep.
 *
 * @packageDocumentation
 */
export { CognitoClient } from './client.js';
export type { Device, ForgetDeviceInput, ListDevicesInput, ListDevicesResult } from './devices/types.js';
export type { CognitoErrorCode, CognitoErrorOptions, CognitoErrorWithCode } from './errors.js';
export { CognitoError, isCognitoError } from './errors.js';
export type { CognitoEventListener, CognitoEventName, CognitoEvents, SignOutReason } from './events.js';
export type { AwsCredentials, GetAwsCredentialsOptions } from './identity/types.js';
export type {
  LoopbackSignInOptions,
  OAuthEndpoints,
  OAuthOptions,
  OAuthProvider,
  RedirectSignInResult,
  SignInWithRedirectInput,
  SignOutInput,
} from './oauth/types.js';
export type { ListPasskeysInput, ListPasskeysResult, Passkey } from './passwordless/types.js';
export type { CookieStorageOptions } from './storage/cookie.js';
export { cookieStorage } from './storage/cookie.js';
export { memoryStorage } from './storage/memory.js';
export type { TokenStorage } from './storage/types.js';
export type { WebStorageLike } from './storage/web.js';
export { webStorage } from './storage/web.js';
export type {
  AccessTokenClaims,
  AuthFlow,
  CodeDelivery,
  CognitoClientOptions,
  ConfirmSignInInput,
  ConfirmSignUpResult,
  CurrentUser,
  IdTokenClaims,
  MfaSetting,
  NextSignInStep,
  PreferredChallenge,
  Session,
  SignInInput,
  SignInResult,
  SignUpInput,
  SignUpResult,
  TotpSetup,
  UpdateAttributesResult,
} from './types.js';

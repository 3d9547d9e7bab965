import type { TokenStorage } from './storage/types.js';

/** The sign-in flows a client can start. */
export type AuthFlow = 'USER_SRP_AUTH' | 'USER_PASSWORD_AUTH' | 'CUSTOM_AUTH';

/**
 * Options of a {@link CognitoClient}. Unknown keys are rejected with `InvalidParameterException`.
 *
 * @example
 * ```ts
 * const client = new CognitoClient({ userPoolId: 'us-east-1_AbCdEf123', clientId: '1example23456789' });
 * ```
 */
export interface CognitoClientOptions {
  /** The user pool id, e.g. `'us-east-1_AbCdEf123'`; the region is taken from it. */
  userPoolId: string;
  /** A public app client id (an app client without a secret). */
  clientId: string;
  /**
   * Where requests go instead of `https://cognito-idp.<region>.amazonaws.com/` (a local emulator, a proxy).
   * @defaultValue Cognito's regional endpoint
   */
  endpoint?: string;
  /**
   * Where tokens and a pending challenge are kept.
   * @defaultValue `window.localStorage` in a browser where it accepts a write; otherwise a
   * per-client in-memory store (always in Node)
   */
  storage?: TokenStorage;
  /**
   * The flow {@link CognitoClient.signIn} uses.
   * @defaultValue `'USER_SRP_AUTH'`
   */
  authFlow?: AuthFlow;
  /**
   * Refresh this many seconds before the tokens expire (at most half the tokens' lifetime).
   * @defaultValue 60
   */
  refreshMarginSeconds?: number;
  /**
   * Every request to Cognito gives up after this long and rejects with `TimeoutError`.
   * @defaultValue 15000
   */
  requestTimeoutMs?: number;
  /**
   * Attempts in all for a request that fails transiently (network, timeout, throttling, 5xx);
   * `1` turns retries off. A rejected refresh token or password is never retried.
   * @defaultValue 3
   */
  maxAttempts?: number;
  /**
   * First backoff step between attempts, in ms; each retry waits up to twice as long, jittered.
   * @defaultValue 200
   */
  retryBaseDelayMs?: number;
  /**
   * Refresh with `GetTokensFromRefreshToken` and store the rotated refresh token. Needed for app
   * clients with refresh-token rotation; otherwise detected on the first rejected refresh.
   * @defaultValue false
   */
  refreshTokenRotation?: boolean;
  /**
   * Issuer shown by authenticator apps in the `otpauth://` URI of a TOTP set-up.
   * @defaultValue `'AWSCognito'`
   */
  totpIssuer?: string;
}

/** Where Cognito sent a code. */
export interface CodeDelivery {
  /** Masked destination, e.g. `'a***@e***'`. */
  destination: string;
  deliveryMedium: 'EMAIL' | 'SMS';
  /** The attribute the code verifies, e.g. `'email'`. */
  attributeName: string;
}

/** Claims of an ID token; custom claims (`custom:*`) through the index signature. */
export interface IdTokenClaims {
  sub: string;
  'cognito:username': string;
  iss: string;
  aud: string;
  token_use: 'id';
  auth_time: number;
  iat: number;
  exp: number;
  email?: string;
  email_verified?: boolean;
  phone_number?: string;
  phone_number_verified?: boolean;
  'cognito:groups'?: string[];
  [claim: string]: unknown;
}

/** Claims of an access token. */
export interface AccessTokenClaims {
  sub: string;
  username: string;
  iss: string;
  client_id: string;
  token_use: 'access';
  scope: string;
  auth_time: number;
  iat: number;
  exp: number;
  origin_jti?: string;
  'cognito:groups'?: string[];
  [claim: string]: unknown;
}

/** A signed-in user's tokens and what they say. Frozen: treat it as a value. */
export interface Session {
  /** Canonical username: the tokens' `cognito:username` / `username` claim (not what was typed). */
  username: string;
  userSub: string;
  accessToken: string;
  idToken: string;
  refreshToken: string;
  /** Epoch ms on the local clock when the first of the access and ID tokens expires. */
  expiresAt: number;
  idTokenClaims: IdTokenClaims;
  accessTokenClaims: AccessTokenClaims;
}

/** The next thing a user must do to finish signing in (Amplify v6's step names). */
export type NextSignInStep =
  | {
      signInStep: 'CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED';
      /** Attribute names Cognito requires with the new password, without the `userAttributes.` prefix. */
      requiredAttributes: string[];
      userAttributes: Record<string, string>;
    }
  | { signInStep: 'CONFIRM_SIGN_IN_WITH_SMS_CODE'; codeDelivery: CodeDelivery }
  | { signInStep: 'CONFIRM_SIGN_IN_WITH_TOTP_CODE' }
  | { signInStep: 'CONTINUE_SIGN_IN_WITH_MFA_SELECTION'; allowedMfaTypes: ('SMS' | 'TOTP')[] }
  | { signInStep: 'CONTINUE_SIGN_IN_WITH_TOTP_SETUP'; secretCode: string; otpauthUri: string }
  | { signInStep: 'CONFIRM_SIGN_IN_WITH_CUSTOM_CHALLENGE'; challengeParameters: Record<string, string> }
  /** The user exists but is not confirmed: call `confirmSignUp`, then sign in again. */
  | { signInStep: 'CONFIRM_SIGN_UP' }
  /** Cognito demands a password reset: call `forgotPassword` / `confirmForgotPassword`. */
  | { signInStep: 'RESET_PASSWORD' };

/** What {@link CognitoClient.signIn} and {@link CognitoClient.confirmSignIn} resolve with. */
export type SignInResult =
  | { isSignedIn: true; nextStep: { signInStep: 'DONE' }; session: Session }
  | { isSignedIn: false; nextStep: NextSignInStep };

/** Input of {@link CognitoClient.signUp}. */
export interface SignUpInput {
  username: string;
  password: string;
  /** Attributes by name, e.g. `{ email: 'a@b.c', name: 'Ann' }`. */
  attributes?: Record<string, string>;
  clientMetadata?: Record<string, string>;
  validationData?: Record<string, string>;
}

/** What {@link CognitoClient.signUp} resolves with. */
export interface SignUpResult {
  userConfirmed: boolean;
  userSub: string;
  codeDelivery?: CodeDelivery;
}

/** Input of {@link CognitoClient.signIn}. */
export interface SignInInput {
  username: string;
  /** Required, except with `authFlow: 'CUSTOM_AUTH'`. */
  password?: string;
  authFlow?: AuthFlow;
  clientMetadata?: Record<string, string>;
}

/** Input of {@link CognitoClient.confirmSignIn}. */
export interface ConfirmSignInInput {
  /** The new password, the SMS/TOTP code, `'SMS'`/`'TOTP'` for MFA selection, or the custom answer. */
  challengeResponse: string;
  /** With a new password: the required attributes, by name without prefix. */
  userAttributes?: Record<string, string>;
  /** With a TOTP set-up: a name for the authenticator. */
  friendlyDeviceName?: string;
  clientMetadata?: Record<string, string>;
}

/** The outcome per attribute of {@link CognitoClient.updateAttributes}. */
export type UpdateAttributesResult = {
  [name: string]: { isUpdated: boolean; codeDelivery?: CodeDelivery };
};

/** An MFA method's state for {@link CognitoClient.setMfaPreference}. */
export type MfaSetting = 'PREFERRED' | 'ENABLED' | 'DISABLED';

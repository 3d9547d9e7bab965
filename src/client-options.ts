// CognitoClient's options, as users write them (options.ts validates them and applies defaults).
import type { OAuthOptions } from './oauth/types.js';
import type { TokenStorage } from './storage/types.js';
import type { AuthFlow } from './types.js';

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
   * An `http://` endpoint is accepted only for a loopback host (`localhost`, `127.0.0.0/8`, `[::1]`)
   * unless {@link CognitoClientOptions.allowInsecureEndpoint} is set.
   * @defaultValue Cognito's regional endpoint
   */
  endpoint?: string;
  /**
   * Accept an `http://` {@link CognitoClientOptions.endpoint} on a host other than loopback (an
   * emulator on another machine of a private test network). Passwords, codes and tokens then
   * travel unencrypted: never set it for anything real.
   * @defaultValue `false`
   */
  allowInsecureEndpoint?: boolean;
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
   * No longer needed, kept so that existing code compiles: every refresh uses
   * `GetTokensFromRefreshToken`, which works for app clients with and without refresh-token rotation
   * and stores the rotated refresh token (`REFRESH_TOKEN_AUTH` only where the endpoint does not know
   * that operation, as with cognito-local).
   * @deprecated Has no effect.
   * @defaultValue false
   */
  refreshTokenRotation?: boolean;
  /**
   * How long a pending sign-in challenge is kept for {@link CognitoClient.confirmSignIn}: set it to
   * the app client's AuthSessionValidity (3 to 15 minutes in Cognito). After it, `confirmSignIn`
   * rejects with `NoPendingChallengeException` without a request.
   * @defaultValue 180 (Cognito's default of 3 minutes)
   */
  challengeTtlSeconds?: number;
  /**
   * In a browser, refresh the tokens ahead of expiry (when {@link CognitoClientOptions.refreshMarginSeconds}
   * says they are due) while the page is visible, so that {@link CognitoClient.onSessionChange}
   * subscribers always hold usable tokens. One tab refreshes; the others follow through the storage.
   * Never in Node: no timer is ever set there, so scripts still exit by themselves.
   * @defaultValue false
   */
  autoRefresh?: boolean;
  /**
   * Issuer shown by authenticator apps in the `otpauth://` URI of a TOTP set-up.
   * @defaultValue `'AWSCognito'`
   */
  totpIssuer?: string;
  /**
   * The hosted UI (managed login, social and SAML/OIDC providers): enables
   * {@link CognitoClient.signInWithRedirect}, {@link CognitoClient.handleRedirect} and sign-out
   * through the hosted UI. See docs/hosted-ui.md.
   * @defaultValue none (the hosted UI is not used)
   */
  oauth?: OAuthOptions;
  /**
   * The secret of a confidential app client. Accepted only by the `CognitoClient` of
   * `cognito-kit/node` and `cognito-kit/server`; the browser entry's client rejects it with
   * `InvalidParameterException`, so a secret is never shipped to a browser. Every request that
   * needs it carries `SECRET_HASH` (or `ClientSecret`); the secret itself is never stored, logged,
   * emitted or put in an error.
   * @defaultValue none (a public app client)
   */
  clientSecret?: string;
  /**
   * The name a device gets when a pool with device tracking asks the client to confirm it
   * (ConfirmDevice's DeviceName; what {@link CognitoClient.listDevices} shows as `name`).
   * @defaultValue in a browser, the browser and system from the user agent (`'Chrome on macOS'`);
   * elsewhere `'Node.js'` (never the host name)
   */
  deviceName?: string;
  /**
   * The identity pool ({@link CognitoClient.getAwsCredentials}) that exchanges this user pool's
   * tokens for temporary AWS credentials, e.g. `'us-east-1:1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d'`.
   * The pool must list this user pool and app client as an authentication provider.
   * @defaultValue none: the AWS-credential methods reject with `InvalidParameterException`
   */
  identityPoolId?: string;
  /**
   * Gives guest (unauthenticated) AWS credentials when nobody is signed in; the identity pool must
   * allow unauthenticated identities. Off: nobody signed in rejects with `NotSignedInException`.
   * @defaultValue false
   */
  allowGuestAccess?: boolean;
  /**
   * Where identity-pool requests go instead of `https://cognito-identity.<region>.amazonaws.com/`
   * (the region of `identityPoolId`): a proxy, a local fake.
   * @defaultValue the identity pool's regional endpoint
   */
  identityEndpoint?: string;
}

// Public types of the hosted UI / OAuth 2.0 feature. Type-only: importing them costs no bytes.
import type { SignInResult } from '../types.js';

/**
 * Where to sign in: a social provider by its short name (sent as Cognito's `identity_provider`
 * names Google, Facebook, LoginWithAmazon, SignInWithApple), a SAML/OIDC provider by name
 * (`{ custom: 'MySAML' }`) or by an identifier such as the user's email domain
 * (`{ idpIdentifier: 'example.com' }`, sent as `idp_identifier`).
 */
export type OAuthProvider =
  | 'Google'
  | 'Facebook'
  | 'Amazon'
  | 'Apple'
  | {
      /** A provider by the name it has in the user pool (SAML, OIDC, or a social provider). */
      custom: string;
    }
  | {
      /** An identifier registered for a provider, e.g. the user's email domain. */
      idpIdentifier: string;
    };

/** Overrides of the hosted UI's endpoint URLs (a proxy, a test server). */
export interface OAuthEndpoints {
  /** @defaultValue `<domain>/oauth2/authorize` */
  authorize?: string;
  /** @defaultValue `<domain>/oauth2/token` */
  token?: string;
  /** @defaultValue `<domain>/logout` */
  logout?: string;
  /** @defaultValue `<domain>/oauth2/revoke` */
  revoke?: string;
  /** @defaultValue `https://cognito-idp.<region>.amazonaws.com/<userPoolId>/.well-known/jwks.json` */
  jwks?: string;
}

/**
 * The app client's hosted UI (managed login) settings.
 *
 * @example
 * ```ts
 * const client = new CognitoClient({
 *   userPoolId, clientId,
 *   oauth: {
 *     domain: 'auth.example.com',
 *     redirectSignIn: ['https://app.example.com/callback', 'http://localhost:5173/callback'],
 *     redirectSignOut: ['https://app.example.com/', 'http://localhost:5173/'],
 *   },
 * });
 * ```
 */
export interface OAuthOptions {
  /** The hosted UI's domain: a custom domain or `<prefix>.auth.<region>.amazoncognito.com` (`https://` is implied). */
  domain: string;
  /** The app client's callback URLs; the one with the page's origin is used unless a call names one. */
  redirectSignIn: string | string[];
  /** The app client's sign-out URLs, for {@link CognitoClient.signOut} through the hosted UI's `/logout`. */
  redirectSignOut?: string | string[];
  /** @defaultValue `['openid', 'email', 'phone', 'profile', 'aws.cognito.signin.user.admin']` */
  scopes?: string[];
  /**
   * `'code'`: authorization code with PKCE (recommended). `'token'`: the legacy implicit grant
   * (tokens in the URL fragment, no refresh token).
   * @defaultValue `'code'`
   */
  responseType?: 'code' | 'token';
  /** Endpoint overrides. */
  endpoints?: OAuthEndpoints;
  /**
   * The `iss` the ID tokens must carry.
   * @defaultValue `https://cognito-idp.<region>.amazonaws.com/<userPoolId>`
   */
  issuer?: string;
}

/** Options of {@link CognitoClient.signInWithRedirect} and {@link CognitoClient.getSignInUrl}. */
export interface SignInWithRedirectInput {
  /** Skip the hosted UI's own page and go to this identity provider. */
  provider?: OAuthProvider;
  /** Any string the app wants back after the callback (a return path); stored locally, never sent. */
  customState?: string;
  /** Pre-fills the username (`login_hint`). */
  loginHint?: string;
  /** The hosted UI's language (`lang`, e.g. `'de'`). */
  lang?: string;
  /** `'none' | 'login' | 'consent' | 'select_account'` (sent as `prompt`). */
  prompt?: 'none' | 'login' | 'consent' | 'select_account';
  /** One of `redirectSignIn`. @defaultValue the entry with the page's origin, else the first */
  redirectUri?: string;
  /** Opens the URL instead of `location.assign` (a popup, Capacitor's browser, a test). */
  open?: (url: string) => void | Promise<void>;
}

/** What {@link CognitoClient.handleRedirect} resolves with: a sign-in result and the `customState` sent. */
export type RedirectSignInResult = SignInResult & {
  /** The `customState` given to {@link CognitoClient.signInWithRedirect}, unchanged. */
  customState?: string;
};

/** Options of {@link CognitoClient.signOut}. */
export interface SignOutInput {
  /** GlobalSignOut: every device. */
  global?: boolean;
  /**
   * For a hosted-UI session, navigate to the hosted UI's `/logout` afterwards (ends its cookie session).
   * @defaultValue true
   */
  redirect?: boolean;
  /** Opens the logout URL instead of `location.assign`. */
  open?: (url: string) => void | Promise<void>;
}

/** Options of `signInWithLoopback` from `cognito-kit/node`. */
export interface LoopbackSignInOptions {
  /** @defaultValue the port of the `redirectSignIn` entry `http://localhost:<port>/…` */
  port?: number;
  /** @defaultValue that entry's path, e.g. `/callback` */
  path?: string;
  /** Go straight to this identity provider. @defaultValue the hosted UI's own page */
  provider?: OAuthProvider;
  /** Opens the URL instead of the system browser. */
  open?: (url: string) => void | Promise<void>;
  /** @defaultValue 300000 (5 minutes) */
  timeoutMs?: number;
}

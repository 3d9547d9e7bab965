import type { CognitoError } from './errors.js';

export type { CognitoClientOptions } from './client-options.js';

/**
 * The sign-in flows a client can start.
 *
 * - `'USER_SRP_AUTH'`: the password never leaves the device (Secure Remote Password); the default.
 * - `'USER_PASSWORD_AUTH'`: the password is sent to Cognito over TLS; the app client must allow it.
 * - `'CUSTOM_AUTH'`: Lambda-driven custom challenges, with an SRP password check first when a
 *   password is given.
 * - `'USER_AUTH'`: choice-based sign-in: a password, an email or SMS code, or a passkey, as the
 *   pool and the user allow (see {@link SignInInput.preferredChallenge}).
 */
export type AuthFlow = 'USER_SRP_AUTH' | 'USER_PASSWORD_AUTH' | 'CUSTOM_AUTH' | 'USER_AUTH';

/**
 * A first factor of a `USER_AUTH` sign-in: `'PASSWORD'` (sent to Cognito over TLS),
 * `'PASSWORD_SRP'` (the password never leaves the device), `'EMAIL_OTP'` / `'SMS_OTP'` (a one-time
 * code), `'WEB_AUTHN'` (a passkey, in a browser).
 */
export type PreferredChallenge = 'PASSWORD' | 'PASSWORD_SRP' | 'EMAIL_OTP' | 'SMS_OTP' | 'WEB_AUTHN';

/** Where Cognito sent a code. */
export interface CodeDelivery {
  /** Masked destination, e.g. `'a***@e***'`. */
  destination: string;
  /** How the code was sent. */
  deliveryMedium: 'EMAIL' | 'SMS';
  /** The attribute the code verifies, e.g. `'email'`. */
  attributeName: string;
}

/**
 * Claims of an ID token, decoded but not verified; custom claims (`custom:*`) and any other standard
 * attribute the app client may read come through the index signature.
 *
 * @example
 * ```ts
 * const session = await client.getSession();
 * const plan = session?.idTokenClaims['custom:plan'] as string | undefined;
 * ```
 */
export interface IdTokenClaims {
  /** The user's immutable id (a UUID); the same as {@link Session.userSub}. */
  sub: string;
  /** The canonical username (for pools with email sign-in, a UUID rather than the email). */
  'cognito:username': string;
  /** The issuer: `https://cognito-idp.<region>.amazonaws.com/<userPoolId>`. */
  iss: string;
  /** The app client id the token was issued to. */
  aud: string;
  /** Always `'id'`. */
  token_use: 'id';
  /** When the user authenticated, in seconds since the epoch (a refresh keeps it). */
  auth_time: number;
  /** When the token was issued, in seconds since the epoch (Cognito's clock). */
  iat: number;
  /** When the token expires, in seconds since the epoch (Cognito's clock). */
  exp: number;
  /** The `email` attribute, when the app client may read it. */
  email?: string;
  /** Whether the email address is verified. */
  email_verified?: boolean;
  /** The `phone_number` attribute (E.164), when the app client may read it. */
  phone_number?: string;
  /** Whether the phone number is verified. */
  phone_number_verified?: boolean;
  /** The user's groups, when the user belongs to any. */
  'cognito:groups'?: string[];
  /** Any other claim: custom attributes (`custom:*`), `name`, `locale`, claims added by a pre-token-generation trigger. */
  [claim: string]: unknown;
}

/** Claims of an access token, decoded but not verified. */
export interface AccessTokenClaims {
  /** The user's immutable id (a UUID). */
  sub: string;
  /** The canonical username; the same as the ID token's `cognito:username`. */
  username: string;
  /** The issuer: `https://cognito-idp.<region>.amazonaws.com/<userPoolId>`. */
  iss: string;
  /** The app client id the token was issued to. */
  client_id: string;
  /** Always `'access'`. */
  token_use: 'access';
  /** Space-separated OAuth scopes, e.g. `'aws.cognito.signin.user.admin'`. */
  scope: string;
  /** When the user authenticated, in seconds since the epoch. */
  auth_time: number;
  /** When the token was issued, in seconds since the epoch (Cognito's clock). */
  iat: number;
  /** When the token expires, in seconds since the epoch (Cognito's clock). */
  exp: number;
  /**
   * Id of the refresh token's origin; present when the app client has token revocation enabled,
   * which lets {@link CognitoClient.signOut} revoke the refresh token.
   */
  origin_jti?: string;
  /** The user's groups, when the user belongs to any. */
  'cognito:groups'?: string[];
  /** Any other claim (for example `jti`, `event_id`, `device_key`, trigger-added claims). */
  [claim: string]: unknown;
}

/**
 * A signed-in user's tokens and what they say. Frozen: treat it as a value, and ask
 * {@link CognitoClient.getSession} again rather than keeping one around (it refreshes when needed).
 *
 * @example
 * ```ts
 * const session = await client.getSession();
 * if (session) await fetch('/api/me', { headers: { Authorization: `Bearer ${session.accessToken}` } });
 * ```
 */
export interface Session {
  /** Canonical username: the tokens' `cognito:username` / `username` claim (not what was typed). */
  username: string;
  /** The user's immutable id: the tokens' `sub` claim. */
  userSub: string;
  /** The access token (JWT), for your API's `Authorization: Bearer` header. */
  accessToken: string;
  /** The ID token (JWT): who the user is, with their attributes as claims. */
  idToken: string;
  /** The refresh token (opaque). Used by cognito-kit to refresh; rarely needed by an app. */
  refreshToken: string;
  /**
   * Epoch ms on the local clock when the first of the access and ID tokens expires, corrected for
   * the difference between this clock and Cognito's measured when the tokens arrived.
   */
  expiresAt: number;
  /** The ID token's payload, decoded (not verified). */
  idTokenClaims: IdTokenClaims;
  /** The access token's payload, decoded (not verified). */
  accessTokenClaims: AccessTokenClaims;
}

/**
 * The next thing a user must do to finish signing in (Amplify v6's step names). Switch on
 * `signInStep`; every `CONFIRM_SIGN_IN_*` / `CONTINUE_SIGN_IN_*` step is answered with
 * {@link CognitoClient.confirmSignIn}.
 *
 * @example
 * ```ts
 * function prompt(step: NextSignInStep): string {
 *   switch (step.signInStep) {
 *     case 'CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED': return 'Choose a new password';
 *     case 'CONFIRM_SIGN_IN_WITH_SMS_CODE': return `Enter the code sent to ${step.codeDelivery.destination}`;
 *     case 'CONFIRM_SIGN_IN_WITH_TOTP_CODE': return 'Enter the code from your authenticator app';
 *     case 'CONTINUE_SIGN_IN_WITH_MFA_SELECTION': return `Choose one of ${step.allowedMfaTypes.join(', ')}`;
 *     case 'CONTINUE_SIGN_IN_WITH_TOTP_SETUP': return `Scan ${step.otpauthUri}, then enter a code`;
 *     case 'CONFIRM_SIGN_IN_WITH_CUSTOM_CHALLENGE': return 'Answer the challenge';
 *     case 'CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION': return `Sign in with ${step.availableChallenges.join(' or ')}`;
 *     case 'CONFIRM_SIGN_IN_WITH_PASSWORD': return 'Enter your password';
 *     case 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE': return `Enter the code sent to ${step.codeDelivery.destination}`;
 *     case 'CONTINUE_SIGN_IN_WITH_EMAIL_SETUP': return 'Which email address should receive codes?';
 *     case 'CONTINUE_SIGN_IN_WITH_MFA_SETUP_SELECTION': return `Set up one of ${step.allowedMfaTypes.join(', ')}`;
 *     case 'CONFIRM_SIGN_UP': return 'Confirm your account first';
 *     case 'RESET_PASSWORD': return 'Reset your password';
 *     default: { const unreachable: never = step; return unreachable; }
 *   }
 * }
 * ```
 */
export type NextSignInStep =
  | {
      /** Cognito requires a new password (an admin-created user's first sign-in): answer with it. */
      signInStep: 'CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED';
      /** Attribute names Cognito requires with the new password, without the `userAttributes.` prefix. */
      requiredAttributes: string[];
      /** The user's current attributes, as Cognito sent them. */
      userAttributes: Record<string, string>;
    }
  | {
      /** An SMS code was sent (SMS MFA, or `SMS_OTP` as the first factor): answer with it. */
      signInStep: 'CONFIRM_SIGN_IN_WITH_SMS_CODE';
      /** Where the code went. */
      codeDelivery: CodeDelivery;
    }
  | {
      /** Answer with the current code from the user's authenticator app. */
      signInStep: 'CONFIRM_SIGN_IN_WITH_TOTP_CODE';
    }
  | {
      /** The user has several MFA methods: answer with `'SMS'`, `'TOTP'` or `'EMAIL'`. */
      signInStep: 'CONTINUE_SIGN_IN_WITH_MFA_SELECTION';
      /** The methods to choose from. */
      allowedMfaTypes: ('SMS' | 'TOTP' | 'EMAIL')[];
    }
  | {
      /** `USER_AUTH`: the user may sign in several ways; answer with one of `availableChallenges`. */
      signInStep: 'CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION';
      /** What Cognito offers this user, e.g. `['PASSWORD_SRP', 'EMAIL_OTP', 'WEB_AUTHN']`. */
      availableChallenges: string[];
    }
  | {
      /** `USER_AUTH` with a password chosen: answer with the password. */
      signInStep: 'CONFIRM_SIGN_IN_WITH_PASSWORD';
    }
  | {
      /** A code was sent by email (`EMAIL_OTP` first factor, or email MFA): answer with it. */
      signInStep: 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE';
      /** Where the code went. */
      codeDelivery: CodeDelivery;
    }
  | {
      /** The pool requires MFA and the user chose email: answer with the email address to use. */
      signInStep: 'CONTINUE_SIGN_IN_WITH_EMAIL_SETUP';
    }
  | {
      /** The pool requires MFA and the user has none: answer with `'EMAIL'` or `'TOTP'`. */
      signInStep: 'CONTINUE_SIGN_IN_WITH_MFA_SETUP_SELECTION';
      /** The methods that can be set up now. */
      allowedMfaTypes: ('EMAIL' | 'TOTP')[];
    }
  | {
      /** The pool requires MFA and the user has none: show the secret, answer with a code from the app. */
      signInStep: 'CONTINUE_SIGN_IN_WITH_TOTP_SETUP';
      /** The TOTP secret (base32), for manual entry. */
      secretCode: string;
      /** An `otpauth://totp/…` URI to show as a QR code. */
      otpauthUri: string;
    }
  | {
      /** A custom-auth Lambda asks a question: answer with the user's response. */
      signInStep: 'CONFIRM_SIGN_IN_WITH_CUSTOM_CHALLENGE';
      /** The public challenge parameters the Lambda set. */
      challengeParameters: Record<string, string>;
    }
  | {
      /** The user exists but is not confirmed: call `confirmSignUp`, then sign in again. */
      signInStep: 'CONFIRM_SIGN_UP';
    }
  | {
      /** Cognito demands a password reset: call `forgotPassword` / `confirmForgotPassword`, then sign in again. */
      signInStep: 'RESET_PASSWORD';
    };

/**
 * What {@link CognitoClient.signIn} and {@link CognitoClient.confirmSignIn} resolve with. Narrow on
 * `isSignedIn` before reading `session`.
 *
 * @example
 * ```ts
 * const result = await client.signIn({ username, password });
 * if (result.isSignedIn) console.log(result.session.username);
 * else console.log(result.nextStep.signInStep);
 * ```
 */
export type SignInResult =
  | {
      /** The user is signed in; the session is stored. */
      isSignedIn: true;
      /** Nothing left to do. */
      nextStep: {
        /** Always `'DONE'`. */
        signInStep: 'DONE';
      };
      /** The new session, as {@link CognitoClient.getSession} will return it. */
      session: Session;
      /**
       * Set when the pool tracks devices and confirming this device failed (ConfirmDevice). The
       * sign-in stands; the device is not remembered, and the next sign-in tries again.
       */
      deviceError?: CognitoError;
    }
  | {
      /** A challenge is pending (kept in the client's storage). */
      isSignedIn: false;
      /** What the user must do next. */
      nextStep: NextSignInStep;
    };

/** Input of {@link CognitoClient.signUp}. */
export interface SignUpInput {
  /** The username, or the email / phone number for pools that sign in with those. */
  username: string;
  /**
   * The password; the pool's password policy applies (`InvalidPasswordException`). Leave it out
   * where the pool signs users in without one (passwordless: email or SMS codes, passkeys).
   */
  password?: string;
  /**
   * Sign the user in right after {@link CognitoClient.confirmSignUp} with the session Cognito
   * returns (no password asked again), also from another client on the same storage.
   */
  autoSignIn?: true;
  /** Attributes by name, e.g. `{ email: 'a@b.c', name: 'Ann' }`. */
  attributes?: Record<string, string>;
  /** Passed to the pool's Lambda triggers as `clientMetadata`. */
  clientMetadata?: Record<string, string>;
  /** Passed to the pre-sign-up Lambda trigger as `validationData`; not stored. */
  validationData?: Record<string, string>;
}

/** What {@link CognitoClient.signUp} resolves with. */
export interface SignUpResult {
  /** `false` when the user must confirm with a code ({@link CognitoClient.confirmSignUp}). */
  userConfirmed: boolean;
  /** The new user's `sub`. */
  userSub: string;
  /** Where the confirmation code went, when one was sent. */
  codeDelivery?: CodeDelivery;
}

/** Input of {@link CognitoClient.signIn}. */
export interface SignInInput {
  /** The username, or an alias (email, phone number) the pool accepts. */
  username: string;
  /**
   * Required, except with `authFlow: 'CUSTOM_AUTH'` and `'USER_AUTH'` (where it is required with
   * `preferredChallenge` `'PASSWORD'` or `'PASSWORD_SRP'`).
   */
  password?: string;
  /**
   * `USER_AUTH` only: the first factor to try. When the user cannot use it, or none is given,
   * Cognito may answer with `CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION`.
   */
  preferredChallenge?: PreferredChallenge;
  /**
   * The flow for this sign-in.
   * @defaultValue the client's {@link CognitoClientOptions.authFlow}
   */
  authFlow?: AuthFlow;
  /** Passed to the pool's Lambda triggers as `clientMetadata`. */
  clientMetadata?: Record<string, string>;
}

/** Input of {@link CognitoClient.confirmSignIn}. */
export interface ConfirmSignInInput {
  /**
   * The new password, the SMS/TOTP/email code, `'SMS'`/`'TOTP'`/`'EMAIL'` for MFA selection, the
   * first factor (`'EMAIL_OTP'`, `'PASSWORD'`, …), the password, the email address to set up, or the
   * custom answer.
   */
  challengeResponse: string;
  /** With a new password: the required attributes, by name without prefix. */
  userAttributes?: Record<string, string>;
  /** With a TOTP set-up: a name for the authenticator. */
  friendlyDeviceName?: string;
  /** Passed to the pool's Lambda triggers as `clientMetadata`. */
  clientMetadata?: Record<string, string>;
}

/** The outcome per attribute of {@link CognitoClient.updateAttributes}. */
export type UpdateAttributesResult = {
  [name: string]: {
    /** `false` while the new value waits for verification with the code in `codeDelivery`. */
    isUpdated: boolean;
    /** Where the verification code went; answer with {@link CognitoClient.verifyAttribute}. */
    codeDelivery?: CodeDelivery;
  };
};

/**
 * An MFA method's state for {@link CognitoClient.setMfaPreference}: `'PREFERRED'` (enabled and
 * asked for first), `'ENABLED'` (enabled, not preferred) or `'DISABLED'`.
 */
export type MfaSetting = 'PREFERRED' | 'ENABLED' | 'DISABLED';

/** The signed-in user, as {@link CognitoClient.getCurrentUser} reads it from the stored tokens. */
export interface CurrentUser {
  /** Canonical username: the tokens' `cognito:username` / `username` claim. */
  username: string;
  /** The user's `sub`, stable for the user's lifetime. */
  userSub: string;
}

/** What {@link CognitoClient.confirmSignUp} resolves with after `signUp({ autoSignIn: true })`. */
export interface ConfirmSignUpResult {
  /** The sign-in with the session Cognito returned: `DONE`, or a next step (MFA, say). */
  signInResult: SignInResult;
}

/** A TOTP set-up started by {@link CognitoClient.setUpTotp}. */
export interface TotpSetup {
  /** The shared secret (base32) to type into an authenticator app. */
  secretCode: string;
  /** `otpauth://totp/...` URI for a QR code; the issuer is {@link CognitoClientOptions.totpIssuer}. */
  otpauthUri: string;
}

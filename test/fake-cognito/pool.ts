import { CodeBook, type CodePurpose } from './codes.js';
import { DeviceStore, type DeviceTracking } from './devices.js';
import { type Body, CognitoFault, notAuthorized, requireString, userNotFound } from './errors.js';
import { ChallengeSessions } from './sessions.js';
import { TokenService } from './tokens.js';
import { type UserRecord, UserStore } from './users.js';
import { codeDelivery, randomCode } from './util.js';

/** Password rules SignUp, ChangePassword, ConfirmForgotPassword and NEW_PASSWORD_REQUIRED enforce. */
export interface PasswordPolicy {
  minimumLength: number;
  requireLowercase: boolean;
  requireUppercase: boolean;
  requireNumbers: boolean;
  requireSymbols: boolean;
}

/** How the fake pool and its one app client are configured. */
export interface FakeCognitoOptions {
  /** @defaultValue 'us-east-1' */
  region?: string;
  /** @defaultValue 'us-east-1_TestPool1' */
  userPoolId?: string;
  /** @defaultValue 'testclient123' */
  clientId?: string;
  /** Epoch-ms clock, read at every use (so `vi.setSystemTime` works). @defaultValue Date.now */
  now?: () => number;
  /** @defaultValue 3600 */
  accessTokenTtlSeconds?: number;
  /** @defaultValue 3600 */
  idTokenTtlSeconds?: number;
  /** @defaultValue 30 days */
  refreshTokenTtlSeconds?: number;
  /** `['email']`: users sign up with an email, get the sub as internal username, sign in by email. */
  usernameAttributes?: 'email'[];
  /** REFRESH_TOKEN_AUTH is refused; GetTokensFromRefreshToken rotates the refresh token. */
  refreshTokenRotation?: boolean;
  /** With rotation: RetryGracePeriodSeconds, how long the rotated-out token still works. @defaultValue 0 */
  retryGracePeriodSeconds?: number;
  /**
   * With rotation: the message of the InvalidParameterException that refuses REFRESH_TOKEN_AUTH
   * (Cognito's wording is not documented and may change; clients must not depend on it).
   */
  rotationRefusalMessage?: string;
  /** @defaultValue 'OPTIONAL' */
  mfa?: 'OFF' | 'OPTIONAL' | 'ON';
  /** Every code the fake sends is this value. @defaultValue random 6 digits */
  code?: string;
  /** @defaultValue 180 */
  challengeSessionTtlSeconds?: number;
  /**
   * Makes the app client confidential: every operation that names a user must carry SECRET_HASH,
   * GetTokensFromRefreshToken and RevokeToken the ClientSecret, as Cognito demands.
   * @defaultValue none (a public client)
   */
  clientSecret?: string;
  /** @defaultValue minimum length 8, no character classes required */
  passwordPolicy?: Partial<PasswordPolicy>;
  /**
   * The pool's sign-in policy for USER_AUTH (Cognito's AllowedFirstAuthFactors; PASSWORD covers
   * PASSWORD_SRP). SignUp without a password needs one factor besides PASSWORD.
   * @defaultValue ['PASSWORD', 'EMAIL_OTP', 'SMS_OTP', 'WEB_AUTHN']
   */
  allowedFirstAuthFactors?: ('PASSWORD' | 'EMAIL_OTP' | 'SMS_OTP' | 'WEB_AUTHN')[];
  /** Email MFA is available (offered in MFA_SETUP, allowed in SetUserMFAPreference). @defaultValue false */
  emailMfa?: boolean;
  /** The WebAuthn relying party id. @defaultValue 'localhost' */
  webAuthnRpId?: string;
  /** The pool's WebAuthn user verification. @defaultValue 'preferred' */
  webAuthnUserVerification?: 'preferred' | 'required';
  /** The `timeout` of the WebAuthn options the fake hands out, in ms. @defaultValue 180000 */
  webAuthnTimeoutMs?: number;
  /**
   * Device tracking ("remember user devices"): `'always'` remembers a device at ConfirmDevice,
   * `'opt-in'` only after UpdateDeviceStatus (DeviceOnlyRememberedOnUserPrompt), `'off'` tracks none.
   * @defaultValue 'off'
   */
  deviceTracking?: DeviceTracking;
  /**
   * A remembered device signs in with device authentication (DEVICE_SRP_AUTH) instead of MFA
   * (ChallengeRequiredOnNewDevice); `false`: remembered devices answer MFA like any other.
   * @defaultValue true
   */
  rememberedDevicesSkipMfa?: boolean;
  /**
   * How a challenge answer (RespondToAuthChallenge) with a DEVICE_KEY the pool does not know is
   * refused. The API reference names neither; `ResourceNotFoundException` ('Device does not exist.')
   * is what the raw library and Amplify retry on, and users of other SDKs report
   * `InvalidParameterException` ('Invalid device key given.') for MFA answers
   * (amazon-cognito-identity-dart-2 issue 184). Clients must handle both.
   * @defaultValue 'ResourceNotFoundException'
   */
  unknownDeviceInAnswer?: 'ResourceNotFoundException' | 'InvalidParameterException';
}

const HOUR = 3600;
const CODE_TTL_SECONDS: Record<string, number> = { signUp: 24 * HOUR, forgotPassword: HOUR, sms: 180 };

/** The state and configuration the operation handlers share. */
export class Pool {
  readonly region: string;
  readonly userPoolId: string;
  readonly clientId: string;
  /** The app client's secret, when it is a confidential client. */
  readonly clientSecret: string | undefined;
  /** The part of the pool id after '_', which SRP hashes. */
  readonly poolName: string;
  readonly issuer: string;
  readonly emailAlias: boolean;
  readonly refreshTokenRotation: boolean;
  readonly rotationRefusalMessage: string;
  readonly mfa: 'OFF' | 'OPTIONAL' | 'ON';
  readonly passwordPolicy: PasswordPolicy;
  readonly challengeSessionTtlSeconds: number;
  readonly users: UserStore;
  readonly tokens: TokenService;
  readonly sessions: ChallengeSessions;
  readonly codes = new CodeBook();
  readonly allowedFirstAuthFactors: readonly string[];
  readonly emailMfa: boolean;
  readonly webAuthnRpId: string;
  readonly webAuthnUserVerification: 'preferred' | 'required';
  readonly webAuthnTimeoutMs: number;
  readonly deviceTracking: DeviceTracking;
  readonly rememberedDevicesSkipMfa: boolean;
  readonly unknownDeviceInAnswer: 'ResourceNotFoundException' | 'InvalidParameterException';
  readonly devices: DeviceStore;
  private readonly fixedCode: string | undefined;
  private readonly clock: () => number;

  constructor(options: FakeCognitoOptions = {}) {
    this.region = options.region ?? 'us-east-1';
    this.userPoolId = options.userPoolId ?? `${this.region}_TestPool1`;
    this.clientId = options.clientId ?? 'testclient123';
    this.clientSecret = options.clientSecret;
    this.poolName = this.userPoolId.split('_')[1] ?? '';
    if (!this.poolName)
      throw new Error(`userPoolId must look like 'us-east-1_Abc123', got ${this.userPoolId}`);
    this.issuer = `https://cognito-idp.${this.region}.amazonaws.com/${this.userPoolId}`;
    this.emailAlias = options.usernameAttributes?.includes('email') ?? false;
    this.refreshTokenRotation = options.refreshTokenRotation ?? false;
    this.rotationRefusalMessage =
      options.rotationRefusalMessage ??
      'Refresh token rotation is enabled for this app client. Use GetTokensFromRefreshToken to refresh tokens.';
    this.mfa = options.mfa ?? 'OPTIONAL';
    this.passwordPolicy = {
      minimumLength: 8,
      requireLowercase: false,
      requireUppercase: false,
      requireNumbers: false,
      requireSymbols: false,
      ...options.passwordPolicy,
    };
    this.challengeSessionTtlSeconds = options.challengeSessionTtlSeconds ?? 180;
    this.allowedFirstAuthFactors = options.allowedFirstAuthFactors ?? [
      'PASSWORD',
      'EMAIL_OTP',
      'SMS_OTP',
      'WEB_AUTHN',
    ];
    this.emailMfa = options.emailMfa ?? false;
    this.webAuthnRpId = options.webAuthnRpId ?? 'localhost';
    this.webAuthnUserVerification = options.webAuthnUserVerification ?? 'preferred';
    this.webAuthnTimeoutMs = options.webAuthnTimeoutMs ?? 180_000;
    this.fixedCode = options.code;
    const clock = options.now;
    this.clock = clock ? () => clock() : () => Date.now();
    this.users = new UserStore(this.poolName, this.emailAlias);
    this.tokens = new TokenService({
      issuer: this.issuer,
      clientId: this.clientId,
      accessTokenTtlSeconds: options.accessTokenTtlSeconds ?? HOUR,
      idTokenTtlSeconds: options.idTokenTtlSeconds ?? HOUR,
      refreshTokenTtlSeconds: options.refreshTokenTtlSeconds ?? 30 * 24 * HOUR,
      retryGracePeriodSeconds: options.retryGracePeriodSeconds ?? 0,
      now: () => this.now(),
    });
    this.deviceTracking = options.deviceTracking ?? 'off';
    this.rememberedDevicesSkipMfa = options.rememberedDevicesSkipMfa ?? true;
    this.unknownDeviceInAnswer = options.unknownDeviceInAnswer ?? 'ResourceNotFoundException';
    this.devices = new DeviceStore(this.region, () => this.now());
    this.sessions = new ChallengeSessions(
      () => this.challengeSessionTtlSeconds,
      () => this.now(),
    );
  }

  now(): number {
    return this.clock();
  }

  /** Reads ClientId and rejects any client but ours. */
  checkClient(body: Body): void {
    const clientId = requireString(body, 'ClientId');
    if (clientId !== this.clientId) {
      throw new CognitoFault('ResourceNotFoundException', `User pool client ${clientId} does not exist.`);
    }
  }

  requireUser(nameOrAlias: string): UserRecord {
    const user = this.users.find(nameOrAlias);
    if (!user) throw userNotFound();
    return user;
  }

  /** The user behind a valid access token. */
  authenticate(body: Body): UserRecord {
    const claims = this.tokens.verifyAccess(requireString(body, 'AccessToken'));
    const user = this.users.find(claims.username);
    if (!user || user.sub !== claims.sub) throw notAuthorized('Access Token has been revoked');
    return user;
  }

  /** @throws InvalidPasswordException naming the first rule `password` breaks. */
  checkPasswordPolicy(password: string): void {
    const policy = this.passwordPolicy;
    const broken =
      password.length < policy.minimumLength
        ? 'Password not long enough'
        : policy.requireLowercase && !/[a-z]/.test(password)
          ? 'Password must have lowercase characters'
          : policy.requireUppercase && !/[A-Z]/.test(password)
            ? 'Password must have uppercase characters'
            : policy.requireNumbers && !/[0-9]/.test(password)
              ? 'Password must have numeric characters'
              : policy.requireSymbols && !/[^a-zA-Z0-9]/.test(password)
                ? 'Password must have symbol characters'
                : undefined;
    if (broken)
      throw new CognitoFault('InvalidPasswordException', `Password does not conform to policy: ${broken}`);
  }

  /**
   * "Sends" a code for `purpose` to `attribute` (email or phone_number) and returns the
   * CodeDeliveryDetails Cognito would.
   */
  sendCode(user: UserRecord, purpose: CodePurpose, attribute: string, value: string) {
    const now = this.now();
    const ttl =
      purpose === 'sms' || purpose === 'emailOtp' || purpose === 'smsOtp'
        ? this.challengeSessionTtlSeconds
        : (CODE_TTL_SECONDS[purpose] ?? 24 * HOUR);
    this.codes.record({
      username: user.username,
      purpose,
      code: this.fixedCode ?? randomCode(),
      destination: value,
      sentAt: now,
      expiresAt: now + ttl * 1000,
    });
    return codeDelivery(attribute, value);
  }

  /** Where account codes go: email if the user has one, else phone_number. */
  deliveryTarget(user: UserRecord, verifiedOnly: boolean): { attribute: string; value: string } | undefined {
    for (const attribute of ['email', 'phone_number']) {
      const value = user.attributes[attribute];
      if (value && (!verifiedOnly || user.attributes[`${attribute}_verified`] === 'true')) {
        return { attribute, value };
      }
    }
    return undefined;
  }
}

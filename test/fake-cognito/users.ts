import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { createVerifier, type SrpVerifier } from './srp.js';

export type UserStatus = 'CONFIRMED' | 'UNCONFIRMED' | 'FORCE_CHANGE_PASSWORD' | 'RESET_REQUIRED';
export type MfaKind = 'SMS' | 'TOTP' | 'EMAIL';

/** What the fake keeps per user. Mutable on purpose: tests may poke at it. */
export interface UserRecord {
  /** The internal username (the sub in an email-alias pool). */
  username: string;
  sub: string;
  status: UserStatus;
  /** Active attributes, as strings (email_verified is 'true' / 'false'), sub included. */
  attributes: Record<string, string>;
  /** email / phone_number values waiting for VerifyUserAttribute. */
  pendingAttributes: Record<string, string>;
  /** Attributes the NEW_PASSWORD_REQUIRED challenge asks for (names without a prefix). */
  requiredAttributes: string[];
  srp: SrpVerifier;
  passwordHash: { salt: string; hash: string };
  smsMfaEnabled: boolean;
  totpEnabled: boolean;
  /** Email MFA (EMAIL_OTP as a second factor) is on. */
  emailMfaEnabled: boolean;
  /** Signed up without a password: the PASSWORD factors are not offered. */
  passwordless: boolean;
  /** Registered passkeys (verified with @simplewebauthn/server). */
  passkeys: StoredPasskey[];
  /** The challenge of a StartWebAuthnRegistration waiting for CompleteWebAuthnRegistration. */
  pendingRegistration?: { challenge: string; expiresAt: number } | undefined;
  /** The verified authenticator secret. */
  totpSecret?: string | undefined;
  /** Secret handed out by AssociateSoftwareToken, not verified yet. */
  pendingTotpSecret?: string | undefined;
  preferredMfa?: MfaKind | undefined;
  customChallenge?: { question: string; answer: string } | undefined;
  createdAt: number;
  lastModified: number;
}

/** A passkey as the fake keeps it: what verifyAuthenticationResponse needs, and what ListWebAuthnCredentials shows. */
export interface StoredPasskey {
  /** base64url */
  id: string;
  publicKey: Uint8Array;
  counter: number;
  transports: string[];
  attachment?: string | undefined;
  friendlyName: string;
  relyingPartyId: string;
  createdAt: number;
}

/**
 * A passkey to store on a user directly (`fake.getUser(name)?.passkeys.push(storedPasskey())`), for
 * tests that need one without a registration ceremony. Its public key is zeros: it lists, and it
 * makes the fake offer WEB_AUTHN, but no assertion verifies against it.
 */
export function storedPasskey(overrides: Partial<StoredPasskey> = {}): StoredPasskey {
  return {
    id: 'AQIDBA',
    publicKey: new Uint8Array(65),
    counter: 0,
    transports: ['internal'],
    friendlyName: 'Passkey',
    relyingPartyId: 'localhost',
    createdAt: 0,
    ...overrides,
  };
}

/** Attributes of Cognito's standard schema (anything else must start with 'custom:'). */
export const STANDARD_ATTRIBUTES = new Set([
  'address',
  'birthdate',
  'email',
  'email_verified',
  'family_name',
  'gender',
  'given_name',
  'locale',
  'middle_name',
  'name',
  'nickname',
  'phone_number',
  'phone_number_verified',
  'picture',
  'preferred_username',
  'profile',
  'sub',
  'updated_at',
  'website',
  'zoneinfo',
]);

export const isKnownAttribute = (name: string): boolean =>
  STANDARD_ATTRIBUTES.has(name) || /^custom:[\w.-]{1,20}$/.test(name);

function hashPassword(password: string, salt: string): string {
  return createHash('sha256').update(`${salt}:${password}`).digest('hex');
}

/** The users of one pool, found by internal username or (email-alias pools) by email. */
export class UserStore {
  private readonly users = new Map<string, UserRecord>();

  constructor(
    private readonly poolName: string,
    private readonly emailAlias: boolean,
  ) {}

  create(input: {
    username: string;
    sub: string;
    password: string;
    status: UserStatus;
    attributes: Record<string, string>;
    now: number;
  }): UserRecord {
    const user: UserRecord = {
      username: input.username,
      sub: input.sub,
      status: input.status,
      attributes: { sub: input.sub, ...input.attributes },
      pendingAttributes: {},
      requiredAttributes: [],
      srp: { salt: 0n, verifier: 0n },
      passwordHash: { salt: '', hash: '' },
      smsMfaEnabled: false,
      totpEnabled: false,
      emailMfaEnabled: false,
      passwordless: false,
      passkeys: [],
      createdAt: input.now,
      lastModified: input.now,
    };
    this.setPassword(user, input.password);
    this.users.set(user.username.toLowerCase(), user);
    return user;
  }

  /** By internal username (case-insensitive), or by email in an email-alias pool. */
  find(nameOrAlias: string): UserRecord | undefined {
    const key = nameOrAlias.toLowerCase();
    const direct = this.users.get(key);
    if (direct || !this.emailAlias) return direct;
    return this.findByEmail(key);
  }

  findByEmail(email: string): UserRecord | undefined {
    const key = email.toLowerCase();
    for (const user of this.users.values()) {
      if (user.attributes.email?.toLowerCase() === key) return user;
    }
    return undefined;
  }

  delete(user: UserRecord): void {
    this.users.delete(user.username.toLowerCase());
  }

  all(): UserRecord[] {
    return [...this.users.values()];
  }

  setPassword(user: UserRecord, password: string): void {
    const salt = randomBytes(8).toString('hex');
    user.passwordHash = { salt, hash: hashPassword(password, salt) };
    user.srp = createVerifier(this.poolName, user.username, password);
  }

  checkPassword(user: UserRecord, password: string): boolean {
    const actual = Buffer.from(hashPassword(password, user.passwordHash.salt), 'hex');
    return timingSafeEqual(actual, Buffer.from(user.passwordHash.hash, 'hex'));
  }
}

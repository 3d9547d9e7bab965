import { invalidSession } from './errors.js';
import type { ServerEphemeral } from './srp.js';
import { opaqueSession } from './util.js';

export type ChallengeName =
  | 'PASSWORD_VERIFIER'
  | 'NEW_PASSWORD_REQUIRED'
  | 'SMS_MFA'
  | 'SOFTWARE_TOKEN_MFA'
  | 'SELECT_MFA_TYPE'
  | 'MFA_SETUP'
  | 'CUSTOM_CHALLENGE'
  | 'SELECT_CHALLENGE'
  | 'EMAIL_OTP'
  | 'SMS_OTP'
  | 'WEB_AUTHN'
  | 'DEVICE_SRP_AUTH'
  | 'DEVICE_PASSWORD_VERIFIER';

/** Sessions that are no challenge: SignUp's (sent with ConfirmSignUp) and ConfirmSignUp's (signs in). */
export type SignUpSessionKind = 'SIGN_UP' | 'SIGN_UP_CONFIRMED';

/** Server-side state behind one opaque challenge Session. */
export interface ChallengeSession {
  id: string;
  challenge: ChallengeName | SignUpSessionKind;
  username: string;
  sub: string;
  expiresAt: number;
  failures: number;
  /** 'CUSTOM_AUTH' sign-ins skip MFA once the custom challenge is answered. */
  flow: string;
  /** The device the client presented (DEVICE_KEY), carried to the end of the sign-in. */
  deviceKey?: string | undefined;
  /** The client proved that device (DEVICE_PASSWORD_VERIFIER). */
  deviceVerified?: boolean | undefined;
  /** PASSWORD_VERIFIER and DEVICE_PASSWORD_VERIFIER only. */
  srp?: { A: bigint; ephemeral: ServerEphemeral; secretBlock: string };
  /** MFA_SETUP only: the secret from AssociateSoftwareToken and whether VerifySoftwareToken passed. */
  setup?: { secret?: string; verified: boolean };
  /** SELECT_CHALLENGE only: the first factors offered. */
  available?: string[];
  /** WEB_AUTHN only: the challenge in CREDENTIAL_REQUEST_OPTIONS (base64url). */
  webAuthnChallenge?: string;
  /** EMAIL_OTP only: 'mfa' for email MFA, 'setup' for email MFA set-up (with the address), else a first factor. */
  emailOtp?: { kind: 'first' | 'mfa' | 'setup'; email?: string };
}

export type NewSession = Omit<ChallengeSession, 'id' | 'expiresAt' | 'failures'>;

/** Challenge sessions: single use, expire after the configured TTL. */
export class ChallengeSessions {
  private readonly sessions = new Map<string, ChallengeSession>();
  private readonly bySecretBlock = new Map<string, string>();

  constructor(
    private readonly ttlSeconds: () => number,
    private readonly now: () => number,
  ) {}

  create(input: NewSession): ChallengeSession {
    const session: ChallengeSession = {
      ...input,
      id: opaqueSession(),
      expiresAt: this.now() + this.ttlSeconds() * 1000,
      failures: 0,
    };
    this.sessions.set(session.id, session);
    if (session.srp) this.bySecretBlock.set(session.srp.secretBlock, session.id);
    return session;
  }

  /**
   * The live session for `id`.
   * @throws NotAuthorizedException 'Invalid session for the user, session is expired.'
   */
  get(id: string | undefined): ChallengeSession {
    const session = id === undefined ? undefined : this.sessions.get(id);
    if (!session) throw invalidSession();
    if (this.now() >= session.expiresAt) {
      this.consume(session);
      throw invalidSession();
    }
    return session;
  }

  /** The PASSWORD_VERIFIER session a SECRET_BLOCK was issued with (when the client sends no Session). */
  idForSecretBlock(secretBlock: string): string | undefined {
    return this.bySecretBlock.get(secretBlock);
  }

  consume(session: ChallengeSession): void {
    this.sessions.delete(session.id);
    if (session.srp) this.bySecretBlock.delete(session.srp.secretBlock);
  }

  /** Swaps a session for a new id with the same state (AssociateSoftwareToken, VerifySoftwareToken). */
  rotate(session: ChallengeSession): ChallengeSession {
    this.consume(session);
    const { id: _id, expiresAt: _expiresAt, failures: _failures, ...rest } = session;
    return this.create(rest);
  }
}

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
  | 'DEVICE_SRP_AUTH'
  | 'DEVICE_PASSWORD_VERIFIER';

/** Server-side state behind one opaque challenge Session. */
export interface ChallengeSession {
  id: string;
  challenge: ChallengeName;
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

import { codeMismatch, expiredCode } from './errors.js';

/** `emailOtp` / `smsOtp`: USER_AUTH's one-time codes and email MFA (its set-up too). */
export type CodePurpose = 'signUp' | 'forgotPassword' | 'sms' | 'emailOtp' | 'smsOtp' | `attribute:${string}`;

/** One code the fake "sent". `destination` is the real address / number, not the masked one. */
export interface SentCode {
  username: string;
  purpose: CodePurpose;
  code: string;
  destination: string;
  sentAt: number;
  expiresAt: number;
  used: boolean;
}

/** Records sent codes; only the newest unused code per (user, purpose) is accepted. */
export class CodeBook {
  readonly sent: SentCode[] = [];

  record(entry: Omit<SentCode, 'used'>): SentCode {
    const sent = { ...entry, used: false };
    this.sent.push(sent);
    return sent;
  }

  latest(username: string, purpose: string): SentCode | undefined {
    for (let i = this.sent.length - 1; i >= 0; i--) {
      const c = this.sent[i];
      if (c && c.username === username && c.purpose === purpose) return c;
    }
    return undefined;
  }

  /**
   * Accepts `code` for (username, purpose) and marks it used.
   * @throws CodeMismatchException for a wrong code, ExpiredCodeException for a stale, replaced or used one.
   */
  redeem(username: string, purpose: CodePurpose, code: string, now: number): void {
    const latest = this.latest(username, purpose);
    if (!latest) throw codeMismatch();
    if (latest.code !== code) {
      const older = this.sent.some(
        (c) => c.username === username && c.purpose === purpose && c.code === code,
      );
      throw older ? expiredCode() : codeMismatch();
    }
    if (latest.used || now > latest.expiresAt) throw expiredCode();
    latest.used = true;
  }

  /** Forgets the codes of a deleted user so a new user with the same name starts clean. */
  forget(username: string): void {
    for (const c of this.sent) if (c.username === username) c.used = true;
  }
}

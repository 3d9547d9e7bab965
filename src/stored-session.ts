// A stored session's meaning: decoding the tokens, judging whether they belong together
// (consistency), the clock drift, and the pending challenge's shape. No storage I/O here; that is
// session-store.ts.
import { decodeJwt, numericClaim, stringClaim } from './internal/jwt.js';
import type { AccessTokenClaims, IdTokenClaims, Session } from './types.js';

// Tokens of one sign-in or refresh are issued within the same second; allow for slow issuers.
const MAX_IAT_SKEW_SECONDS = 60;

/** Tokens as Cognito returns them in an `AuthenticationResult`. */
export interface TokenSet {
  idToken: string;
  accessToken: string;
  refreshToken: string;
}

/** A session as read from storage, with what is needed to judge and refresh it. */
export interface StoredSession {
  session: Session;
  /** The username segment of the storage keys (the raw library may have used the typed name). */
  storageUsername: string;
  /** Seconds this clock runs ahead of Cognito's, measured when the tokens arrived. */
  clockDriftSeconds: number;
  /** Shortest lifetime (exp - iat) of the access and ID tokens, in seconds. */
  lifetimeSeconds: number;
  /** `false` when the tokens do not belong together (a torn write): never used without a refresh. */
  consistent: boolean;
  deviceKey: string | undefined;
  /** The name the user typed to sign in (an alias, an email), kept for display: the TOTP label. */
  loginId: string | undefined;
  /** The ID token's claims are known to be out of date (attributes changed since): refresh before use. */
  claimsStale: boolean;
  /**
   * How the hosted UI issued the session: `'code'` (refreshed at the token endpoint), `'token'`
   * (implicit grant: never refreshed); `undefined` for a session from the user-pool API.
   */
  oauth: 'code' | 'token' | undefined;
}

/** A sign-in challenge waiting for {@link CognitoClient.confirmSignIn}. */
export interface PendingChallenge {
  challengeName: string;
  session: string;
  username: string;
  parameters: Record<string, string>;
  /** Epoch ms after which Cognito has forgotten the challenge session. */
  expiresAt: number;
  /** The name the user typed, for display (the TOTP set-up's account label). */
  label?: string;
}

/**
 * The stored drift in seconds, local clock minus Cognito's, as amazon-cognito-identity-js writes it.
 * Amplify v6 writes the same key in milliseconds with the opposite sign; its sessions carry a
 * `signInDetails` key, which tells them apart.
 */
export function driftSeconds(raw: string | null, writtenByAmplify: boolean): string | null {
  if (raw === null || !writtenByAmplify) return raw;
  const milliseconds = Number(raw);
  return Number.isFinite(milliseconds) ? String(-milliseconds / 1000) : null;
}

// The cache key is the list of stored values, compared one by one: the storage hands back the
// strings it holds, so each comparison is a pointer check, where joining them built and compared
// a new ~4 KB string on every read.
export function cacheKey(...parts: (string | null)[]): readonly (string | null)[] {
  return parts;
}

export function sameParts(a: readonly (string | null)[], b: readonly (string | null)[]): boolean {
  return a.length === b.length && a.every((part, index) => part === b[index]);
}

export function canonicalUsername(
  id: Readonly<Record<string, unknown>> | null,
  access: Readonly<Record<string, unknown>> | null,
): string | undefined {
  return (
    (access && stringClaim(access, 'username')) ?? (id && stringClaim(id, 'cognito:username')) ?? undefined
  );
}

/** What is stored beside the tokens, as read (each `null` when absent). */
export interface StoredExtras {
  drift: string | null;
  deviceKey: string | null;
  staleMark: string | null;
  loginId: string | null;
  oauth?: string | null;
}

export function buildStored(
  storageUsername: string,
  tokens: TokenSet,
  extras: StoredExtras,
): StoredSession | null {
  const { drift, deviceKey, staleMark, loginId } = extras;
  const oauth = extras.oauth === 'code' || extras.oauth === 'token' ? extras.oauth : undefined;
  const id = decodeJwt(tokens.idToken);
  const access = decodeJwt(tokens.accessToken);
  if (!id || !access) return null;
  const sub = stringClaim(id, 'sub');
  const username = canonicalUsername(id, access);
  const idExp = numericClaim(id, 'exp');
  const accessExp = numericClaim(access, 'exp');
  const idIat = numericClaim(id, 'iat');
  const accessIat = numericClaim(access, 'iat');
  if (!sub || !username || idExp === undefined || accessExp === undefined) return null;
  if (idIat === undefined || accessIat === undefined) return null;
  const parsedDrift = drift === null ? 0 : Number(drift);
  const clockDriftSeconds = Number.isFinite(parsedDrift) ? parsedDrift : 0;
  const session: Session = Object.freeze({
    username,
    userSub: sub,
    accessToken: tokens.accessToken,
    idToken: tokens.idToken,
    refreshToken: tokens.refreshToken,
    expiresAt: (Math.min(idExp, accessExp) + clockDriftSeconds) * 1000,
    idTokenClaims: id as IdTokenClaims,
    accessTokenClaims: access as AccessTokenClaims,
  });
  const consistent =
    stringClaim(access, 'sub') === sub &&
    Math.abs(idIat - accessIat) <= MAX_IAT_SKEW_SECONDS &&
    (stringClaim(id, 'origin_jti') === undefined ||
      stringClaim(access, 'origin_jti') === undefined ||
      stringClaim(id, 'origin_jti') === stringClaim(access, 'origin_jti'));
  return {
    session,
    storageUsername,
    clockDriftSeconds,
    lifetimeSeconds: Math.min(idExp - idIat, accessExp - accessIat),
    consistent,
    deviceKey: deviceKey ?? undefined,
    loginId: loginId ?? undefined,
    claimsStale: staleMark !== null && staleMark === claimsId(session),
    oauth,
  };
}

export function claimsId(session: Session): string {
  return `${session.accessTokenClaims.origin_jti ?? ''}:${session.accessTokenClaims.iat}`;
}

export function parsePending(raw: string): PendingChallenge | null {
  try {
    const value = JSON.parse(raw) as Partial<PendingChallenge> | null;
    if (
      value &&
      typeof value.challengeName === 'string' &&
      typeof value.session === 'string' &&
      typeof value.username === 'string' &&
      typeof value.expiresAt === 'number' &&
      value.parameters !== null &&
      typeof value.parameters === 'object'
    ) {
      return value as PendingChallenge;
    }
  } catch {
    // garbage reads as "nothing pending"
  }
  return null;
}

import { notAuthorized } from './errors.js';
import { signJwt, verifyJwt } from './jwt.js';
import type { UserRecord } from './users.js';
import { opaqueRefreshToken, uuid } from './util.js';

/** Cognito's AuthenticationResult. */
export interface AuthenticationResult {
  AccessToken: string;
  IdToken: string;
  RefreshToken?: string;
  ExpiresIn: number;
  TokenType: 'Bearer';
  /** A sign-in on a pool with device tracking from a device the pool does not know yet. */
  NewDeviceMetadata?: { DeviceKey: string; DeviceGroupKey: string };
}

export interface TokenConfig {
  issuer: string;
  clientId: string;
  accessTokenTtlSeconds: number;
  idTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  /** With rotation: how long a rotated-out refresh token still works (Cognito: 0 to 60 s). */
  retryGracePeriodSeconds?: number;
  now: () => number;
}

type RefreshStatus = 'active' | 'revoked' | 'rotated';

interface RefreshRecord {
  username: string;
  sub: string;
  originJti: string;
  eventId: string;
  authTime: number;
  expiresAt: number;
  status: RefreshStatus;
  /** With device tracking: the device the token is bound to (a refresh must present its key). */
  deviceKey?: string;
  /** When rotated: the token that replaced this one, and until when this one still works (grace). */
  rotation?: { successor: string; graceUntil: number };
}

/** One sign-in: every token minted from it shares origin_jti, event_id and auth_time. */
interface Origin {
  username: string;
  sub: string;
  eventId: string;
  authTime: number;
}

/** The claims of an access token the fake accepted. */
export interface AccessClaims {
  username: string;
  sub: string;
  originJti: string;
}

const BOOLEAN_CLAIMS = new Set(['email_verified', 'phone_number_verified']);

/** Mints, tracks and revokes tokens. Revocation works per origin_jti, as in Cognito. */
export class TokenService {
  private readonly refreshTokens = new Map<string, RefreshRecord>();
  private readonly origins = new Map<string, Origin>();
  private readonly revokedOrigins = new Set<string>();

  constructor(private readonly config: TokenConfig) {}

  /** A fresh sign-in: new origin_jti, access + ID + refresh token. */
  signIn(user: UserRecord): AuthenticationResult {
    const originJti = uuid();
    const origin: Origin = {
      username: user.username,
      sub: user.sub,
      eventId: uuid(),
      authTime: Math.floor(this.config.now() / 1000),
    };
    this.origins.set(originJti, origin);
    return { ...this.mint(user, originJti, origin), RefreshToken: this.newRefreshToken(originJti, origin) };
  }

  /**
   * Tokens for a refresh: fresh claims from the user as it is now, same origin.
   * With `rotate` the old refresh token stops working and a new one is returned.
   */
  refresh(refreshToken: string, user: UserRecord, rotate: boolean): AuthenticationResult {
    const record = this.checkRefresh(refreshToken);
    const origin = this.origins.get(record.originJti);
    if (!origin) throw notAuthorized('Invalid Refresh Token');
    const result = this.mint(user, record.originJti, origin);
    if (!rotate) return result;
    // A retry inside the grace period gets the same successor: the retry of one rotation.
    if (record.rotation) return { ...result, RefreshToken: record.rotation.successor };
    const successor = this.newRefreshToken(record.originJti, origin);
    if (record.deviceKey) this.bindDevice(successor, record.deviceKey);
    record.status = 'rotated';
    record.rotation = {
      successor,
      graceUntil: this.config.now() + (this.config.retryGracePeriodSeconds ?? 0) * 1000,
    };
    return { ...result, RefreshToken: successor };
  }

  /**
   * The record behind a refresh token that may still be used.
   * @throws NotAuthorizedException 'Invalid Refresh Token' / 'Refresh Token has been revoked' / 'Refresh Token has expired'
   */
  checkRefresh(refreshToken: string): RefreshRecord & { token: string } {
    const record = this.refreshTokens.get(refreshToken);
    if (!record) throw notAuthorized('Invalid Refresh Token');
    const inGrace = record.status === 'rotated' && this.config.now() < (record.rotation?.graceUntil ?? 0);
    if ((record.status !== 'active' && !inGrace) || this.revokedOrigins.has(record.originJti)) {
      throw notAuthorized('Refresh Token has been revoked');
    }
    if (this.config.now() >= record.expiresAt) throw notAuthorized('Refresh Token has expired');
    return Object.assign(record, { token: refreshToken });
  }

  /** Binds a refresh token to a device: refreshing then needs its device key. */
  bindDevice(refreshToken: string, deviceKey: string): void {
    const record = this.refreshTokens.get(refreshToken);
    if (record) record.deviceKey = deviceKey;
  }

  /** RevokeToken: ends the sign-in a refresh token belongs to. false when the token is unknown. */
  revokeRefreshToken(refreshToken: string): boolean {
    const record = this.refreshTokens.get(refreshToken);
    if (!record) return false;
    record.status = 'revoked';
    this.revokedOrigins.add(record.originJti);
    return true;
  }

  /**
   * Validates an access token for the access-token operations.
   * @throws NotAuthorizedException 'Invalid Access Token' / 'Access Token has expired' / 'Access Token has been revoked'
   */
  verifyAccess(token: string): AccessClaims {
    const claims = verifyJwt(token);
    const originJti = claims?.origin_jti;
    if (
      claims?.token_use !== 'access' ||
      claims.iss !== this.config.issuer ||
      claims.client_id !== this.config.clientId ||
      typeof originJti !== 'string' ||
      typeof claims.username !== 'string' ||
      typeof claims.sub !== 'string' ||
      typeof claims.exp !== 'number' ||
      !this.origins.has(originJti)
    ) {
      throw notAuthorized('Invalid Access Token');
    }
    if (claims.exp * 1000 <= this.config.now()) throw notAuthorized('Access Token has expired');
    if (this.revokedOrigins.has(originJti)) throw notAuthorized('Access Token has been revoked');
    return { username: claims.username, sub: claims.sub, originJti };
  }

  /** Revokes one sign-in: its refresh tokens and every access token minted from it. */
  revokeOrigin(originJti: string): void {
    this.revokedOrigins.add(originJti);
  }

  /** Revokes every sign-in of a user (GlobalSignOut, AdminUserGlobalSignOut, DeleteUser). */
  revokeUser(username: string): void {
    for (const [originJti, origin] of this.origins) {
      if (origin.username === username) this.revokedOrigins.add(originJti);
    }
  }

  private newRefreshToken(originJti: string, origin: Origin): string {
    const token = opaqueRefreshToken();
    this.refreshTokens.set(token, {
      username: origin.username,
      sub: origin.sub,
      originJti,
      eventId: origin.eventId,
      authTime: origin.authTime,
      expiresAt: this.config.now() + this.config.refreshTokenTtlSeconds * 1000,
      status: 'active',
    });
    return token;
  }

  private mint(user: UserRecord, originJti: string, origin: Origin): AuthenticationResult {
    const { issuer, clientId, accessTokenTtlSeconds, idTokenTtlSeconds } = this.config;
    const iat = Math.floor(this.config.now() / 1000);
    const common = { origin_jti: originJti, event_id: origin.eventId, auth_time: origin.authTime, iat };
    const attributes: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(user.attributes)) {
      attributes[name] = BOOLEAN_CLAIMS.has(name) ? value === 'true' : value;
    }
    const idToken = signJwt({
      ...attributes,
      sub: user.sub,
      iss: issuer,
      'cognito:username': user.username,
      aud: clientId,
      token_use: 'id',
      ...common,
      exp: iat + idTokenTtlSeconds,
      jti: uuid(),
    });
    const accessToken = signJwt({
      sub: user.sub,
      iss: issuer,
      client_id: clientId,
      token_use: 'access',
      scope: 'aws.cognito.signin.user.admin',
      ...common,
      exp: iat + accessTokenTtlSeconds,
      jti: uuid(),
      username: user.username,
    });
    return {
      AccessToken: accessToken,
      IdToken: idToken,
      ExpiresIn: accessTokenTtlSeconds,
      TokenType: 'Bearer',
    };
  }
}

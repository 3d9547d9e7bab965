// AWS credentials from an identity pool (the enhanced flow: GetId, then GetCredentialsForIdentity),
// loaded only when an app calls getAwsCredentials() or getIdentityId(). Credentials are cached in
// memory per client; the identity id is kept in the client's storage, per user and identity pool,
// so a reload or another process sends no GetId.
//
// Every import here is a type: errors and transports are made through the core (core.error,
// core.transport.to), so bundlers keep this module in a chunk of its own and an app that never
// calls it loads not one byte more (a shared runtime import would split a shared chunk off the entry).
import type { CognitoError } from '../errors.js';
import type { ClientCore } from '../internal/core.js';
import type { Transport } from '../internal/http.js';
import type { Session } from '../types.js';
import type { AwsCredentials, GetAwsCredentialsOptions } from './types.js';

interface Cached {
  /** The `sub` the credentials belong to; `''` for a guest. */
  owner: string;
  credentials: AwsCredentials;
  /** Epoch ms (local clock) from which they are refreshed before use. */
  refreshAt: number;
}

interface Flight {
  owner: string;
  promise: Promise<AwsCredentials>;
}

interface IdentityState {
  transport: Transport;
  cached: Cached | undefined;
  flight: Flight | undefined;
}

interface Credentials {
  AccessKeyId?: unknown;
  SecretKey?: unknown;
  SessionToken?: unknown;
  Expiration?: unknown;
}

const STATE = Symbol('identity');

const invalid = (core: ClientCore, message: string) =>
  core.error('InvalidParameterException', message, { retryable: false });

function config(core: ClientCore): { poolId: string; endpoint: string } {
  const { identityPoolId: poolId, identityEndpoint } = core.options;
  if (!poolId)
    throw invalid(core, 'identityPoolId is not set: pass it to the CognitoClient to get AWS credentials');
  const endpoint =
    identityEndpoint ?? `https://cognito-identity.${poolId.slice(0, poolId.indexOf(':'))}.amazonaws.com/`;
  return { poolId, endpoint };
}

/** getAwsCredentials' options (the same checks and messages as internal/validate.ts). */
function forceRefresh(core: ClientCore, options: unknown): boolean {
  if (options === null || typeof options !== 'object' || Array.isArray(options))
    throw invalid(core, 'options must be an object');
  for (const key of Object.keys(options))
    if (key !== 'forceRefresh') throw invalid(core, `options has an unknown option "${key}"`);
  const force = (options as GetAwsCredentialsOptions).forceRefresh;
  if (force !== undefined && typeof force !== 'boolean')
    throw invalid(core, 'forceRefresh must be a boolean');
  return force === true;
}

function state(core: ClientCore, endpoint: string): IdentityState {
  return core.state(STATE, () => {
    const { events } = core;
    const s: IdentityState = {
      transport: core.transport.to(endpoint, 'AWSCognitoIdentityService.'),
      cached: undefined,
      flight: undefined,
    };
    // Another user's (or a guest's) credentials must never serve the next caller.
    const drop = () => {
      s.cached = undefined;
      s.flight = undefined;
    };
    events.on('signedIn', drop);
    events.on('signedOut', drop);
    return s;
  });
}

const notSignedIn = (core: ClientCore) =>
  core.error('NotSignedInException', 'Nobody is signed in and allowGuestAccess is off');

async function stored(core: ClientCore, key: string, value?: string | null): Promise<string | null> {
  const { storage } = core.store;
  try {
    if (value === undefined) {
      const read: unknown = await storage.getItem(key);
      return typeof read === 'string' && read !== '' ? read : null;
    }
    await (value === null ? storage.removeItem(key) : storage.setItem(key, value));
    return value;
  } catch (cause) {
    throw core.error('StorageException', 'The token storage failed', { cause, retryable: false });
  }
}

/** Where the identity id of `username` (or of the guest, without one) is kept. */
function idKey(core: ClientCore, poolId: string, username?: string): string {
  const prefix = `CognitoIdentityServiceProvider.${core.clientId}.`;
  return username
    ? `${prefix}${username}.cognitoKit.identityId.${poolId}`
    : `${prefix}cognitoKit.guestIdentityId.${poolId}`;
}

function unexpected(core: ClientCore, operation: string): CognitoError {
  // No cause: the body may hold credentials.
  return core.error('UnexpectedResponseException', `${operation} answered without what it must carry`);
}

function credentialsFrom(
  core: ClientCore,
  answer: { IdentityId?: unknown; Credentials?: Credentials },
  sent: string,
): AwsCredentials & { refreshAt: number } {
  const c = answer.Credentials;
  const identityId = answer.IdentityId ?? sent;
  if (
    typeof identityId !== 'string' ||
    typeof c?.AccessKeyId !== 'string' ||
    typeof c.SecretKey !== 'string' ||
    typeof c.SessionToken !== 'string' ||
    typeof c.Expiration !== 'number'
  )
    throw unexpected(core, 'GetCredentialsForIdentity');
  const expiresAt = c.Expiration * 1000;
  const margin = Math.min(core.options.refreshMarginSeconds * 1000, (expiresAt - core.now()) / 2);
  return {
    accessKeyId: c.AccessKeyId,
    secretAccessKey: c.SecretKey,
    sessionToken: c.SessionToken,
    expiration: new Date(expiresAt),
    identityId,
    refreshAt: expiresAt - margin,
  };
}

/**
 * One round of GetId (when no identity id is known) and GetCredentialsForIdentity. An "Invalid login
 * token" answer refreshes the session once and retries once; an identity id the pool no longer knows
 * (or a guest id it will not link) is dropped and fetched again once.
 */
async function fetchCredentials(
  core: ClientCore,
  transport: Transport,
  poolId: string,
  signedIn: boolean,
): Promise<Cached> {
  let session: Session | null = signedIn ? await core.sessions.get() : null;
  if (signedIn && !session) throw notSignedIn(core);
  const region = core.userPoolId.slice(0, core.userPoolId.indexOf('_'));
  const guestKey = idKey(core, poolId);
  let refreshed = false;
  let renewed = false;
  for (;;) {
    const logins = session
      ? { Logins: { [`cognito-idp.${region}.amazonaws.com/${core.userPoolId}`]: session.idToken } }
      : {};
    const key = session ? idKey(core, poolId, session.username) : guestKey;
    const known = await stored(core, key);
    // A guest id is linked on sign-in: sent with the user's login instead of a GetId.
    const guest = !known && session ? await stored(core, guestKey) : null;
    let id = known ?? guest;
    try {
      if (!id) {
        const answer = await transport.send<{ IdentityId?: unknown }>('GetId', {
          IdentityPoolId: poolId,
          ...logins,
        });
        if (typeof answer.IdentityId !== 'string') throw unexpected(core, 'GetId');
        id = answer.IdentityId;
        await stored(core, key, id);
      }
      const { refreshAt, ...credentials } = credentialsFrom(
        core,
        await transport.send('GetCredentialsForIdentity', { IdentityId: id, ...logins }),
        id,
      );
      // The pool's answer wins (a linked guest may be merged into the user's identity).
      if (credentials.identityId !== known) await stored(core, key, credentials.identityId);
      if (guest) await stored(core, guestKey, null);
      return { owner: session?.userSub ?? '', credentials, refreshAt };
    } catch (error) {
      // The transport and the storage helper above throw CognitoErrors only.
      const { code, message = '' } = (error ?? {}) as Partial<CognitoError>;
      const rejected = code === 'NotAuthorizedException';
      if (session && rejected && !refreshed && /invalid login token/i.test(message)) {
        refreshed = true;
        session = await core.sessions.get(true);
        if (!session) throw notSignedIn(core);
      } else if (!renewed && id && (code === 'ResourceNotFoundException' || (guest && rejected))) {
        renewed = true;
        await stored(core, guest ? guestKey : key, null);
      } else {
        throw error;
      }
    }
  }
}

/** getAwsCredentials(): the cached credentials while valid for the current user, else one fetch for all callers. */
export async function getAwsCredentials(
  core: ClientCore,
  options: GetAwsCredentialsOptions = {},
): Promise<AwsCredentials> {
  const force = forceRefresh(core, options);
  const { poolId, endpoint } = config(core);
  const s = state(core, endpoint);
  // Checked on every call, so a sign-in or sign-out by another client on the same storage counts too.
  const owner = (await core.store.read())?.session.userSub ?? '';
  const cached = s.cached;
  if (!force && cached?.owner === owner && core.now() < cached.refreshAt) return { ...cached.credentials };
  let flight = s.flight;
  if (flight?.owner !== owner) {
    if (!owner && !core.options.allowGuestAccess) throw notSignedIn(core);
    const next: Flight = {
      owner,
      promise: fetchCredentials(core, s.transport, poolId, owner !== '').then(
        (result) => {
          // Not cached when a sign-in or sign-out came while it was in flight.
          if (s.flight === next) {
            s.cached = result;
            s.flight = undefined;
          }
          return result.credentials;
        },
        (error: unknown) => {
          if (s.flight === next) s.flight = undefined;
          throw error;
        },
      ),
    };
    flight = s.flight = next;
  }
  return { ...(await flight.promise) };
}

/** getIdentityId(): the stored identity id without a request; otherwise fetched with the credentials. */
export async function getIdentityId(core: ClientCore): Promise<string> {
  const { poolId, endpoint } = config(core);
  const s = state(core, endpoint);
  const session = (await core.store.read())?.session;
  if (!session && !core.options.allowGuestAccess) throw notSignedIn(core);
  if (s.cached && s.cached.owner === (session?.userSub ?? '')) return s.cached.credentials.identityId;
  return (
    (await stored(core, idKey(core, poolId, session?.username))) ?? (await getAwsCredentials(core)).identityId
  );
}

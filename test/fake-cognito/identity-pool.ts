/**
 * An in-process fake of an Amazon Cognito identity pool (`AWSCognitoIdentityService`, JSON 1.1)
 * whose only authentication provider is a {@link FakeCognito} user pool. It checks what the
 * identity pool checks (API reference, GetId and GetCredentialsForIdentity): the Logins key
 * `cognito-idp.<region>.amazonaws.com/<userPoolId>`, the ID token's signature (the fake's own key),
 * `iss`, `aud` (an app client configured for the pool), `token_use` and expiry; unknown identity
 * ids; guest access. It counts requests and injects faults like the user-pool fake.
 *
 * @example
 * const fake = startFake();
 * const idp = new FakeIdentityPool(fake, { allowUnauthenticated: true });
 * idp.intercept(); // nock: POST https://cognito-identity.us-east-1.amazonaws.com/
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type nock from 'nock';
import { type Body, CognitoFault, notAuthorized, requireString } from './errors.js';
import type { FakeCognito, FakeResponse, Fault, Outcome, RecordedRequest } from './fake-cognito.js';
import { verifyJwt } from './jwt.js';
import { interceptPosts, networkError } from './transport.js';

const TARGET_PREFIX = 'AWSCognitoIdentityService.';
const JSON_TYPE = 'application/x-amz-json-1.1';
/** The identity id pattern of the API reference (`[\w-]+:[0-9a-f-]+`, 1 to 55 characters). */
export const IDENTITY_ID_PATTERN = /^[\w-]+:[0-9a-f-]+$/;

export interface FakeIdentityPoolOptions {
  /** @defaultValue `<region>:` + a random GUID */
  identityPoolId?: string;
  /** Unauthenticated (guest) identities allowed. @defaultValue false */
  allowUnauthenticated?: boolean;
  /** App clients of the user pool configured as providers. @defaultValue [the user pool's client] */
  clientIds?: string[];
  /** Lifetime of issued credentials. @defaultValue 3600 */
  credentialsTtlSeconds?: number;
  /** Epoch-ms clock. @defaultValue the user pool's */
  now?: () => number;
}

/** Credentials the fake issued. */
export interface IssuedCredentials {
  identityId: string;
  accessKeyId: string;
  secretKey: string;
  sessionToken: string;
  /** Epoch seconds. */
  expiration: number;
  /** The user's sub; undefined for a guest. */
  sub: string | undefined;
}

interface Identity {
  id: string;
  /** The linked user's sub; undefined while unauthenticated. */
  sub: string | undefined;
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const accessKeyId = () =>
  `ASIA${Array.from(randomBytes(16), (byte) => ALNUM.charAt(byte % ALNUM.length)).join('')}`;

function parseBody(raw: unknown): Body | undefined {
  try {
    const value: unknown =
      typeof raw === 'string' || Buffer.isBuffer(raw) ? JSON.parse(raw.toString() || '{}') : raw;
    if (value === undefined || value === null) return {};
    return typeof value === 'object' && !Array.isArray(value) ? (value as Body) : undefined;
  } catch {
    return undefined;
  }
}

export class FakeIdentityPool {
  readonly identityPoolId: string;
  readonly region: string;
  /** 'https://cognito-identity.<region>.amazonaws.com/' */
  readonly endpoint: string;
  /** The Logins key of the user pool: `cognito-idp.<region>.amazonaws.com/<userPoolId>`. */
  readonly providerName: string;
  readonly requests: RecordedRequest[] = [];
  readonly issued: IssuedCredentials[] = [];
  readonly internalErrors: unknown[] = [];
  allowUnauthenticated: boolean;
  readonly clientIds: string[];
  credentialsTtlSeconds: number;
  private readonly identities = new Map<string, Identity>();
  private readonly faults: { target: string; fault: Fault; remaining: number }[] = [];
  private readonly hung = new Set<() => void>();
  private readonly clock: () => number;

  constructor(
    readonly userPool: FakeCognito,
    options: FakeIdentityPoolOptions = {},
  ) {
    this.region = userPool.region;
    this.identityPoolId = options.identityPoolId ?? `${this.region}:${randomUUID()}`;
    this.endpoint = `https://cognito-identity.${this.region}.amazonaws.com/`;
    this.providerName = `cognito-idp.${this.region}.amazonaws.com/${userPool.userPoolId}`;
    this.allowUnauthenticated = options.allowUnauthenticated ?? false;
    this.clientIds = options.clientIds ?? [userPool.clientId];
    this.credentialsTtlSeconds = options.credentialsTtlSeconds ?? 3600;
    const clock = options.now;
    this.clock = clock ? () => clock() : () => userPool.pool.now();
  }

  /** Transport-neutral entry point, used by `handle`, `intercept` and the HTTP server. */
  async dispatch(
    rawTarget: string,
    rawBody: unknown,
    headers: Record<string, string> = {},
  ): Promise<Outcome> {
    const target = rawTarget.startsWith(TARGET_PREFIX) ? rawTarget.slice(TARGET_PREFIX.length) : rawTarget;
    const body = parseBody(rawBody);
    this.requests.push({ target, body: body ?? rawBody, headers });
    const entry =
      this.faults.find((f) => f.target === target && f.remaining > 0) ??
      this.faults.find((f) => f.target === '*' && f.remaining > 0);
    if (entry) {
      entry.remaining -= 1;
      const fault = entry.fault;
      if ('networkError' in fault) return { kind: 'networkError' };
      if ('dropResponse' in fault) {
        this.respond(target, body);
        return { kind: 'networkError' };
      }
      if ('hang' in fault)
        return new Promise<Outcome>((resolve) => this.hung.add(() => resolve({ kind: 'networkError' })));
      if ('delayMs' in fault) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
      else {
        const faultHeaders = { ...(fault.body ? { 'content-type': JSON_TYPE } : {}), ...fault.headers };
        return {
          kind: 'response',
          response: { status: fault.status, headers: faultHeaders, body: fault.body ?? '' },
        };
      }
    }
    const known = rawTarget.startsWith(TARGET_PREFIX);
    return { kind: 'response', response: this.respond(known ? target : rawTarget, body) };
  }

  /** Handles one request; rejects like fetch for a `networkError` fault. */
  async handle(target: string, body: unknown): Promise<FakeResponse> {
    const outcome = await this.dispatch(TARGET_PREFIX + target, body);
    if (outcome.kind === 'networkError') throw networkError();
    return outcome.response;
  }

  private respond(target: string, body: Body | undefined): FakeResponse {
    try {
      if (target !== 'GetId' && target !== 'GetCredentialsForIdentity')
        throw new CognitoFault('UnknownOperationException', `Unknown operation ${target}`);
      if (!body)
        throw new CognitoFault(
          'SerializationException',
          'Start of structure or map found where not expected.',
        );
      return this.reply(200, target === 'GetId' ? this.getId(body) : this.getCredentials(body));
    } catch (error) {
      if (error instanceof CognitoFault)
        return this.reply(error.status, { __type: error.type, message: error.message }, error.type);
      this.internalErrors.push(error);
      return this.reply(
        500,
        { __type: 'InternalErrorException', message: String(error) },
        'InternalErrorException',
      );
    }
  }

  private reply(status: number, payload: object, errorType?: string): FakeResponse {
    const headers: Record<string, string> = {
      'content-type': JSON_TYPE,
      'x-amzn-requestid': randomUUID(),
      date: new Date(this.clock()).toUTCString(),
    };
    if (errorType) headers['x-amzn-errortype'] = `${errorType}:`;
    return { status, headers, body: JSON.stringify(payload) };
  }

  /** GetId: the identity of the login's user (created on first use), or a new guest identity. */
  private getId(body: Body): { IdentityId: string } {
    const poolId = requireString(body, 'IdentityPoolId');
    if (poolId !== this.identityPoolId)
      throw new CognitoFault('ResourceNotFoundException', `IdentityPool '${poolId}' not found.`);
    const sub = this.login(body);
    if (sub === undefined) {
      this.requireGuests();
      return { IdentityId: this.create(undefined).id };
    }
    return { IdentityId: (this.identityOf(sub) ?? this.create(sub)).id };
  }

  /** GetCredentialsForIdentity: credentials for a known identity whose login (if any) matches. */
  private getCredentials(body: Body) {
    const id = requireString(body, 'IdentityId');
    if (id.length > 55 || !IDENTITY_ID_PATTERN.test(id))
      throw new CognitoFault(
        'InvalidParameterException',
        `1 validation error detected: Value '${id}' at 'identityId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w-]+:[0-9a-f-]+`,
      );
    let identity = this.identities.get(id);
    if (!identity) throw new CognitoFault('ResourceNotFoundException', `Identity '${id}' not found.`);
    const sub = this.login(body);
    if (sub === undefined) {
      if (identity.sub !== undefined) throw notAuthorized(`Access to Identity '${id}' is forbidden.`);
      this.requireGuests();
    } else if (identity.sub === undefined) {
      // Linking a guest: merged into the user's identity when there is one, else it becomes it.
      const existing = this.identityOf(sub);
      if (existing) {
        this.identities.delete(id);
        identity = existing;
      } else identity.sub = sub;
    } else if (identity.sub !== sub) {
      throw notAuthorized(
        "Logins don't match. Please include at least one valid login for this identity or identity pool.",
      );
    }
    const issued: IssuedCredentials = {
      identityId: identity.id,
      accessKeyId: accessKeyId(),
      secretKey: randomBytes(30).toString('base64'),
      sessionToken: `IQoJb3JpZ2luX2Vj${randomBytes(600).toString('base64')}`,
      expiration: Math.floor(this.clock() / 1000) + this.credentialsTtlSeconds,
      sub: identity.sub,
    };
    this.issued.push(issued);
    return {
      IdentityId: issued.identityId,
      Credentials: {
        AccessKeyId: issued.accessKeyId,
        SecretKey: issued.secretKey,
        SessionToken: issued.sessionToken,
        Expiration: issued.expiration,
      },
    };
  }

  private requireGuests(): void {
    if (!this.allowUnauthenticated)
      throw notAuthorized('Unauthenticated access is not supported for this identity pool.');
  }

  /** The sub behind the Logins map, after the identity pool's checks; undefined without logins. */
  private login(body: Body): string | undefined {
    const logins = body.Logins;
    if (logins === undefined || logins === null) return undefined;
    if (typeof logins !== 'object' || Array.isArray(logins))
      throw new CognitoFault('SerializationException', 'Logins must be a map');
    const entries = Object.entries(logins as Record<string, unknown>);
    if (entries.length === 0) return undefined;
    let sub: string | undefined;
    for (const [provider, token] of entries) {
      if (provider !== this.providerName)
        throw notAuthorized('Token is not from a supported provider of this identity pool.');
      if (typeof token !== 'string')
        throw new CognitoFault('SerializationException', 'Logins values must be strings');
      const claims = verifyJwt(token);
      if (claims?.token_use !== 'id' || typeof claims.sub !== 'string')
        throw notAuthorized('Invalid login token. Not a valid OpenId Connect identity token.');
      if (claims.iss !== `https://${provider}`)
        throw notAuthorized("Invalid login token. Issuer doesn't match providerName");
      if (typeof claims.aud !== 'string' || !this.clientIds.includes(claims.aud))
        throw notAuthorized('Invalid login token. Incorrect token audience.');
      const now = Math.floor(this.clock() / 1000);
      const exp = typeof claims.exp === 'number' ? claims.exp : 0;
      if (now >= exp) throw notAuthorized(`Invalid login token. Token expired: ${now} >= ${exp}`);
      sub = claims.sub;
    }
    return sub;
  }

  private create(sub: string | undefined): Identity {
    const identity = { id: `${this.region}:${randomUUID()}`, sub };
    this.identities.set(identity.id, identity);
    return identity;
  }

  /** The identity linked to a user's sub. */
  identityOf(sub: string): Identity | undefined {
    for (const identity of this.identities.values()) if (identity.sub === sub) return identity;
    return undefined;
  }

  /** Whether the pool knows `identityId`, and whom it belongs to. */
  identity(identityId: string): Identity | undefined {
    return this.identities.get(identityId);
  }

  /** DeleteIdentities: the pool forgets the identity (later use: ResourceNotFoundException). */
  deleteIdentity(identityId: string): void {
    this.identities.delete(identityId);
  }

  /** Installs a persistent nock interceptor for POST / on `endpoint`. */
  intercept(): nock.Scope {
    return interceptPosts(this.endpoint, (target, body, headers) => this.dispatch(target, body, headers));
  }

  /** Makes the next `times` requests to `target` ('*' = any) fail as described. */
  failNext(target: string, fault: Fault, times = 1): void {
    this.faults.push({ target, fault, remaining: times });
  }

  /** Lets every request stuck on a `hang` fault end as a network error. */
  releaseHung(): void {
    for (const release of this.hung) release();
    this.hung.clear();
  }

  /** How many requests arrived for `target` (all when omitted). */
  count(target?: string): number {
    return target === undefined
      ? this.requests.length
      : this.requests.filter((r) => r.target === target).length;
  }
}

import type nock from 'nock';
import { randomBase32Secret } from '../helpers/totp.js';
import type { SentCode } from './codes.js';
import { type Body, CognitoFault } from './errors.js';
import { HANDLERS } from './handlers/index.js';
import { jwks } from './jwt.js';
import { type FakeCognitoOptions, Pool } from './pool.js';
import { checkClientSecret } from './secret-hash.js';
import type { AuthenticationResult } from './tokens.js';
import { interceptPosts, networkError, normalizeHeaders } from './transport.js';
import type { UserRecord, UserStatus } from './users.js';
import { uuid } from './util.js';

const TARGET_PREFIX = 'AWSCognitoIdentityProviderService.';
const JSON_TYPE = 'application/x-amz-json-1.1';

/** What `failNext` can do to a request instead of (or before) handling it. */
export type Fault =
  | { status: number; body?: string; headers?: Record<string, string> }
  | { networkError: true }
  | { hang: true }
  | { delayMs: number }
  /** The request is carried out, then the connection drops before the answer arrives. */
  | { dropResponse: true };

/** A request the fake received. `target` has no 'AWSCognitoIdentityProviderService.' prefix. */
export interface RecordedRequest {
  target: string;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary members of the JSON body
  body: any;
  headers: Record<string, string>;
}

/** An HTTP response, as `handle()` returns it. */
export interface FakeResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** What the transport (nock or the HTTP server) must do with a request. A `hang` fault never settles. */
export type Outcome = { kind: 'response'; response: FakeResponse } | { kind: 'networkError' };

/** Input of `addUser`. */
export interface AddUserInput {
  /** The name to sign in with. In an email-alias pool an email here becomes the email attribute. */
  username: string;
  password: string;
  attributes?: Record<string, string>;
  /** @defaultValue 'CONFIRMED' */
  status?: UserStatus;
  /** Turns SMS MFA on (adds phone_number '+15555551234' when absent). */
  sms?: boolean;
  /** Turns TOTP MFA on with a fresh secret, returned as `totpSecret`. */
  totp?: boolean;
  preferredMfa?: 'SMS' | 'TOTP' | 'EMAIL';
  /** Turns email MFA on (needs a verified email; the pool option `emailMfa`). */
  emailMfa?: boolean;
  customChallenge?: { question: string; answer: string };
  /** Attributes NEW_PASSWORD_REQUIRED asks for (status 'FORCE_CHANGE_PASSWORD'). */
  requiredAttributes?: string[];
}

/** Builds a Cognito-shaped error fault for `failNext`. */
export function cognitoError(type: string, message = type, status = 400): Fault {
  return {
    status,
    body: JSON.stringify({ __type: type, message }),
    headers: { 'content-type': JSON_TYPE, 'x-amzn-errortype': `${type}:` },
  };
}

function parseBody(raw: unknown): Body | undefined {
  let value = raw;
  if (typeof raw === 'string' || Buffer.isBuffer(raw)) {
    try {
      value = JSON.parse(raw.toString() || '{}');
    } catch {
      return undefined;
    }
  }
  if (value === undefined || value === null) return {};
  return typeof value === 'object' && !Array.isArray(value) ? (value as Body) : undefined;
}

/**
 * An in-process fake of the Cognito user-pool JSON API (SRP included), for unit tests through
 * nock (`intercept()`) or a real HTTP server (`startFakeCognitoServer`).
 * @example
 * const fake = new FakeCognito();
 * fake.intercept();
 * fake.addUser({ username: 'alice', password: 'Passw0rd!', attributes: { email: 'alice@example.com' } });
 */
export class FakeCognito {
  readonly region: string;
  readonly userPoolId: string;
  readonly clientId: string;
  /** 'https://cognito-idp.<region>.amazonaws.com/' */
  readonly endpoint: string;
  readonly requests: RecordedRequest[] = [];
  /** Every code the fake sent, oldest first; `username` is the internal username, `destination` unmasked. */
  readonly sentCodes: SentCode[];
  /** Unexpected exceptions inside the fake (answered as 500 InternalErrorException). */
  readonly internalErrors: unknown[] = [];
  /** The pool state, for tests that need to reach deeper than the helpers below. */
  readonly pool: Pool;
  private readonly faults: { target: string; fault: Fault; remaining: number }[] = [];
  private readonly hung = new Set<() => void>();

  constructor(options: FakeCognitoOptions = {}) {
    this.pool = new Pool(options);
    this.region = this.pool.region;
    this.userPoolId = this.pool.userPoolId;
    this.clientId = this.pool.clientId;
    this.endpoint = `https://cognito-idp.${this.region}.amazonaws.com/`;
    this.sentCodes = this.pool.codes.sent;
  }

  /**
   * Handles one request. Rejects (like fetch: TypeError 'fetch failed') for a `networkError` fault and never settles for `hang`.
   * `target` may carry the 'AWSCognitoIdentityProviderService.' prefix or not.
   */
  async handle(target: string, body: unknown, headers: Record<string, string> = {}): Promise<FakeResponse> {
    const outcome = await this.dispatch(target, body, headers);
    if (outcome.kind === 'networkError') throw networkError();
    return outcome.response;
  }

  /** Transport-neutral entry point used by `handle`, `intercept` and the HTTP server. */
  async dispatch(
    rawTarget: string,
    rawBody: unknown,
    rawHeaders: Record<string, string> = {},
  ): Promise<Outcome> {
    const target = rawTarget.startsWith(TARGET_PREFIX) ? rawTarget.slice(TARGET_PREFIX.length) : rawTarget;
    const body = parseBody(rawBody);
    this.requests.push({ target, body: body ?? rawBody, headers: normalizeHeaders(rawHeaders) });
    const fault = this.takeFault(target);
    if (fault) {
      if ('networkError' in fault) return { kind: 'networkError' };
      if ('dropResponse' in fault) {
        this.respond(target, body);
        return { kind: 'networkError' };
      }
      if ('hang' in fault) {
        return new Promise<Outcome>((resolve) => {
          this.hung.add(() => resolve({ kind: 'networkError' }));
        });
      }
      if ('delayMs' in fault) {
        await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
      } else {
        const headers = { ...(fault.body ? { 'content-type': JSON_TYPE } : {}), ...fault.headers };
        return { kind: 'response', response: { status: fault.status, headers, body: fault.body ?? '' } };
      }
    }
    const known = !rawTarget.includes('.') || rawTarget.startsWith(TARGET_PREFIX);
    return { kind: 'response', response: await this.respond(known ? target : rawTarget, body) };
  }

  private async respond(target: string, body: Body | undefined): Promise<FakeResponse> {
    const handler = Object.hasOwn(HANDLERS, target) ? HANDLERS[target] : undefined;
    try {
      if (!handler) throw new CognitoFault('UnknownOperationException', `Unknown operation ${target}`);
      if (!body)
        throw new CognitoFault(
          'SerializationException',
          'Start of structure or map found where not expected.',
        );
      checkClientSecret(this.pool, target, body);
      return this.reply(200, await handler(this.pool, body));
    } catch (error) {
      if (error instanceof CognitoFault) {
        return this.reply(error.status, { __type: error.type, message: error.message }, error.type);
      }
      this.internalErrors.push(error);
      const message = error instanceof Error ? error.message : String(error);
      return this.reply(500, { __type: 'InternalErrorException', message }, 'InternalErrorException');
    }
  }

  private reply(status: number, payload: object, errorType?: string): FakeResponse {
    const headers: Record<string, string> = {
      'content-type': JSON_TYPE,
      'x-amzn-requestid': uuid(),
      // Cognito's Date header, on the fake's clock (clients may use it to correct drift).
      date: new Date(this.pool.now()).toUTCString(),
    };
    if (errorType) headers['x-amzn-errortype'] = `${errorType}:`;
    return { status, headers, body: JSON.stringify(payload) };
  }

  /** Installs a persistent nock interceptor for POST / on `endpoint`; X-Amz-Target picks the operation. */
  intercept(): nock.Scope {
    return interceptPosts(this.endpoint, (target, body, headers) => this.dispatch(target, body, headers));
  }

  /** Makes the next `times` requests to `target` ('*' = any) fail as described. */
  failNext(target: string, fault: Fault, times = 1): void {
    this.faults.push({ target, fault, remaining: times });
  }

  private takeFault(target: string): Fault | undefined {
    const entry =
      this.faults.find((f) => f.target === target && f.remaining > 0) ??
      this.faults.find((f) => f.target === '*' && f.remaining > 0);
    if (!entry) return undefined;
    entry.remaining -= 1;
    return entry.fault;
  }

  /** Lets every request stuck on a `hang` fault end as a network error. */
  releaseHung(): void {
    for (const release of this.hung) release();
    this.hung.clear();
  }

  /** Creates a user directly, as AdminCreateUser + AdminSetUserPassword would. */
  addUser(input: AddUserInput): { username: string; sub: string; totpSecret?: string } {
    const pool = this.pool;
    const status = input.status ?? 'CONFIRMED';
    const attributes = { ...input.attributes };
    const sub = uuid();
    const emailName = pool.emailAlias && input.username.includes('@');
    if (emailName) attributes.email ??= input.username;
    if (
      pool.users.find(input.username) ||
      (attributes.email && pool.emailAlias && pool.users.findByEmail(attributes.email))
    ) {
      throw new Error(`FakeCognito.addUser: ${input.username} already exists`);
    }
    if (input.sms) attributes.phone_number ??= '+15555551234';
    const verified = status === 'UNCONFIRMED' ? 'false' : 'true';
    if (attributes.email) attributes.email_verified ??= verified;
    if (attributes.phone_number) attributes.phone_number_verified ??= verified;
    const user = pool.users.create({
      username: emailName ? sub : input.username,
      sub,
      password: input.password,
      status,
      attributes,
      now: pool.now(),
    });
    user.smsMfaEnabled = input.sms ?? false;
    if (input.totp) {
      user.totpSecret = randomBase32Secret();
      user.totpEnabled = true;
    }
    user.preferredMfa = input.preferredMfa;
    user.emailMfaEnabled = input.emailMfa ?? false;
    user.customChallenge = input.customChallenge;
    user.requiredAttributes = input.requiredAttributes ?? [];
    return { username: user.username, sub, ...(user.totpSecret ? { totpSecret: user.totpSecret } : {}) };
  }

  /** The stored user record (by username, or email in an email-alias pool). */
  getUser(usernameOrAlias: string): UserRecord | undefined {
    return this.pool.users.find(usernameOrAlias);
  }

  /**
   * The newest code sent to a user for `purpose` ('signUp', 'forgotPassword', 'sms', 'attribute:email', ...).
   * @throws Error when none was sent.
   */
  lastCode(username: string, purpose: string): string {
    const internal = this.pool.users.find(username)?.username ?? username;
    const code = this.pool.codes.latest(internal, purpose)?.code;
    if (code === undefined) throw new Error(`FakeCognito: no ${purpose} code was sent to ${username}`);
    return code;
  }

  /** Revokes every refresh and access token of a user, like AdminUserGlobalSignOut. */
  revokeRefreshTokens(username: string): void {
    this.pool.tokens.revokeUser(this.pool.users.find(username)?.username ?? username);
  }

  /** Signs a user in without a protocol round trip (tokens as after a full sign-in). */
  issueTokens(username: string): Required<AuthenticationResult> {
    const user = this.pool.users.find(username);
    if (!user) throw new Error(`FakeCognito.issueTokens: no user ${username}`);
    return this.pool.tokens.signIn(user) as Required<AuthenticationResult>;
  }

  /** How many requests the fake received for `target` (all targets when omitted). */
  count(target?: string): number {
    return target === undefined
      ? this.requests.length
      : this.requests.filter((r) => r.target === target).length;
  }

  /** How many refresh requests arrived (REFRESH_TOKEN(_AUTH) InitiateAuth + GetTokensFromRefreshToken). */
  refreshCount(): number {
    return this.requests.filter(
      (r) =>
        r.target === 'GetTokensFromRefreshToken' ||
        (r.target === 'InitiateAuth' && ['REFRESH_TOKEN_AUTH', 'REFRESH_TOKEN'].includes(r.body?.AuthFlow)),
    ).length;
  }

  /** The JWKS that verifies the fake's tokens. */
  jwks(): { keys: Record<string, unknown>[] } {
    return jwks();
  }
}

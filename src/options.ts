// CognitoClient's options: validated once, defaults applied, and the default storage chosen here
// and nowhere else.
import { invalidParameter } from './errors.js';
import { type ClientSecret, resolveClientSecret } from './internal/client-secret.js';
import {
  optionalBoolean,
  optionalString,
  requireNumber,
  requireOneOf,
  requireOptions,
  requireString,
} from './internal/validate.js';
import type { OAuthOptions } from './oauth/types.js';
import { memoryStorage } from './storage/memory.js';
import type { TokenStorage } from './storage/types.js';
import { defaultBrowserStorage } from './storage/web.js';
import type { AuthFlow, CognitoClientOptions } from './types.js';

/** Every option with its default applied. */
export interface ResolvedOptions {
  userPoolId: string;
  clientId: string;
  endpoint: string;
  storage: TokenStorage;
  authFlow: AuthFlow;
  refreshMarginSeconds: number;
  requestTimeoutMs: number;
  maxAttempts: number;
  retryBaseDelayMs: number;
  refreshTokenRotation: boolean;
  totpIssuer: string;
  challengeTtlSeconds: number;
  /** As given, checked to be an object; src/oauth/config.ts validates the rest on the hosted UI's first use. */
  oauth: OAuthOptions | undefined;
  autoRefresh: boolean;
  /** Only from the CognitoClient of cognito-kit/node and cognito-kit/server. */
  clientSecret: ClientSecret | undefined;
  /** `undefined`: chosen by src/devices/ when a device is confirmed (only apps that confirm one ship the code). */
  deviceName: string | undefined;
  /** The identity pool that exchanges tokens for AWS credentials, when configured. */
  identityPoolId: string | undefined;
  allowGuestAccess: boolean;
  /** The identity pool's endpoint when given; identity/ applies the regional default. */
  identityEndpoint: string | undefined;
}

const OPTION_KEYS = [
  'userPoolId',
  'clientId',
  'endpoint',
  'allowInsecureEndpoint',
  'storage',
  'authFlow',
  'refreshMarginSeconds',
  'requestTimeoutMs',
  'maxAttempts',
  'retryBaseDelayMs',
  'refreshTokenRotation',
  'totpIssuer',
  'challengeTtlSeconds',
  // #region oauth
  'oauth',
  // #endregion oauth
  'autoRefresh',
  'clientSecret',
  'deviceName',
  // #region identity
  'identityPoolId',
  'allowGuestAccess',
  'identityEndpoint',
  // #endregion identity
] as const;

// #region identity
// An identity pool id is `<region>:<GUID>` (Cognito's pattern `[\w-]+:[0-9a-f-]+`, at most 55 characters).
const IDENTITY_POOL_ID = /^[\w-]+:[\da-f]{8}(-[\da-f]{4}){3}-[\da-f]{12}$/;
// #endregion identity

/** The sign-in flows a client may use. */
export const AUTH_FLOWS: readonly AuthFlow[] = [
  'USER_SRP_AUTH',
  'USER_PASSWORD_AUTH',
  'CUSTOM_AUTH',
  'USER_AUTH',
];

function requireStorage(value: unknown): TokenStorage {
  const storage = value as Partial<TokenStorage> | null;
  const ok =
    storage !== null &&
    typeof storage === 'object' &&
    ['getItem', 'setItem', 'removeItem'].every(
      (name) => typeof storage[name as keyof TokenStorage] === 'function',
    );
  if (!ok) throw invalidParameter('storage must have getItem, setItem and removeItem methods');
  return storage as TokenStorage;
}

/** Tells whether a URL host is a loopback address: localhost, 127.0.0.0/8 or ::1. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  if (host === 'localhost' || host === '[::1]') return true;
  // WHATWG URL parsing has already turned 127.1, 0x7f.1 and the like into dotted quads.
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/**
 * An http(s) URL. With `allowInsecure` false, `http://` only to a loopback host. (OAuth URLs keep
 * the old check: Cognito itself accepts http:// redirect URIs for localhost only.)
 */
export function requireEndpoint(value: unknown, name = 'endpoint', allowInsecure = true): string {
  const endpoint = requireString(value, name);
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw invalidParameter(`${name} must be an http(s) URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw invalidParameter(`${name} must be an http(s) URL`);
  }
  // Passwords and tokens travel in the body: in clear text only to this machine, or when asked to.
  if (url.protocol === 'http:' && !allowInsecure && !isLoopbackHost(url.hostname)) {
    throw invalidParameter(
      `${name} must use https:// unless its host is loopback (localhost, 127.0.0.1, [::1]); set allowInsecureEndpoint: true to allow it`,
    );
  }
  return endpoint;
}

// #region oauth
/** The `oauth` option's shape only: src/oauth/config.ts checks its contents on the hosted UI's first use. */
function optionalOAuth(value: unknown): OAuthOptions | undefined {
  if (value !== undefined && (typeof value !== 'object' || value === null)) {
    throw invalidParameter('oauth must be an object');
  }
  return value as OAuthOptions | undefined;
}
// #endregion oauth

// #region identity
/** The identity-pool options: a well-formed pool id, or none and neither of the other two. */
function identityOptions(input: Record<string, unknown>) {
  const identityPoolId = optionalString(input.identityPoolId, 'identityPoolId');
  if (
    identityPoolId === undefined
      ? (input.allowGuestAccess ?? input.identityEndpoint) !== undefined
      : !IDENTITY_POOL_ID.test(identityPoolId)
  )
    throw invalidParameter(
      'identityPoolId must look like "<region>:<GUID>" (allowGuestAccess and identityEndpoint need it)',
    );
  return {
    identityPoolId,
    allowGuestAccess: optionalBoolean(input.allowGuestAccess, 'allowGuestAccess') ?? false,
    // The default (the identity pool region's endpoint) is applied where it is used, in identity/.
    identityEndpoint:
      input.identityEndpoint === undefined
        ? undefined
        : requireEndpoint(
            input.identityEndpoint,
            'identityEndpoint',
            optionalBoolean(input.allowInsecureEndpoint, 'allowInsecureEndpoint') ?? false,
          ),
  };
}
// #endregion identity

/**
 * Validates a client's options and applies the defaults.
 * @throws CognitoError `InvalidParameterException` for a missing or malformed option or an unknown key.
 */
export function resolveOptions(options: CognitoClientOptions): ResolvedOptions {
  const input = requireOptions(options, 'options', OPTION_KEYS);
  const userPoolId = requireString(input.userPoolId, 'userPoolId');
  if (!/^[\w-]+_[0-9A-Za-z]+$/.test(userPoolId)) {
    throw invalidParameter('userPoolId must look like "us-east-1_AbCdEf123"');
  }
  const region = userPoolId.slice(0, userPoolId.indexOf('_'));
  const num = (name: string, fallback: number, min: number, max?: number) =>
    input[name] === undefined ? fallback : requireNumber(input[name], name, min, max);
  const allowInsecureEndpoint =
    optionalBoolean(input.allowInsecureEndpoint, 'allowInsecureEndpoint') ?? false;
  return {
    userPoolId,
    clientId: requireString(input.clientId, 'clientId'),
    endpoint:
      input.endpoint === undefined
        ? `https://cognito-idp.${region}.amazonaws.com/`
        : requireEndpoint(input.endpoint, 'endpoint', allowInsecureEndpoint),
    // localStorage only in a browser window where it accepts a write; a private store otherwise,
    // never a store shared by a whole Node process.
    storage:
      input.storage === undefined
        ? (defaultBrowserStorage() ?? memoryStorage())
        : requireStorage(input.storage),
    authFlow:
      input.authFlow === undefined ? 'USER_SRP_AUTH' : requireOneOf(input.authFlow, 'authFlow', AUTH_FLOWS),
    refreshMarginSeconds: num('refreshMarginSeconds', 60, 0, 86_400),
    requestTimeoutMs: num('requestTimeoutMs', 15_000, 1, 600_000),
    maxAttempts: Math.floor(num('maxAttempts', 3, 1, 10)),
    retryBaseDelayMs: num('retryBaseDelayMs', 200, 0, 60_000),
    refreshTokenRotation: optionalBoolean(input.refreshTokenRotation, 'refreshTokenRotation') ?? false,
    totpIssuer: optionalString(input.totpIssuer, 'totpIssuer') ?? 'AWSCognito',
    challengeTtlSeconds: num('challengeTtlSeconds', 180, 1, 900),
    // #region oauth
    oauth: optionalOAuth(input.oauth),
    // #endregion oauth
    autoRefresh: optionalBoolean(input.autoRefresh, 'autoRefresh') ?? false,
    clientSecret: resolveClientSecret(input, input.clientSecret),
    deviceName: optionalString(input.deviceName, 'deviceName'),
    // #region identity
    ...identityOptions(input),
    // #endregion identity
  };
}

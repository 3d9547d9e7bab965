// CognitoClient's options: validated once, defaults applied, and the default storage chosen here
// and nowhere else.
import { invalidParameter } from './errors.js';
import {
  optionalBoolean,
  optionalString,
  requireNumber,
  requireOneOf,
  requireOptions,
  requireString,
} from './internal/validate.js';
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
] as const;

/** The sign-in flows a client may use. */
export const AUTH_FLOWS: readonly AuthFlow[] = ['USER_SRP_AUTH', 'USER_PASSWORD_AUTH', 'CUSTOM_AUTH'];

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

function requireEndpoint(value: unknown, allowInsecure: boolean): string {
  const endpoint = requireString(value, 'endpoint');
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw invalidParameter('endpoint must be an http(s) URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw invalidParameter('endpoint must be an http(s) URL');
  }
  // Passwords and tokens travel in the body: in clear text only to this machine, or when asked to.
  if (url.protocol === 'http:' && !allowInsecure && !isLoopbackHost(url.hostname)) {
    throw invalidParameter(
      'endpoint must use https:// unless its host is loopback (localhost, 127.0.0.1, [::1]); set allowInsecureEndpoint: true to allow it',
    );
  }
  return endpoint;
}

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
        : requireEndpoint(input.endpoint, allowInsecureEndpoint),
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
  };
}

// Building the hosted UI's /oauth2/authorize and /logout URLs.
import type { CoreLib } from '../internal/core.js';
import type { ResolvedOAuth } from './config.js';
import type { OAuthProvider, SignInWithRedirectInput } from './types.js';

const PROVIDERS: Record<string, string> = {
  Google: 'Google',
  Facebook: 'Facebook',
  Amazon: 'LoginWithAmazon',
  Apple: 'SignInWithApple',
};
const PROMPTS = ['none', 'login', 'consent', 'select_account'] as const;
const INPUT_KEYS = ['provider', 'customState', 'loginHint', 'lang', 'prompt', 'redirectUri', 'open'];

/** The validated input of signInWithRedirect / getSignInUrl. */
export interface SignInRequest {
  provider: { identity_provider: string } | { idp_identifier: string } | undefined;
  customState: string | undefined;
  loginHint: string | undefined;
  lang: string | undefined;
  prompt: (typeof PROMPTS)[number] | undefined;
  redirectUri: string;
  open: ((url: string) => void | Promise<void>) | undefined;
}

function pageOrigin(): string | undefined {
  const origin = (globalThis as { location?: { origin?: unknown } }).location?.origin;
  return typeof origin === 'string' && origin !== 'null' ? origin : undefined;
}

/** The entry of `urls` with the page's origin, else the first. */
export function pickForOrigin(urls: readonly string[]): string | undefined {
  const origin = pageOrigin();
  return (origin && urls.find((url) => new URL(url).origin === origin)) || urls[0];
}

function provider(lib: CoreLib, value: unknown): SignInRequest['provider'] {
  const { invalidParameter, requireOptions, requireString } = lib;
  if (value === undefined) return undefined;
  if (typeof value === 'string') {
    const name = PROVIDERS[value];
    if (!name)
      throw invalidParameter(
        "provider must be 'Google', 'Facebook', 'Amazon', 'Apple', { custom } or { idpIdentifier }",
      );
    return { identity_provider: name };
  }
  const o = requireOptions(value, 'provider', ['custom', 'idpIdentifier']) as Partial<
    Record<'custom' | 'idpIdentifier', unknown>
  >;
  if (o.custom !== undefined && o.idpIdentifier === undefined) {
    return { identity_provider: requireString(o.custom, 'provider.custom') };
  }
  if (o.idpIdentifier !== undefined && o.custom === undefined) {
    return { idp_identifier: requireString(o.idpIdentifier, 'provider.idpIdentifier') };
  }
  throw invalidParameter('provider must have exactly one of custom and idpIdentifier');
}

/** Checks signInWithRedirect's input before anything is stored or sent. */
export function readSignInInput(
  lib: CoreLib,
  oauth: ResolvedOAuth,
  input: SignInWithRedirectInput = {},
): SignInRequest {
  const { invalidParameter, optionalString, requireOneOf, requireOptions, requireString } = lib;
  const o = requireOptions(input, 'options', INPUT_KEYS);
  const redirectUri =
    o.redirectUri === undefined
      ? pickForOrigin(oauth.redirectSignIn)
      : requireString(o.redirectUri, 'redirectUri');
  if (!redirectUri || !oauth.redirectSignIn.includes(redirectUri)) {
    throw invalidParameter('redirectUri must be one of oauth.redirectSignIn');
  }
  if (o.open !== undefined && typeof o.open !== 'function') throw invalidParameter('open must be a function');
  if (o.customState !== undefined && typeof o.customState !== 'string') {
    throw invalidParameter('customState must be a string');
  }
  return {
    provider: provider(lib, o.provider as OAuthProvider | undefined),
    customState: o.customState as string | undefined,
    loginHint: optionalString(o.loginHint, 'loginHint'),
    lang: optionalString(o.lang, 'lang'),
    prompt: o.prompt === undefined ? undefined : requireOneOf(o.prompt, 'prompt', PROMPTS),
    redirectUri,
    open: o.open as SignInRequest['open'],
  };
}

/** The /oauth2/authorize URL for one sign-in. */
export function authorizeUrl(
  oauth: ResolvedOAuth,
  clientId: string,
  request: SignInRequest,
  secrets: { state: string; nonce: string; challenge: string | undefined },
): string {
  const url = new URL(oauth.endpoints.authorize);
  const params: [string, string | undefined][] = [
    ['response_type', oauth.responseType],
    ['client_id', clientId],
    ['redirect_uri', request.redirectUri],
    ['scope', oauth.scopes.join(' ')],
    ['state', secrets.state],
    ['nonce', secrets.nonce],
    ['code_challenge', secrets.challenge],
    ['code_challenge_method', secrets.challenge ? 'S256' : undefined],
    [
      'identity_provider',
      request.provider && 'identity_provider' in request.provider
        ? request.provider.identity_provider
        : undefined,
    ],
    [
      'idp_identifier',
      request.provider && 'idp_identifier' in request.provider ? request.provider.idp_identifier : undefined,
    ],
    ['login_hint', request.loginHint],
    ['lang', request.lang],
    ['prompt', request.prompt],
  ];
  for (const [name, value] of params) if (value !== undefined) url.searchParams.set(name, value);
  return url.href;
}

/** Cognito's /logout URL: `client_id` and a registered sign-out URL as `logout_uri`. */
export function logoutUrl(oauth: ResolvedOAuth, clientId: string): string | undefined {
  const logoutUri = pickForOrigin(oauth.redirectSignOut);
  if (!logoutUri) return undefined;
  const url = new URL(oauth.endpoints.logout);
  url.searchParams.set('client_id', clientId);
  url.searchParams.set('logout_uri', logoutUri);
  return url.href;
}

/** Navigates the page (or calls `open`). Without either (Node), there is nowhere to go. */
export async function navigate(
  lib: CoreLib,
  url: string,
  open: ((url: string) => void | Promise<void>) | undefined,
) {
  if (open) return open(url);
  const location = (globalThis as { location?: { assign?: (url: string) => void } }).location;
  if (typeof location?.assign !== 'function') {
    throw lib.invalidParameter(
      'there is no page to navigate in this environment: pass open(url), or use getSignInUrl()',
    );
  }
  location.assign(url);
}

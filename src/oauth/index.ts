// The hosted UI (managed login) and OAuth 2.0: sign-in by redirect with authorization code +
// PKCE (or the legacy implicit grant), the callback, and the per-client single flight that lets
// getSession() complete a pending callback. Loaded lazily by the facade and the session manager.
import type { ClientCore } from '../internal/core.js';
import type { HostedUiHooks } from '../session.js';
import { requireOAuth } from './config.js';
import { sendForm } from './http.js';
import { checkIdToken } from './id-token.js';
import { addPending, hasPending, PENDING_TTL_MS, type PendingRedirect, takePending } from './pending.js';
import { randomString, s256 } from './pkce.js';
import { refreshHostedUiSession, type TokenResponse, toAuthenticationResult } from './refresh.js';
import type { RedirectSignInResult, SignInWithRedirectInput } from './types.js';
import { authorizeUrl, navigate, readSignInInput } from './url.js';

// For the Node entry's signInWithLoopback (src/node-loopback.ts), which loads this one module.
export { requireOAuth } from './config.js';
export { hasPending, takePending } from './pending.js';
export { provideWebCrypto } from './pkce.js';
export { signOutHostedUi } from './sign-out.js';

const CALLBACK = Symbol('oauth.callback');
// What the hosted UI puts on a callback URL; removed from the address bar once read.
const RESPONSE_PARAMS = ['code', 'state', 'error', 'error_description', 'iss', 'session_state'];
const FRAGMENT_PARAMS = [
  'access_token',
  'id_token',
  'token_type',
  'expires_in',
  'state',
  'error',
  'error_description',
];

interface CallbackState {
  href: string;
  promise: Promise<RedirectSignInResult | null>;
}

/** The authorize URL of a new sign-in, its state stored until the callback. */
export async function getSignInUrl(core: ClientCore, input?: SignInWithRedirectInput): Promise<string> {
  const oauth = requireOAuth(core);
  const request = readSignInInput(core.lib, oauth, input);
  const state = randomString(core.lib);
  const nonce = randomString(core.lib);
  const verifier = oauth.responseType === 'code' ? randomString(core.lib) : undefined;
  const challenge = verifier ? await s256(core.lib, verifier) : undefined;
  const entry: PendingRedirect = {
    nonce,
    redirectUri: request.redirectUri,
    responseType: oauth.responseType,
    expiresAt: core.now() + PENDING_TTL_MS,
    ...(verifier ? { verifier } : {}),
    ...(request.customState !== undefined ? { customState: request.customState } : {}),
  };
  await addPending(core.store, state, entry, core.now());
  return authorizeUrl(oauth, core.clientId, request, { state, nonce, challenge });
}

/** Starts a sign-in: stores its state and navigates to the hosted UI (or calls `open`). */
export async function signInWithRedirect(core: ClientCore, input?: SignInWithRedirectInput): Promise<void> {
  const open = readSignInInput(core.lib, requireOAuth(core), input).open;
  await navigate(core.lib, await getSignInUrl(core, input), open);
}

function currentHref(): string | undefined {
  const href = (globalThis as { location?: { href?: unknown } }).location?.href;
  return typeof href === 'string' ? href : undefined;
}

function responseParams(href: string): URLSearchParams {
  const url = new URL(href);
  const params = new URLSearchParams(url.search);
  // The implicit grant (and its errors) answer in the fragment.
  for (const [name, value] of new URLSearchParams(url.hash.replace(/^#/, ''))) {
    if (!params.has(name)) params.set(name, value);
  }
  return params;
}

/** Removes the OAuth response from the address bar when `href` is the page's URL. */
function cleanAddressBar(href: string): void {
  const g = globalThis as {
    location?: { href?: unknown };
    history?: { replaceState?: (data: unknown, unused: string, url: string) => void; state?: unknown };
  };
  if (g.location?.href !== href || typeof g.history?.replaceState !== 'function') return;
  const url = new URL(href);
  for (const name of RESPONSE_PARAMS) url.searchParams.delete(name);
  const fragment = new URLSearchParams(url.hash.replace(/^#/, ''));
  if (FRAGMENT_PARAMS.some((name) => fragment.has(name))) url.hash = '';
  g.history.replaceState(g.history.state ?? null, '', url.href);
}

/**
 * handleRedirect(): completes the callback at `href` (default: the page's URL); `null` when it
 * carries no OAuth response. Single flight per client and URL, shared with getSession().
 */
export function handleRedirect(core: ClientCore, href?: string): Promise<RedirectSignInResult | null> {
  const { invalidParameter } = core.lib;
  if (href !== undefined && typeof href !== 'string') throw invalidParameter('url must be a string');
  const target = href ?? currentHref();
  if (target === undefined) throw invalidParameter('url is required outside a browser page');
  try {
    new URL(target);
  } catch {
    throw invalidParameter('url must be an absolute URL');
  }
  const slot = core.state<{ current?: CallbackState | undefined }>(CALLBACK, () => ({}));
  if (slot.current?.href === target) return slot.current.promise;
  const promise = complete(core, target);
  const current = { href: target, promise };
  slot.current = current;
  // Shared while in flight only: a later call with the same URL is a replay (InvalidStateException).
  const settle = () => {
    if (slot.current === current) slot.current = undefined;
  };
  promise.then(settle, settle);
  return promise;
}

/**
 * getSession()'s hook: completes the page's callback when its state is one of our pending
 * sign-ins; a foreign callback (another library's) is left alone.
 */
export async function completePendingCallback(core: ClientCore): Promise<void> {
  const href = currentHref();
  if (!href || !core.options.oauth) return;
  const slot = core.state<{ current?: CallbackState | undefined }>(CALLBACK, () => ({}));
  if (slot.current?.href === href) {
    await slot.current.promise;
    return;
  }
  const state = responseParams(href).get('state');
  if (!state || !(await hasPending(core.store, state, core.now()))) return;
  await handleRedirect(core, href);
}

async function complete(core: ClientCore, href: string): Promise<RedirectSignInResult | null> {
  const oauth = requireOAuth(core);
  const params = responseParams(href);
  const state = params.get('state');
  const error = params.get('error');
  if (!state && !error && !params.has('code') && !params.has('access_token') && !params.has('id_token'))
    return null;
  const pending = state ? await takePending(core.store, state, core.now()) : undefined;
  cleanAddressBar(href);
  if (!pending) {
    throw core.error(
      'InvalidStateException',
      'This callback does not answer a sign-in started in this storage (a replayed URL, another tab or browser, or storage cleared since)',
      { retryable: false },
    );
  }
  if (error) {
    const description = params.get('error_description');
    throw core.error(error, description ? description.slice(0, 500) : error, { retryable: false });
  }
  let tokens: TokenResponse;
  if (pending.responseType === 'code') {
    const code = params.get('code');
    if (!code || !pending.verifier) {
      throw core.error('UnexpectedResponseException', 'The callback carries no authorization code');
    }
    tokens = await sendForm<TokenResponse>(
      core,
      'Token exchange',
      oauth.endpoints.token,
      {
        grant_type: 'authorization_code',
        client_id: core.clientId,
        code,
        redirect_uri: pending.redirectUri,
        code_verifier: pending.verifier,
      },
      // The code is spent on arrival: retried only when the endpoint said it throttled the request.
      { onceOnly: true },
    );
  } else {
    tokens = {
      access_token: params.get('access_token') ?? '',
      id_token: params.get('id_token') ?? '',
    };
    if (!tokens.access_token || !tokens.id_token) {
      throw core.error('UnexpectedResponseException', 'The callback carries no tokens');
    }
    await (await import('./jwks.js')).verifyRs256(core, oauth.endpoints.jwks, tokens.id_token);
  }
  const result = toAuthenticationResult(tokens);
  checkIdToken(core.lib, result.IdToken ?? '', {
    issuer: oauth.issuer,
    clientId: core.clientId,
    nonce: pending.nonce,
    nowMs: core.now(),
  });
  const set =
    pending.responseType === 'code'
      ? core.lib.tokensFrom(result)
      : { accessToken: result.AccessToken ?? '', idToken: result.IdToken ?? '', refreshToken: '' };
  const stored = await core.store.exclusive(async () =>
    core.store.write(
      set,
      core.now(),
      await core.store.read().catch(() => null),
      undefined,
      pending.responseType,
    ),
  );
  await core.store.clearPending();
  core.events.emit('signedIn', stored.session);
  return {
    isSignedIn: true,
    nextStep: { signInStep: 'DONE' },
    session: stored.session,
    ...(pending.customState !== undefined ? { customState: pending.customState } : {}),
  };
}

/** The session manager's hooks into the hosted UI (src/session.ts): loaded only when it needs them. */
export function hostedUiHooks(core: ClientCore): HostedUiHooks {
  return {
    completeCallback: () => completePendingCallback(core),
    refresh: (stored) => refreshHostedUiSession(core, stored),
  };
}

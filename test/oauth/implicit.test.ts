// The legacy implicit grant (responseType 'token'): tokens from the URL fragment, trusted only
// after the nonce and the ID token's RS256 signature (against the JWKS) check out; never refreshed.
import { describe, expect, it, vi } from 'vitest';
import { type CognitoError, isCognitoError, memoryStorage } from '../../src/index.js';
import { signInThroughLoginPage } from '../helpers/hosted-ui.js';
import { hostedClient, standInForFile } from './support.js';

const ui = await standInForFile(300);

const PENDING = () => `CognitoIdentityServiceProvider.${ui.clientId}.cognitoKit.oauthPending`;

function implicitClient(storage = memoryStorage()) {
  return hostedClient(ui, storage, { oauth: { responseType: 'token' } });
}

async function rejection(promise: Promise<unknown>): Promise<CognitoError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isCognitoError(error)) throw new Error(`expected a CognitoError, got ${String(error)}`);
  return error;
}

/** Replaces the id_token in a callback URL's fragment. */
function withIdToken(callback: string, idToken: string): string {
  const url = new URL(callback);
  const fragment = new URLSearchParams(url.hash.slice(1));
  fragment.set('id_token', idToken);
  url.hash = fragment.toString();
  return url.href;
}

describe('implicit grant', () => {
  it('asks for response_type=token without PKCE and takes verified tokens from the fragment', async () => {
    const client = implicitClient();
    const authorize = new URL(await client.getSignInUrl());
    expect(authorize.searchParams.get('response_type')).toBe('token');
    expect(authorize.searchParams.has('code_challenge')).toBe(false);
    const callback = await signInThroughLoginPage(authorize.href);
    expect(new URL(callback).hash).toContain('id_token=');

    const result = await client.handleRedirect(callback);

    if (!result?.isSignedIn) throw new Error('not signed in');
    expect(result.session.username).toBe('ann');
    expect(result.session.refreshToken).toBe('');
    expect(ui.requestsTo('/.well-known/jwks.json')).toHaveLength(1);
    expect(ui.requestsTo('/oauth2/token')).toHaveLength(0);
    expect((await client.getSession())?.accessToken).toBe(result.session.accessToken);
  });

  it('refuses an ID token whose signature does not verify, and stores nothing', async () => {
    const client = implicitClient();
    const callback = await signInThroughLoginPage(await client.getSignInUrl());
    const idToken = new URLSearchParams(new URL(callback).hash.slice(1)).get('id_token') ?? '';
    const [head, body, signature] = idToken.split('.');
    const claims = JSON.parse(Buffer.from(body ?? '', 'base64url').toString()) as Record<string, unknown>;
    const forged = Buffer.from(JSON.stringify({ ...claims, 'cognito:username': 'admin' })).toString(
      'base64url',
    );

    const error = await rejection(
      client.handleRedirect(withIdToken(callback, `${head}.${forged}.${signature}`)),
    );

    expect(error.code).toBe('InvalidIdTokenException');
    expect(error.message).toContain('signature');
    expect(error.message).not.toContain(idToken);
    expect(await client.getSession()).toBeNull();
  });

  it("refuses tokens issued for another sign-in's nonce", async () => {
    const storage = memoryStorage();
    const client = implicitClient(storage);
    const callback = await signInThroughLoginPage(await client.getSignInUrl());
    const state = new URLSearchParams(new URL(callback).hash.slice(1)).get('state') ?? '';
    const pending = JSON.parse(String(storage.getItem(PENDING()))) as Record<string, { nonce: string }>;
    pending[state] = { ...(pending[state] as { nonce: string }), nonce: 'another-sign-in' };
    storage.setItem(PENDING(), JSON.stringify(pending));
    const error = await rejection(client.handleRedirect(callback));
    expect(error.code).toBe('InvalidIdTokenException');
    expect(error.message).toContain('nonce');
  });

  it('never refreshes: once expired, getSession() emits sessionExpired and resolves null without a request', async () => {
    const client = implicitClient();
    const result = await client.handleRedirect(await signInThroughLoginPage(await client.getSignInUrl()));
    if (!result?.isSignedIn) throw new Error('not signed in');
    ui.requests.length = 0;
    const events: string[] = [];
    client.on('sessionExpired', () => events.push('sessionExpired'));
    client.on('signedOut', ({ reason }) => events.push(`signedOut:${reason}`));
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(result.session.expiresAt + 1000);

    expect(await client.getSession()).toBeNull();

    expect(events).toEqual(['sessionExpired', 'signedOut:expired']);
    expect(ui.requests).toEqual([]);
  });

  it('signs out without a revocation (there is no refresh token) but through /logout', async () => {
    const client = implicitClient();
    await client.handleRedirect(await signInThroughLoginPage(await client.getSignInUrl()));
    ui.requests.length = 0;
    const open = vi.fn();
    await client.signOut({ open });
    expect(ui.requestsTo('/oauth2/revoke')).toHaveLength(0);
    expect(open).toHaveBeenCalledWith(
      `${ui.url}/logout?client_id=${ui.clientId}&logout_uri=${encodeURIComponent('http://localhost:5173/')}`,
    );
  });
});

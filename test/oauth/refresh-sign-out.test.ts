// Hosted-UI sessions after sign-in: refresh at the token endpoint (single flight, rejection),
// and sign-out through /oauth2/revoke and /logout.
import { describe, expect, it, vi } from 'vitest';
import {
  type CognitoClient,
  type CognitoError,
  isCognitoError,
  memoryStorage,
  type TokenStorage,
} from '../../src/index.js';
import { signInThroughLoginPage } from '../helpers/hosted-ui.js';
import { hostedClient, SIGNED_OUT, standInForFile } from './support.js';

const ui = await standInForFile(300);

async function signedIn(storage: TokenStorage = memoryStorage(), options = {}) {
  const client = hostedClient(ui, storage, options);
  const result = await client.handleRedirect(await signInThroughLoginPage(await client.getSignInUrl()));
  if (!result?.isSignedIn) throw new Error('sign-in failed');
  ui.requests.length = 0;
  return { client, session: result.session, storage };
}

/** Moves this process's clock (Date only) to 10 s before the tokens expire: inside the refresh margin. */
function nearExpiry(expiresAt: number) {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(expiresAt - 10_000);
}

describe('refresh at the token endpoint', () => {
  it('refreshes once for 50 concurrent callers with a form-encoded refresh_token grant', async () => {
    const { client, session } = await signedIn();
    const refreshed: unknown[] = [];
    client.on('tokenRefreshed', (s) => refreshed.push(s));
    nearExpiry(session.expiresAt);

    const sessions = await Promise.all(Array.from({ length: 50 }, () => client.getSession()));

    const requests = ui.requestsTo('/oauth2/token');
    expect(requests).toHaveLength(1);
    expect(requests[0]?.form).toEqual({
      grant_type: 'refresh_token',
      client_id: ui.clientId,
      refresh_token: session.refreshToken,
    });
    expect(new Set(sessions).size).toBe(1);
    expect(sessions[0]?.accessToken).not.toBe(session.accessToken);
    // Cognito does not rotate the refresh token unless rotation is on: the same one stays.
    expect(sessions[0]?.refreshToken).toBe(session.refreshToken);
    expect(refreshed).toEqual([sessions[0]]);
    // The refreshed session is still a hosted-UI session: the next refresh goes to the token endpoint too.
    nearExpiry(sessions[0]?.expiresAt ?? 0);
    await client.getSession();
    expect(ui.requestsTo('/oauth2/token')).toHaveLength(2);
  });

  it('refreshes once for clients on the same storage (tabs of one page, requests of one server)', async () => {
    const { storage, session } = await signedIn();
    const clients = Array.from({ length: 5 }, () => hostedClient(ui, storage));
    nearExpiry(session.expiresAt);
    await Promise.all(clients.flatMap((c) => [c.getSession(), c.getSession()]));
    expect(ui.requestsTo('/oauth2/token')).toHaveLength(1);
  });

  it('signs out when the token endpoint answers invalid_grant: sessionExpired, then signedOut, then null', async () => {
    const { client, session, storage } = await signedIn();
    const events: string[] = [];
    let expired: CognitoError | undefined;
    client.on('sessionExpired', ({ error }) => {
      events.push('sessionExpired');
      expired = error;
    });
    client.on('signedOut', ({ reason }) => events.push(`signedOut:${reason}`));
    ui.failTokenRequests('invalid_grant');
    nearExpiry(session.expiresAt);

    expect(await client.getSession()).toBeNull();

    expect(events).toEqual(['sessionExpired', 'signedOut:expired']);
    expect(expired?.code).toBe('invalid_grant');
    expect(await client.getCurrentUser()).toBeNull();
    expect(storage.getItem(`CognitoIdentityServiceProvider.${ui.clientId}.LastAuthUser`)).toBeNull();
  });

  it('keeps the stored session when the token endpoint cannot be reached', async () => {
    const storage = memoryStorage();
    const { session } = await signedIn(storage);
    const offline = hostedClient(ui, storage, {
      maxAttempts: 2,
      oauth: {
        endpoints: { jwks: `${ui.url}/.well-known/jwks.json`, token: 'http://127.0.0.1:9/oauth2/token' },
      },
    });
    nearExpiry(session.expiresAt);
    const error = await offline.getSession().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isCognitoError(error, 'NetworkError')).toBe(true);
    expect(String((error as Error).message)).not.toContain(session.refreshToken);
    expect((await offline.getCurrentUser())?.username).toBe('ann');
  });
});

describe('signOut of a hosted-UI session', () => {
  it('revokes the refresh token at /oauth2/revoke, then opens /logout with client_id and logout_uri', async () => {
    const { client, session, storage } = await signedIn();
    const opened: { url: string; revokedBefore: boolean }[] = [];
    const events: string[] = [];
    client.on('signedOut', ({ reason }) => events.push(reason));

    await client.signOut({
      open: (url) => {
        opened.push({ url, revokedBefore: ui.revoked.includes(session.refreshToken) });
      },
    });

    expect(ui.requestsTo('/oauth2/revoke').map((r) => r.form)).toEqual([
      { token: session.refreshToken, client_id: ui.clientId },
    ]);
    expect(opened).toEqual([
      {
        url: `${ui.url}/logout?client_id=${ui.clientId}&logout_uri=${encodeURIComponent(SIGNED_OUT)}`,
        revokedBefore: true,
      },
    ]);
    expect(events).toEqual(['user']);
    expect(storage.getItem(`CognitoIdentityServiceProvider.${ui.clientId}.LastAuthUser`)).toBeNull();
    // The stand-in's /logout (like Cognito's) redirects back to the sign-out URL.
    const logout = await fetch(opened[0]?.url ?? '', { redirect: 'manual' });
    expect([logout.status, logout.headers.get('location')]).toEqual([302, SIGNED_OUT]);
    // The revoked refresh token no longer works.
    const refresh = await ui.postToken({ grant_type: 'refresh_token', refresh_token: session.refreshToken });
    expect(((await refresh.json()) as { error: string }).error).toBe('invalid_grant');
  });

  it('skips the navigation with redirect: false, and still revokes', async () => {
    const { client } = await signedIn();
    const open = vi.fn();
    await client.signOut({ redirect: false, open });
    expect(open).not.toHaveBeenCalled();
    expect(ui.requestsTo('/oauth2/revoke')).toHaveLength(1);
    expect(await client.getSession()).toBeNull();
  });

  it('signs out locally even when the revocation fails, and opens /logout all the same', async () => {
    const { client } = await signedIn(memoryStorage(), {
      oauth: {
        endpoints: { jwks: `${ui.url}/.well-known/jwks.json`, revoke: 'http://127.0.0.1:9/oauth2/revoke' },
      },
    });
    const open = vi.fn();
    await client.signOut({ open });
    expect(open).toHaveBeenCalledTimes(1);
    expect(await client.getSession()).toBeNull();
  });

  it('does not touch the hosted UI for a session that did not come from it', async () => {
    const client: CognitoClient = hostedClient(ui);
    const open = vi.fn();
    await client.signOut({ open });
    expect(open).not.toHaveBeenCalled();
    expect(ui.requests).toEqual([]);
  });

  it('rejects a bad open or redirect with InvalidParameterException before signing out', async () => {
    const { client } = await signedIn();
    for (const options of [{ open: 'https://x' }, { redirect: 'no' }]) {
      const error = await client.signOut(options as never).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isCognitoError(error, 'InvalidParameterException')).toBe(true);
    }
    expect(await client.getCurrentUser()).not.toBeNull();
  });
});

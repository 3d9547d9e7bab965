// The authorization code + PKCE flow against a real OpenID provider (oidc-provider) configured
// like Cognito's hosted UI: URL building, callback checks, token exchange.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CognitoClient, isCognitoError, memoryStorage, type Session } from '../../src/index.js';
import { signInThroughLoginPage } from '../helpers/hosted-ui.js';
import { APP, CALLBACK, hostedClient, standInForFile } from './support.js';

const ui = await standInForFile();

async function rejection(promise: Promise<unknown>) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isCognitoError(error)) throw new Error(`expected a CognitoError, got ${String(error)}`);
  return error;
}

describe('getSignInUrl', () => {
  it('builds the authorize URL with every parameter Cognito takes', async () => {
    const client = hostedClient(ui, memoryStorage(), {
      oauth: {
        scopes: ['openid', 'email'],
        endpoints: { authorize: 'https://auth.example.com/oauth2/authorize' },
      },
    });
    const url = new URL(
      await client.getSignInUrl({
        provider: 'Google',
        loginHint: 'ann@example.com',
        lang: 'de',
        prompt: 'login',
      }),
    );
    expect(url.origin + url.pathname).toBe('https://auth.example.com/oauth2/authorize');
    const p = Object.fromEntries(url.searchParams);
    expect(Object.keys(p).sort()).toEqual(
      [
        'client_id',
        'code_challenge',
        'code_challenge_method',
        'identity_provider',
        'lang',
        'login_hint',
        'nonce',
        'prompt',
        'redirect_uri',
        'response_type',
        'scope',
        'state',
      ].sort(),
    );
    expect(p).toMatchObject({
      response_type: 'code',
      client_id: ui.clientId,
      redirect_uri: CALLBACK,
      scope: 'openid email',
      code_challenge_method: 'S256',
      identity_provider: 'Google',
      login_hint: 'ann@example.com',
      lang: 'de',
      prompt: 'login',
    });
    expect(p.state).toMatch(/^[\w-]{43}$/);
    expect(p.nonce).toMatch(/^[\w-]{43}$/);
    expect(p.code_challenge).toMatch(/^[\w-]{43}$/);
    expect(ui.requests).toEqual([]);
  });

  it('maps every provider to Cognito identity_provider / idp_identifier and uses the default scopes', async () => {
    const client = hostedClient(ui);
    const cases: [Parameters<CognitoClient['getSignInUrl']>[0], string, string][] = [
      [{ provider: 'Google' }, 'identity_provider', 'Google'],
      [{ provider: 'Facebook' }, 'identity_provider', 'Facebook'],
      [{ provider: 'Amazon' }, 'identity_provider', 'LoginWithAmazon'],
      [{ provider: 'Apple' }, 'identity_provider', 'SignInWithApple'],
      [{ provider: { custom: 'AcmeSAML' } }, 'identity_provider', 'AcmeSAML'],
      [{ provider: { idpIdentifier: 'example.com' } }, 'idp_identifier', 'example.com'],
    ];
    for (const [input, name, value] of cases) {
      const params = new URL(await client.getSignInUrl(input)).searchParams;
      expect(params.get(name)).toBe(value);
      expect(params.has(name === 'idp_identifier' ? 'identity_provider' : 'idp_identifier')).toBe(false);
      expect(params.get('scope')).toBe('openid email phone profile aws.cognito.signin.user.admin');
    }
  });

  it('sends the S256 challenge of a verifier it keeps in the storage, and a fresh state each time', async () => {
    const storage = memoryStorage();
    const client = hostedClient(ui, storage);
    const first = new URL(await client.getSignInUrl()).searchParams;
    const second = new URL(await client.getSignInUrl()).searchParams;
    expect(first.get('state')).not.toBe(second.get('state'));
    const pending = JSON.parse(
      String(storage.getItem(`CognitoIdentityServiceProvider.${ui.clientId}.cognitoKit.oauthPending`)),
    ) as Record<string, { verifier: string; nonce: string }>;
    const entry = pending[first.get('state') ?? ''];
    expect(entry?.nonce).toBe(first.get('nonce'));
    expect(
      createHash('sha256')
        .update(entry?.verifier ?? '')
        .digest('base64url'),
    ).toBe(first.get('code_challenge'));
  });

  it('rejects bad input with InvalidParameterException before storing anything', async () => {
    const storage = memoryStorage();
    const client = hostedClient(ui, storage);
    const bad = [
      { provider: 'Twitter' },
      { provider: { custom: 'A', idpIdentifier: 'b' } },
      { redirectUri: 'https://evil.example/callback' },
      { prompt: 'always' },
      { loginHint: '' },
      { unknown: 1 },
    ];
    for (const input of bad) {
      const error = await rejection(client.getSignInUrl(input as never));
      expect(error.code).toBe('InvalidParameterException');
    }
    expect(
      storage.getItem(`CognitoIdentityServiceProvider.${ui.clientId}.cognitoKit.oauthPending`),
    ).toBeNull();
    const plain = new CognitoClient({ userPoolId: ui.userPoolId, clientId: ui.clientId });
    expect((await rejection(plain.getSignInUrl())).code).toBe('InvalidParameterException');
  });

  it("validates the oauth option on the hosted UI's first use, before anything is stored or sent", async () => {
    // Checked where Amplify v6 checks it (signInWithRedirect), so that apps without the hosted UI
    // do not ship the check; only the option's shape is checked when the client is made.
    for (const oauth of ['auth.example.com', null, 42]) {
      expect(
        () => new CognitoClient({ userPoolId: ui.userPoolId, clientId: ui.clientId, oauth: oauth as never }),
      ).toThrow(
        expect.objectContaining({ code: 'InvalidParameterException', message: 'oauth must be an object' }),
      );
    }
    for (const oauth of [
      { redirectSignIn: [CALLBACK] },
      { domain: 'auth.example.com' },
      { domain: 'auth.example.com', redirectSignIn: [] },
      { domain: 'auth.example.com', redirectSignIn: ['not a url'] },
      { domain: 'auth.example.com', redirectSignIn: CALLBACK, responseType: 'id_token' },
      { domain: 'auth.example.com', redirectSignIn: CALLBACK, scopes: ['openid email'] },
      { domain: 'auth.example.com', redirectSignIn: CALLBACK, endpoints: { token: 'ftp://x' } },
      { domain: 'auth.example.com', redirectSignIn: CALLBACK, extra: true },
    ]) {
      const writes: string[] = [];
      const storage = memoryStorage();
      const client = new CognitoClient({
        userPoolId: ui.userPoolId,
        clientId: ui.clientId,
        storage: {
          ...storage,
          setItem: (key, value) => {
            writes.push(key);
            return storage.setItem(key, value);
          },
        },
        oauth: oauth as never,
      });
      const opened: string[] = [];
      for (const call of [
        () => client.getSignInUrl(),
        () => client.signInWithRedirect({ open: (url) => void opened.push(url) }),
        () => client.handleRedirect(`${CALLBACK}?code=abc&state=xyz`),
      ]) {
        expect((await rejection(call())).code, JSON.stringify(oauth)).toBe('InvalidParameterException');
      }
      expect(opened).toEqual([]);
      expect(writes).toEqual([]);
    }
    const fine = new CognitoClient({
      userPoolId: ui.userPoolId,
      clientId: ui.clientId,
      oauth: { domain: 'auth.example.com', redirectSignIn: CALLBACK },
    });
    expect(new URL(await fine.getSignInUrl()).origin).toBe('https://auth.example.com');
  });
});

describe('handleRedirect (authorization code + PKCE)', () => {
  it('exchanges the code once with the verifier and stores a Cognito-shaped session', async () => {
    const client = hostedClient(ui);
    const signedIn: Session[] = [];
    client.on('signedIn', (session) => signedIn.push(session));
    const authorize = await client.getSignInUrl({ customState: '/settings?tab=mfa' });
    const callback = await signInThroughLoginPage(authorize);
    expect(callback.startsWith(`${CALLBACK}?code=`)).toBe(true);

    const result = await client.handleRedirect(callback);

    expect(result).toMatchObject({
      isSignedIn: true,
      nextStep: { signInStep: 'DONE' },
      customState: '/settings?tab=mfa',
    });
    if (!result?.isSignedIn) throw new Error('not signed in');
    expect(result.session.username).toBe('ann');
    expect(result.session.idTokenClaims.iss).toBe(ui.issuer);
    expect(signedIn).toEqual([result.session]);
    const exchanges = ui.requestsTo('/oauth2/token');
    expect(exchanges).toHaveLength(1);
    const authorizeParams = new URL(authorize).searchParams;
    expect(exchanges[0]?.form).toEqual({
      grant_type: 'authorization_code',
      client_id: ui.clientId,
      code: new URL(callback).searchParams.get('code'),
      redirect_uri: CALLBACK,
      code_verifier: expect.stringMatching(/^[\w-]{43}$/),
    });
    expect(
      createHash('sha256')
        .update(exchanges[0]?.form.code_verifier ?? '')
        .digest('base64url'),
    ).toBe(authorizeParams.get('code_challenge'));
    expect(await client.getSession()).toBe(result.session);
    expect(ui.requestsTo('/oauth2/token')).toHaveLength(1);
  });

  it('completes the callback on a new client over the same storage (the page after the redirect)', async () => {
    const storage = memoryStorage();
    const callback = await signInThroughLoginPage(await hostedClient(ui, storage).getSignInUrl());
    const result = await hostedClient(ui, storage).handleRedirect(callback);
    expect(result?.isSignedIn).toBe(true);
  });

  it('shares one exchange between concurrent calls and refuses a replay with InvalidStateException, sending nothing', async () => {
    const client = hostedClient(ui);
    const callback = await signInThroughLoginPage(await client.getSignInUrl());
    const [a, b] = await Promise.all([client.handleRedirect(callback), client.handleRedirect(callback)]);
    expect(a).toBe(b);
    const other = hostedClient(ui, memoryStorage());
    for (const replay of [hostedClient(ui), other]) {
      const error = await rejection(replay.handleRedirect(callback));
      expect(error.code).toBe('InvalidStateException');
    }
    expect(ui.requestsTo('/oauth2/token')).toHaveLength(1);
  });

  it('refuses a state that is not ours, or a callback after the storage was cleared, without a request', async () => {
    const storage = memoryStorage();
    const client = hostedClient(ui, storage);
    const callback = await signInThroughLoginPage(await client.getSignInUrl());
    const forged = new URL(callback);
    forged.searchParams.set('state', 'attacker-state');
    expect((await rejection(client.handleRedirect(forged.href))).code).toBe('InvalidStateException');
    storage.removeItem(`CognitoIdentityServiceProvider.${ui.clientId}.cognitoKit.oauthPending`);
    const error = await rejection(client.handleRedirect(callback));
    expect(error.code).toBe('InvalidStateException');
    expect(error.message).not.toContain(new URL(callback).searchParams.get('code'));
    expect(ui.requestsTo('/oauth2/token')).toHaveLength(0);
    expect(await client.getSession()).toBeNull();
  });

  it("turns the callback's error into a CognitoError with that code and forgets the sign-in", async () => {
    const client = hostedClient(ui);
    const state = new URL(await client.getSignInUrl()).searchParams.get('state');
    const url = `${CALLBACK}?error=access_denied&error_description=User+cancelled+the+login&state=${state}`;
    const error = await rejection(client.handleRedirect(url));
    expect(error).toMatchObject({
      code: 'access_denied',
      message: 'User cancelled the login',
      retryable: false,
    });
    expect((await rejection(client.handleRedirect(url))).code).toBe('InvalidStateException');
    expect(ui.requestsTo('/oauth2/token')).toHaveLength(0);
  });

  it('resolves null for a URL without an OAuth response', async () => {
    expect(await hostedClient(ui).handleRedirect(`${APP}/callback?page=2`)).toBeNull();
  });

  it("rejects an ID token whose nonce, aud or iss is not this sign-in's, and stores nothing", async () => {
    // A wrong issuer setting stands in for a token from another pool.
    const client = hostedClient(ui, memoryStorage(), {
      oauth: { issuer: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Other' },
    });
    const callback = await signInThroughLoginPage(await client.getSignInUrl());
    const error = await rejection(client.handleRedirect(callback));
    expect(error.code).toBe('InvalidIdTokenException');
    expect(error.message).toContain('iss');
    expect(await client.getSession()).toBeNull();

    // A callback of one sign-in completed with another sign-in's nonce (state swapped in storage).
    const storage = memoryStorage();
    const swapped = hostedClient(ui, storage);
    const first = new URL(await swapped.getSignInUrl()).searchParams.get('state') ?? '';
    const url = await signInThroughLoginPage(await swapped.getSignInUrl());
    const key = `CognitoIdentityServiceProvider.${ui.clientId}.cognitoKit.oauthPending`;
    const pending = JSON.parse(String(storage.getItem(key))) as Record<string, { nonce: string }>;
    const second = new URL(url).searchParams.get('state') ?? '';
    pending[second] = { ...(pending[second] as { nonce: string }), nonce: pending[first]?.nonce ?? '' };
    storage.setItem(key, JSON.stringify(pending));
    const nonceError = await rejection(swapped.handleRedirect(url));
    expect(nonceError.code).toBe('InvalidIdTokenException');
    expect(nonceError.message).toContain('nonce');
  });

  it('passes the token endpoint error through (a spent code is invalid_grant) with nothing secret in it', async () => {
    const storage = memoryStorage();
    const client = hostedClient(ui, storage);
    const callback = await signInThroughLoginPage(await client.getSignInUrl());
    const code = new URL(callback).searchParams.get('code') ?? '';
    const state = new URL(callback).searchParams.get('state') ?? '';
    const pending = JSON.parse(
      String(storage.getItem(`CognitoIdentityServiceProvider.${ui.clientId}.cognitoKit.oauthPending`)),
    ) as Record<string, { verifier: string }>;
    // Spend the code first (another tab that read the same storage, an attacker with the verifier).
    const spent = await ui.postToken({
      grant_type: 'authorization_code',
      code,
      redirect_uri: CALLBACK,
      code_verifier: pending[state]?.verifier ?? '',
    });
    expect(spent.status).toBe(200);
    ui.requests.length = 0;
    const error = await rejection(client.handleRedirect(callback));
    expect(error.code).toBe('invalid_grant');
    expect(ui.requestsTo('/oauth2/token')).toHaveLength(1);
    expect(JSON.stringify({ message: error.message, stack: error.stack })).not.toContain(code);
  });
});

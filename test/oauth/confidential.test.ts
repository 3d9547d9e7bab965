// A confidential app client (with a secret) on the hosted UI: the token and revocation endpoints
// get client_secret_basic, against a stand-in that requires it (oidc-provider, a certified server).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { memoryStorage } from '../../src/index.js';
import { CognitoClient } from '../../src/node.js';
import { type HostedUi, signInThroughLoginPage, startHostedUi } from '../helpers/hosted-ui.js';
import { CALLBACK, hostedClient, SIGNED_OUT } from './support.js';

const SECRET = 'c0nfidential-app-client-secret-1';
let ui: HostedUi;

beforeAll(async () => {
  ui = await startHostedUi({
    redirectUris: [CALLBACK],
    postLogoutRedirectUris: [SIGNED_OUT],
    clientSecret: SECRET,
  });
});
afterAll(() => ui.close());
beforeEach(() => {
  ui.requests.length = 0;
});

const confidential = () =>
  new CognitoClient({
    userPoolId: ui.userPoolId,
    clientId: ui.clientId,
    clientSecret: SECRET,
    storage: memoryStorage(),
    retryBaseDelayMs: 0,
    endpoint: 'http://127.0.0.1:9/',
    oauth: ui.oauthOptions() as unknown as NonNullable<
      ConstructorParameters<typeof CognitoClient>[0]['oauth']
    >,
  });

describe('a confidential app client at the hosted UI', () => {
  it('authenticates the code exchange, the refresh and the revocation with client_secret_basic', async () => {
    const basic = `Basic ${Buffer.from(`${ui.clientId}:${SECRET}`).toString('base64')}`;
    const client = confidential();
    const result = await client.handleRedirect(await signInThroughLoginPage(await client.getSignInUrl()));
    expect(result?.isSignedIn).toBe(true);
    const refreshed = await client.getSession({ forceRefresh: true });
    expect(refreshed?.accessToken).not.toBe(result?.isSignedIn ? result.session.accessToken : undefined);
    await client.signOut({ redirect: false });

    const sent = [...ui.requestsTo('/oauth2/token'), ...ui.requestsTo('/oauth2/revoke')];
    expect(sent.map((request) => [request.form.grant_type ?? 'revoke', request.authorization])).toEqual([
      ['authorization_code', basic],
      ['refresh_token', basic],
      ['revoke', basic],
    ]);
    // The secret travels only in the header, never in a form.
    for (const request of sent) expect(JSON.stringify(request.form)).not.toContain(SECRET);
  });

  it('is refused without the secret: the stand-in really checks it (invalid_client)', async () => {
    const client = hostedClient(ui);
    const callback = await signInThroughLoginPage(await client.getSignInUrl());
    const error = await client.handleRedirect(callback).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'CognitoError', code: 'invalid_client' });
    expect(String((error as Error).message)).not.toContain(SECRET);
  });
});

// Confidential app clients: SECRET_HASH (and ClientSecret) on every operation that needs it, checked
// by the fake as Cognito checks it, and proved against an independent HMAC (node:crypto).
import { createHmac } from 'node:crypto';
import { AuthenticationDetails, CognitoUser, CognitoUserPool } from 'amazon-cognito-identity-js';
import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  CognitoClient as BrowserClient,
  type CognitoClientOptions,
  isCognitoError,
} from '../../src/index.js';
import { CognitoClient as NodeClient } from '../../src/node.js';
import { CognitoClient as ServerClient } from '../../src/server.js';
import { cognitoError, type FakeCognito, type FakeCognitoOptions } from '../fake-cognito/index.js';
import { mapStorage } from '../faults/support.js';
import { startFake } from '../helpers/fake-client.js';
import { totp } from '../helpers/totp.js';

const SECRET = 'client-secret-8c1f0e2d9a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e';
const PASSWORD = 'Correct-Horse-1';
const CODE = '123456';

/** SECRET_HASH computed here, independently of src/ and of the fake. */
const hash = (username: string, clientId = 'testclient123', secret = SECRET) =>
  createHmac('sha256', secret).update(`${username}${clientId}`).digest('base64');

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());

function setUp(options: FakeCognitoOptions = {}, Client: typeof ServerClient = ServerClient) {
  const fake = startFake({ clientSecret: SECRET, code: CODE, ...options });
  const storage = mapStorage();
  const make = (extra: Partial<CognitoClientOptions> = {}) =>
    new Client({
      userPoolId: fake.userPoolId,
      clientId: fake.clientId,
      clientSecret: SECRET,
      storage,
      authFlow: 'USER_PASSWORD_AUTH',
      retryBaseDelayMs: 0,
      ...extra,
    });
  return { fake, storage, client: make(), make };
}

const last = (fake: FakeCognito, target: string) =>
  fake.requests.filter((r) => r.target === target).at(-1)?.body;

describe('the browser entry refuses a client secret', () => {
  it('rejects clientSecret with InvalidParameterException without a request, never echoing the secret', () => {
    const fake = startFake({ clientSecret: SECRET });
    let error: unknown;
    try {
      new BrowserClient({ userPoolId: fake.userPoolId, clientId: fake.clientId, clientSecret: SECRET });
    } catch (caught) {
      error = caught;
    }
    expect(isCognitoError(error, 'InvalidParameterException')).toBe(true);
    expect((error as Error).message).toContain('cognito-kit/node or cognito-kit/server');
    expect(String((error as Error).stack)).not.toContain(SECRET);
    expect(fake.count()).toBe(0);
  });

  it.each([
    ['node', NodeClient],
    ['server', ServerClient],
  ])('the %s entry rejects an empty or non-string secret', (_name, Client) => {
    for (const clientSecret of ['', 42]) {
      expect(() => new Client({ userPoolId: 'us-east-1_Abc', clientId: 'c', clientSecret } as never)).toThrow(
        /clientSecret must be a non-empty string/,
      );
    }
  });
});

describe.each([
  ['cognito-kit/server', ServerClient],
  ['cognito-kit/node', NodeClient],
])('a confidential client from %s', (_entry, Client) => {
  it('sends SecretHash with sign-up, confirmation, resend, forgot and confirm-forgot password', async () => {
    const { fake, client } = setUp({}, Client);
    await client.signUp({ username: 'sue', password: PASSWORD, attributes: { email: 'sue@example.com' } });
    await client.resendSignUpCode({ username: 'sue' });
    await client.confirmSignUp({ username: 'sue', code: CODE });
    await client.forgotPassword({ username: 'sue' });
    await client.confirmForgotPassword({ username: 'sue', code: CODE, newPassword: 'New-Horse-2' });
    for (const target of [
      'SignUp',
      'ResendConfirmationCode',
      'ConfirmSignUp',
      'ForgotPassword',
      'ConfirmForgotPassword',
    ]) {
      expect(last(fake, target)?.SecretHash, target).toBe(hash('sue'));
    }
    expect(fake.count()).toBe(5);
  });

  it('signs in with USER_PASSWORD_AUTH, refreshes with ClientSecret and revokes with ClientSecret', async () => {
    const { fake, client } = setUp({}, Client);
    fake.addUser({ username: 'ann', password: PASSWORD });
    const result = await client.signIn({ username: 'ann', password: PASSWORD });
    expect(result.isSignedIn).toBe(true);
    expect(last(fake, 'InitiateAuth')?.AuthParameters).toEqual({
      USERNAME: 'ann',
      PASSWORD,
      SECRET_HASH: hash('ann'),
    });
    await client.getSession({ forceRefresh: true });
    expect(last(fake, 'GetTokensFromRefreshToken')?.ClientSecret).toBe(SECRET);
    await client.signOut();
    expect(last(fake, 'RevokeToken')?.ClientSecret).toBe(SECRET);
    expect(fake.count('RevokeToken')).toBe(1);
    expect(fake.internalErrors).toEqual([]);
  });

  it('keys the SRP verifier answer by the USERNAME of the challenge (the sub in an email-alias pool)', async () => {
    const { fake, make } = setUp({ usernameAttributes: ['email'] }, Client);
    const { username: sub } = fake.addUser({ username: 'ann@example.com', password: PASSWORD });
    const result = await make({ authFlow: 'USER_SRP_AUTH' }).signIn({
      username: 'ann@example.com',
      password: PASSWORD,
    });
    expect(result.isSignedIn).toBe(true);
    expect(last(fake, 'InitiateAuth')?.AuthParameters.SECRET_HASH).toBe(hash('ann@example.com'));
    const answer = last(fake, 'RespondToAuthChallenge')?.ChallengeResponses;
    expect(answer.USERNAME).toBe(sub);
    expect(answer.SECRET_HASH).toBe(hash(sub));
  });

  it('answers MFA and custom challenges with SECRET_HASH', async () => {
    const { fake, client, make } = setUp({}, Client);
    const { totpSecret } = fake.addUser({ username: 'tom', password: PASSWORD, totp: true });
    const step = await client.signIn({ username: 'tom', password: PASSWORD });
    expect(step.isSignedIn).toBe(false);
    expect((await client.confirmSignIn({ challengeResponse: totp(totpSecret ?? '') })).isSignedIn).toBe(true);
    expect(last(fake, 'RespondToAuthChallenge')?.ChallengeResponses.SECRET_HASH).toBe(hash('tom'));
    fake.addUser({
      username: 'cus',
      password: PASSWORD,
      customChallenge: { question: 'pet?', answer: 'cat' },
    });
    const custom = make({ authFlow: 'CUSTOM_AUTH', storage: mapStorage() });
    await custom.signIn({ username: 'cus' });
    expect(last(fake, 'InitiateAuth')?.AuthParameters).toEqual({ USERNAME: 'cus', SECRET_HASH: hash('cus') });
    expect((await custom.confirmSignIn({ challengeResponse: 'cat' })).isSignedIn).toBe(true);
    expect(last(fake, 'RespondToAuthChallenge')?.ChallengeResponses).toEqual({
      USERNAME: 'cus',
      ANSWER: 'cat',
      SECRET_HASH: hash('cus'),
    });
  });

  it('refreshes with REFRESH_TOKEN_AUTH keyed by the canonical username when signed in with an email alias', async () => {
    const { fake, client } = setUp({ usernameAttributes: ['email'] }, Client);
    const { username: sub } = fake.addUser({ username: 'ann@example.com', password: PASSWORD });
    await client.signIn({ username: 'ann@example.com', password: PASSWORD });
    // An endpoint without GetTokensFromRefreshToken (cognito-local) makes the client fall back.
    fake.failNext('GetTokensFromRefreshToken', cognitoError('UnknownOperationException'));
    const session = await client.getSession({ forceRefresh: true });
    expect(session?.username).toBe(sub);
    const refresh = last(fake, 'InitiateAuth');
    expect(refresh.AuthFlow).toBe('REFRESH_TOKEN_AUTH');
    expect(refresh.AuthParameters.SECRET_HASH).toBe(hash(sub));
    expect(refresh.AuthParameters.SECRET_HASH).not.toBe(hash('ann@example.com'));
    expect(fake.refreshCount()).toBe(2);
  });

  it('never puts the secret in storage', async () => {
    const { fake, client, storage } = setUp({}, Client);
    fake.addUser({ username: 'ann', password: PASSWORD });
    await client.signIn({ username: 'ann', password: PASSWORD });
    await client.getSession({ forceRefresh: true });
    expect(JSON.stringify(storage.snapshot())).not.toContain(SECRET);
    expect(JSON.stringify(storage.snapshot())).not.toContain(hash('ann'));
  });
});

describe('the fake checks SECRET_HASH as Cognito does', () => {
  const raw = async (fake: FakeCognito, target: string, body: object) => {
    const response = await fake.handle(target, { ClientId: fake.clientId, ...body });
    return { status: response.status, body: JSON.parse(response.body) };
  };
  const missing = {
    __type: 'NotAuthorizedException',
    message: 'Client testclient123 is configured for secret but secret was not received',
  };
  const wrong = {
    __type: 'NotAuthorizedException',
    message: 'Unable to verify secret hash for client testclient123',
  };

  it('accepts a hash computed with node:crypto and refuses a missing or wrong one on every operation', async () => {
    const fake = startFake({ clientSecret: SECRET, code: CODE });
    fake.addUser({ username: 'ann', password: PASSWORD, attributes: { email: 'ann@example.com' } });
    const password = { AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'ann', PASSWORD } };
    expect(await raw(fake, 'InitiateAuth', password)).toEqual({ status: 400, body: missing });
    const wrongHash = {
      ...password,
      AuthParameters: { ...password.AuthParameters, SECRET_HASH: hash('ann', 'other') },
    };
    expect(await raw(fake, 'InitiateAuth', wrongHash)).toEqual({ status: 400, body: wrong });
    const right = { ...password, AuthParameters: { ...password.AuthParameters, SECRET_HASH: hash('ann') } };
    const signedIn = await raw(fake, 'InitiateAuth', right);
    expect(signedIn.status).toBe(200);
    const refreshToken = signedIn.body.AuthenticationResult.RefreshToken;

    expect(await raw(fake, 'SignUp', { Username: 'x', Password: PASSWORD })).toEqual({
      status: 400,
      body: missing,
    });
    expect(await raw(fake, 'ForgotPassword', { Username: 'ann', SecretHash: hash('bob') })).toEqual({
      status: 400,
      body: wrong,
    });
    expect((await raw(fake, 'ForgotPassword', { Username: 'ann', SecretHash: hash('ann') })).status).toBe(
      200,
    );
    expect(await raw(fake, 'GetTokensFromRefreshToken', { RefreshToken: refreshToken })).toEqual({
      status: 400,
      body: missing,
    });
    expect(
      await raw(fake, 'GetTokensFromRefreshToken', {
        RefreshToken: refreshToken,
        ClientSecret: `${SECRET}x`,
      }),
    ).toEqual({ status: 400, body: wrong });
    const refreshed = { AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: refreshToken } };
    expect(await raw(fake, 'InitiateAuth', refreshed)).toEqual({ status: 400, body: missing });
    expect(
      (
        await raw(fake, 'InitiateAuth', {
          ...refreshed,
          AuthParameters: { REFRESH_TOKEN: refreshToken, SECRET_HASH: hash('ann') },
        })
      ).status,
    ).toBe(200);
    expect(await raw(fake, 'RevokeToken', { Token: refreshToken })).toEqual({ status: 400, body: missing });
    expect((await raw(fake, 'RevokeToken', { Token: refreshToken, ClientSecret: SECRET })).status).toBe(200);
  });

  it('rejects a public client (the browser entry) and a wrong secret with the messages Cognito sends', async () => {
    const fake = startFake({ clientSecret: SECRET });
    fake.addUser({ username: 'ann', password: PASSWORD });
    const base = {
      userPoolId: fake.userPoolId,
      clientId: fake.clientId,
      authFlow: 'USER_PASSWORD_AUTH' as const,
    };
    const publicClient = new BrowserClient({ ...base, storage: mapStorage() });
    await expect(publicClient.signIn({ username: 'ann', password: PASSWORD })).rejects.toMatchObject({
      code: 'NotAuthorizedException',
      message: missing.message,
    });
    const wrongSecret = new ServerClient({ ...base, storage: mapStorage(), clientSecret: 'not-the-secret' });
    const error = await wrongSecret.signIn({ username: 'ann', password: PASSWORD }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'NotAuthorizedException', message: wrong.message });
    expect(JSON.stringify(error)).not.toContain('not-the-secret');
  });

  it('is out of reach of amazon-cognito-identity-js, which has no client-secret support', async () => {
    const fake = startFake({ clientSecret: SECRET });
    fake.addUser({ username: 'ann', password: PASSWORD });
    const pool = new CognitoUserPool({ UserPoolId: fake.userPoolId, ClientId: fake.clientId });
    const user = new CognitoUser({ Username: 'ann', Pool: pool });
    user.setAuthenticationFlowType('USER_PASSWORD_AUTH');
    const error = await new Promise<unknown>((resolve) =>
      user.authenticateUser(new AuthenticationDetails({ Username: 'ann', Password: PASSWORD }), {
        onSuccess: () => resolve(undefined),
        onFailure: resolve,
      }),
    );
    expect(error).toMatchObject({ code: 'NotAuthorizedException', message: missing.message });
  });
});

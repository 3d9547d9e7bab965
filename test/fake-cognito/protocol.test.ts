import { describe, expect, it } from 'vitest';
import { FakeCognito } from './index.js';
import { call, claims, fails, ok, passwordAuth } from './test-client.js';

describe('error responses', () => {
  it('use status 400, x-amzn-errortype "<Name>:" and a {__type, message} body', async () => {
    const fake = new FakeCognito();
    const response = await fake.handle('AWSCognitoIdentityProviderService.InitiateAuth', {
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: fake.clientId,
      AuthParameters: { USERNAME: 'nobody', PASSWORD: 'whatever1' },
    });

    expect(response.status).toBe(400);
    expect(response.headers).toMatchObject({
      'content-type': 'application/x-amz-json-1.1',
      'x-amzn-errortype': 'UserNotFoundException:',
      'x-amzn-requestid': expect.any(String),
      date: expect.stringMatching(/GMT$/),
    });
    expect(JSON.parse(response.body)).toEqual({
      __type: 'UserNotFoundException',
      message: 'User does not exist.',
    });
  });

  it('answer an unknown operation with UnknownOperationException', async () => {
    const fake = new FakeCognito();
    await fails(fake, 'AdminDeleteEverything', {}, 'UnknownOperationException');
    await fails(fake, 'SomeOtherService.GetUser', {}, 'UnknownOperationException');
    expect(fake.requests.map((r) => r.target)).toEqual(['AdminDeleteEverything', 'SomeOtherService.GetUser']);
  });

  it('answer a missing required member with InvalidParameterException', async () => {
    const fake = new FakeCognito();
    const message = await fails(
      fake,
      'SignUp',
      { ClientId: fake.clientId, Password: 'x' },
      'InvalidParameterException',
    );
    expect(message).toContain("'username'");
    await fails(
      fake,
      'InitiateAuth',
      { AuthFlow: 'USER_PASSWORD_AUTH', ClientId: fake.clientId, AuthParameters: { USERNAME: 'a' } },
      'InvalidParameterException',
    );
    await fails(
      fake,
      'InitiateAuth',
      { AuthFlow: 'MAGIC', ClientId: fake.clientId },
      'InvalidParameterException',
    );
  });

  it('answer a foreign ClientId with ResourceNotFoundException', async () => {
    const fake = new FakeCognito();
    await fails(
      fake,
      'ForgotPassword',
      { ClientId: 'someoneelse', Username: 'a' },
      'ResourceNotFoundException',
    );
  });

  it('answer a body that is not JSON with SerializationException', async () => {
    const fake = new FakeCognito();
    const response = await fake.handle('GetUser', '{not json');
    expect(response.status).toBe(400);
    expect(JSON.parse(response.body).__type).toBe('SerializationException');
  });
});

describe('tokens', () => {
  async function signedIn(options = {}) {
    const fake = new FakeCognito(options);
    fake.addUser({ username: 'alice', password: 'Passw0rd!', attributes: { email: 'alice@example.com' } });
    const { AuthenticationResult: tokens } = await passwordAuth(fake, 'alice', 'Passw0rd!');
    return { fake, tokens };
  }

  it('returns AuthenticationResult with Bearer tokens and an opaque ~1,700-character refresh token', async () => {
    const { tokens } = await signedIn();
    expect(tokens).toEqual({
      AccessToken: expect.any(String),
      IdToken: expect.any(String),
      RefreshToken: expect.stringMatching(/^eyJ/),
      ExpiresIn: 3600,
      TokenType: 'Bearer',
    });
    expect(tokens.RefreshToken.length).toBeGreaterThan(1600);
  });

  it('refreshes with fresh claims, the same origin_jti and no new refresh token', async () => {
    const { fake, tokens } = await signedIn();
    await ok(fake, 'UpdateUserAttributes', {
      AccessToken: tokens.AccessToken,
      UserAttributes: [{ Name: 'name', Value: 'Alice A.' }],
    });

    const refreshed = await ok(fake, 'InitiateAuth', {
      AuthFlow: 'REFRESH_TOKEN_AUTH',
      ClientId: fake.clientId,
      AuthParameters: { REFRESH_TOKEN: tokens.RefreshToken },
    });

    expect(refreshed.AuthenticationResult.RefreshToken).toBeUndefined();
    const id = claims(refreshed.AuthenticationResult.IdToken);
    expect(id.name).toBe('Alice A.');
    expect(id.origin_jti).toBe(claims(tokens.IdToken).origin_jti);
    expect(fake.refreshCount()).toBe(1);
  });

  it('rejects a revoked refresh token and the access tokens issued from it', async () => {
    const { fake, tokens } = await signedIn();
    await ok(fake, 'RevokeToken', { Token: tokens.RefreshToken, ClientId: fake.clientId });

    const refresh = {
      AuthFlow: 'REFRESH_TOKEN_AUTH',
      ClientId: fake.clientId,
      AuthParameters: { REFRESH_TOKEN: tokens.RefreshToken },
    };
    expect(await fails(fake, 'InitiateAuth', refresh, 'NotAuthorizedException')).toBe(
      'Refresh Token has been revoked',
    );
    expect(await fails(fake, 'GetUser', { AccessToken: tokens.AccessToken }, 'NotAuthorizedException')).toBe(
      'Access Token has been revoked',
    );
  });

  it('rejects an unknown refresh token as invalid and an expired one as expired', async () => {
    let now = Date.UTC(2030, 0, 1);
    const { fake, tokens } = await signedIn({ now: () => now, refreshTokenTtlSeconds: 3600 });
    const refresh = (token: string) => ({
      AuthFlow: 'REFRESH_TOKEN',
      ClientId: fake.clientId,
      AuthParameters: { REFRESH_TOKEN: token },
    });

    expect(await fails(fake, 'InitiateAuth', refresh('eyJnope'), 'NotAuthorizedException')).toBe(
      'Invalid Refresh Token',
    );
    now += 3600_000;
    expect(await fails(fake, 'InitiateAuth', refresh(tokens.RefreshToken), 'NotAuthorizedException')).toBe(
      'Refresh Token has expired',
    );
  });

  it('GlobalSignOut invalidates every access and refresh token of the user', async () => {
    const { fake, tokens } = await signedIn();
    const { AuthenticationResult: other } = await passwordAuth(fake, 'alice', 'Passw0rd!');

    await ok(fake, 'GlobalSignOut', { AccessToken: tokens.AccessToken });

    for (const token of [tokens.AccessToken, other.AccessToken]) {
      expect(await fails(fake, 'GetUser', { AccessToken: token }, 'NotAuthorizedException')).toBe(
        'Access Token has been revoked',
      );
    }
    await fails(
      fake,
      'InitiateAuth',
      {
        AuthFlow: 'REFRESH_TOKEN_AUTH',
        ClientId: fake.clientId,
        AuthParameters: { REFRESH_TOKEN: other.RefreshToken },
      },
      'NotAuthorizedException',
    );
  });

  it('revokeRefreshTokens works like AdminUserGlobalSignOut', async () => {
    const { fake, tokens } = await signedIn();
    fake.revokeRefreshTokens('alice');
    await fails(fake, 'GetUser', { AccessToken: tokens.AccessToken }, 'NotAuthorizedException');
  });

  it('rejects an expired access token and a malformed one', async () => {
    let now = Date.UTC(2030, 0, 1);
    const { fake, tokens } = await signedIn({ now: () => now, accessTokenTtlSeconds: 300 });
    expect(await fails(fake, 'GetUser', { AccessToken: 'abc.def.ghi' }, 'NotAuthorizedException')).toBe(
      'Invalid Access Token',
    );
    expect(await fails(fake, 'GetUser', { AccessToken: tokens.IdToken }, 'NotAuthorizedException')).toBe(
      'Invalid Access Token',
    );
    now += 300_000;
    expect(await fails(fake, 'GetUser', { AccessToken: tokens.AccessToken }, 'NotAuthorizedException')).toBe(
      'Access Token has expired',
    );
  });

  it('with rotation, refuses REFRESH_TOKEN_AUTH and rotates through GetTokensFromRefreshToken', async () => {
    const { fake, tokens } = await signedIn({ refreshTokenRotation: true });
    const message = await fails(
      fake,
      'InitiateAuth',
      {
        AuthFlow: 'REFRESH_TOKEN_AUTH',
        ClientId: fake.clientId,
        AuthParameters: { REFRESH_TOKEN: tokens.RefreshToken },
      },
      'InvalidParameterException',
    );
    expect(message).toContain('GetTokensFromRefreshToken');

    const rotated = await ok(fake, 'GetTokensFromRefreshToken', {
      RefreshToken: tokens.RefreshToken,
      ClientId: fake.clientId,
    });

    expect(rotated.AuthenticationResult.RefreshToken).toMatch(/^eyJ/);
    expect(rotated.AuthenticationResult.RefreshToken).not.toBe(tokens.RefreshToken);
    await fails(
      fake,
      'GetTokensFromRefreshToken',
      { RefreshToken: tokens.RefreshToken, ClientId: fake.clientId },
      'NotAuthorizedException',
    );
    await ok(fake, 'GetTokensFromRefreshToken', {
      RefreshToken: rotated.AuthenticationResult.RefreshToken,
      ClientId: fake.clientId,
    });
  });

  it('issueTokens signs a user in without a round trip', async () => {
    const fake = new FakeCognito();
    fake.addUser({ username: 'zed', password: 'Passw0rd!' });
    const tokens = fake.issueTokens('zed');
    expect((await ok(fake, 'GetUser', { AccessToken: tokens.AccessToken })).Username).toBe('zed');
  });

  it('signs tokens verifiably with the published JWKS', async () => {
    const { createPublicKey, verify } = await import('node:crypto');
    const { fake, tokens } = await signedIn();
    const [header = '', payload = '', signature = ''] = tokens.IdToken.split('.');
    const jwk = fake.jwks().keys[0] as Record<string, string>;
    expect(JSON.parse(Buffer.from(header, 'base64url').toString())).toEqual({ kid: jwk.kid, alg: 'RS256' });
    const key = createPublicKey({ key: jwk as never, format: 'jwk' });
    expect(
      verify('sha256', Buffer.from(`${header}.${payload}`), key, Buffer.from(signature, 'base64url')),
    ).toBe(true);
  });
});

describe('call()', () => {
  it('returns the parsed body', async () => {
    const fake = new FakeCognito();
    expect((await call(fake, 'GetUser', {})).json.__type).toBe('InvalidParameterException');
  });
});

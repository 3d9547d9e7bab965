import { AuthenticationDetails, CognitoUser, CognitoUserPool } from 'amazon-cognito-identity-js';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cognitoError, FakeCognito, startFakeCognitoServer } from './index.js';

function post(url: string, target: string, body: object, init: RequestInit = {}) {
  return fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': `AWSCognitoIdentityProviderService.${target}`,
    },
    body: JSON.stringify(body),
    ...init,
  });
}

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

describe('intercept()', () => {
  it('routes POST / on the AWS endpoint by X-Amz-Target and records the request', async () => {
    const fake = new FakeCognito();
    const scope = fake.intercept();

    const response = await post(fake.endpoint, 'GetUser', { AccessToken: 'nope' });

    expect(response.status).toBe(400);
    expect(response.headers.get('x-amzn-errortype')).toBe('NotAuthorizedException:');
    expect(await response.json()).toEqual({
      __type: 'NotAuthorizedException',
      message: 'Invalid Access Token',
    });
    expect(fake.requests).toEqual([
      {
        target: 'GetUser',
        body: { AccessToken: 'nope' },
        headers: expect.objectContaining({ 'x-amz-target': 'AWSCognitoIdentityProviderService.GetUser' }),
      },
    ]);
    expect(scope.isDone()).toBe(true);
  });

  it('answers a missing X-Amz-Target with UnknownOperationException', async () => {
    const fake = new FakeCognito();
    fake.intercept();
    const response = await fetch(fake.endpoint, { method: 'POST', body: '{}' });
    expect((await response.json()).__type).toBe('UnknownOperationException');
  });
});

describe('failNext()', () => {
  it('replaces the next N responses of a target, then handles normally', async () => {
    const fake = new FakeCognito();
    fake.intercept();
    fake.failNext('ForgotPassword', cognitoError('TooManyRequestsException', 'Rate exceeded'), 2);
    const body = { ClientId: fake.clientId, Username: 'nobody' };

    const types = [];
    for (let i = 0; i < 3; i++)
      types.push((await (await post(fake.endpoint, 'ForgotPassword', body)).json()).__type);

    expect(types).toEqual(['TooManyRequestsException', 'TooManyRequestsException', 'UserNotFoundException']);
  });

  it('serves a raw status and body, e.g. an HTML gateway error', async () => {
    const fake = new FakeCognito();
    fake.intercept();
    fake.failNext('*', {
      status: 502,
      body: '<html>Bad Gateway</html>',
      headers: { 'content-type': 'text/html' },
    });
    const response = await post(fake.endpoint, 'GetUser', {});
    expect(response.status).toBe(502);
    expect(response.headers.get('content-type')).toBe('text/html');
    expect(await response.text()).toBe('<html>Bad Gateway</html>');
  });

  it('fails the request at the network level', async () => {
    const fake = new FakeCognito();
    fake.intercept();
    fake.failNext('GetUser', { networkError: true });
    await expect(post(fake.endpoint, 'GetUser', {})).rejects.toThrow(TypeError);
    expect(fake.count('GetUser')).toBe(1);
  });

  it('hangs until the client gives up', async () => {
    const fake = new FakeCognito();
    fake.intercept();
    fake.failNext('GetUser', { hang: true });
    const started = Date.now();
    await expect(post(fake.endpoint, 'GetUser', {}, { signal: AbortSignal.timeout(100) })).rejects.toThrow();
    expect(Date.now() - started).toBeGreaterThanOrEqual(90);
    fake.releaseHung();
  });

  it('delays the response', async () => {
    const fake = new FakeCognito();
    fake.intercept();
    fake.failNext('GetUser', { delayMs: 80 });
    const started = Date.now();
    expect((await post(fake.endpoint, 'GetUser', {})).status).toBe(400);
    expect(Date.now() - started).toBeGreaterThanOrEqual(70);
  });
});

describe('startFakeCognitoServer()', () => {
  it('serves the library through a custom endpoint over real HTTP, with CORS', async () => {
    nock.enableNetConnect('127.0.0.1');
    const fake = new FakeCognito();
    const server = await startFakeCognitoServer(fake);
    try {
      fake.addUser({ username: 'alice', password: 'Passw0rd!' });
      const pool = new CognitoUserPool({
        UserPoolId: fake.userPoolId,
        ClientId: fake.clientId,
        endpoint: server.url,
      });
      const user = new CognitoUser({ Username: 'alice', Pool: pool });
      const session = await new Promise<unknown>((resolve, reject) =>
        user.authenticateUser(new AuthenticationDetails({ Username: 'alice', Password: 'Passw0rd!' }), {
          onSuccess: resolve,
          onFailure: reject,
        }),
      );
      expect(session).toBeTruthy();

      const preflight = await fetch(server.url, {
        method: 'OPTIONS',
        headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'POST' },
      });
      expect(preflight.status).toBe(204);
      expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
      expect(preflight.headers.get('access-control-allow-headers')).toBe(
        'content-type,x-amz-target,x-amz-user-agent,cache-control',
      );

      const error = await post(server.url, 'GetUser', { AccessToken: 'x' });
      expect(error.headers.get('access-control-allow-origin')).toBe('*');
      expect(error.headers.get('x-amzn-errortype')).toBe('NotAuthorizedException:');

      const jwks = await fetch(`${server.url}${fake.userPoolId}/.well-known/jwks.json`);
      expect((await jwks.json()).keys[0].alg).toBe('RS256');

      fake.failNext('GetUser', { networkError: true });
      await expect(post(server.url, 'GetUser', {})).rejects.toThrow(TypeError);
    } finally {
      await server.close();
      nock.disableNetConnect();
    }
  });
});

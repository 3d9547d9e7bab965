import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { type CognitoLocal, CognitoLocalError, decodeJwt, startCognitoLocal } from './cognito-local';

function portAcceptsConnections(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('cognito-local helper', () => {
  let cl: CognitoLocal | undefined;
  afterAll(async () => {
    await cl?.stop();
  });

  it('starts, signs up, confirms with the fixed code, signs in, and stops cleanly', async () => {
    cl = await startCognitoLocal({ code: '424242' });
    expect(cl.endpoint).toBe(`http://127.0.0.1:${cl.port}/`);
    expect(cl.code).toBe('424242');
    expect(existsSync(cl.dir)).toBe(true);

    const { userPoolId, clientId } = await cl.createPool({ usernameAttributes: ['email'] });
    expect(userPoolId).toMatch(/^local_/);
    expect(clientId).toBeTruthy();

    const username = 'ann@example.com';
    const password = 'Passw0rd!';
    const signUp = await cl.call<{ UserConfirmed: boolean; UserSub: string; CodeDeliveryDetails?: unknown }>(
      'SignUp',
      {
        ClientId: clientId,
        Username: username,
        Password: password,
        UserAttributes: [
          { Name: 'email', Value: username },
          { Name: 'custom:nickname', Value: 'annie' },
        ],
      },
    );
    expect(signUp.UserConfirmed).toBe(false);
    expect(signUp.CodeDeliveryDetails).toEqual({
      AttributeName: 'email',
      DeliveryMedium: 'EMAIL',
      Destination: username,
    });

    // errors carry the __type and the HTTP status
    const unconfirmed = await cl
      .call('InitiateAuth', {
        ClientId: clientId,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: username, PASSWORD: password },
      })
      .catch((e: unknown) => e);
    expect(unconfirmed).toBeInstanceOf(CognitoLocalError);
    expect(unconfirmed).toMatchObject({
      code: 'UserNotConfirmedException',
      name: 'UserNotConfirmedException',
      status: 400,
    });
    await expect(
      cl.call('ConfirmSignUp', { ClientId: clientId, Username: username, ConfirmationCode: '000000' }),
    ).rejects.toMatchObject({ code: 'CodeMismatchException' });

    await cl.call('ConfirmSignUp', { ClientId: clientId, Username: username, ConfirmationCode: '424242' });

    const auth = await cl.call<{
      AuthenticationResult: { AccessToken: string; IdToken: string; RefreshToken: string };
    }>('InitiateAuth', {
      ClientId: clientId,
      AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: username, PASSWORD: password },
    });
    const id = decodeJwt(auth.AuthenticationResult.IdToken);
    expect(id).toMatchObject({
      sub: signUp.UserSub,
      'cognito:username': signUp.UserSub, // email-as-username pools store the sub as username
      email: username,
      'custom:nickname': 'annie',
      token_use: 'id',
      aud: clientId,
      iss: `http://127.0.0.1:${cl.port}/${userPoolId}`,
    });
    expect(decodeJwt(auth.AuthenticationResult.AccessToken)).toMatchObject({
      client_id: clientId,
      token_use: 'access',
    });
    expect(auth.AuthenticationResult.RefreshToken).toBeTruthy();

    const { port, dir } = cl;
    const stopping = cl.stop();
    expect(cl.stop()).toBe(stopping); // idempotent, same promise
    await stopping;
    await cl.stop();
    expect(await portAcceptsConnections(port)).toBe(false);
    expect(existsSync(dir)).toBe(false);
  }, 15_000);

  it('token lifetimes can be shortened per client', async () => {
    const local = await startCognitoLocal();
    try {
      const { clientId } = await local.createPool({ accessTokenValiditySeconds: 60, customAttributes: [] });
      await local.call('SignUp', {
        ClientId: clientId,
        Username: 'bob',
        Password: 'Passw0rd!',
        UserAttributes: [{ Name: 'email', Value: 'bob@example.com' }],
      });
      await local.call('ConfirmSignUp', {
        ClientId: clientId,
        Username: 'bob',
        ConfirmationCode: local.code,
      });
      const auth = await local.call('InitiateAuth', {
        ClientId: clientId,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: 'bob', PASSWORD: 'Passw0rd!' },
      });
      const access = decodeJwt(auth.AuthenticationResult.AccessToken);
      const idToken = decodeJwt(auth.AuthenticationResult.IdToken);
      expect(access.exp - access.iat).toBe(60);
      expect(idToken.exp - idToken.iat).toBe(60);
      expect(idToken['cognito:username']).toBe('bob');
    } finally {
      await local.stop();
    }
  }, 15_000);
});

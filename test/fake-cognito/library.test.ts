/**
 * The fake driven by the real amazon-cognito-identity-js: proves that its SRP math, challenge
 * shapes and token responses are what the library (and so cognito-kit) expects.
 */
import {
  AuthenticationDetails,
  CognitoRefreshToken,
  CognitoUser,
  CognitoUserPool,
  type CognitoUserSession,
} from 'amazon-cognito-identity-js';
import fc from 'fast-check';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { totp } from '../helpers/totp.js';
import { FakeCognito, type FakeCognitoOptions } from './index.js';
import { libraryStorage, step, successOf } from './raw-library.js';
import { claims } from './test-client.js';

function setup(options: FakeCognitoOptions = {}) {
  const fake = new FakeCognito(options);
  fake.intercept();
  const pool = new CognitoUserPool({
    UserPoolId: fake.userPoolId,
    ClientId: fake.clientId,
    endpoint: fake.endpoint,
    Storage: libraryStorage(),
  });
  const cognitoUser = (username: string) =>
    new CognitoUser({ Username: username, Pool: pool, Storage: libraryStorage() });
  const signIn = (user: CognitoUser, username: string, password: string) =>
    step((cb) =>
      user.authenticateUser(new AuthenticationDetails({ Username: username, Password: password }), cb),
    );
  return { fake, pool, cognitoUser, signIn };
}

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

describe('SRP with amazon-cognito-identity-js', () => {
  it('signs in with the right password and returns tokens carrying the claims Cognito sets', async () => {
    const { fake, cognitoUser, signIn } = setup();
    const { sub } = fake.addUser({
      username: 'alice',
      password: 'correct horse battery',
      attributes: { email: 'alice@example.com', name: 'Alice' },
    });

    const session = successOf(await signIn(cognitoUser('alice'), 'alice', 'correct horse battery'));

    expect(fake.requests.map((r) => r.target)).toEqual(['InitiateAuth', 'RespondToAuthChallenge']);
    expect(fake.requests[0]?.body.AuthFlow).toBe('USER_SRP_AUTH');
    const id = claims(session.getIdToken().getJwtToken());
    const access = claims(session.getAccessToken().getJwtToken());
    const iss = `https://cognito-idp.us-east-1.amazonaws.com/${fake.userPoolId}`;
    expect(id).toMatchObject({
      sub,
      iss,
      aud: fake.clientId,
      token_use: 'id',
      'cognito:username': 'alice',
      email: 'alice@example.com',
      email_verified: true,
      name: 'Alice',
    });
    expect(access).toMatchObject({
      sub,
      iss,
      client_id: fake.clientId,
      token_use: 'access',
      scope: 'aws.cognito.signin.user.admin',
      username: 'alice',
    });
    expect(access.origin_jti).toBe(id.origin_jti);
    expect(access.exp - access.iat).toBe(3600);
    expect(session.getRefreshToken().getToken().length).toBeGreaterThan(1500);
    expect(session.isValid()).toBe(true);
  });

  it('rejects a wrong password with NotAuthorizedException, without the password ever being sent', async () => {
    const { fake, cognitoUser, signIn } = setup();
    fake.addUser({ username: 'alice', password: 'correct horse battery' });

    const error = await signIn(cognitoUser('alice'), 'alice', 'wrong horse battery').catch((e: unknown) => e);

    expect(error).toMatchObject({
      code: 'NotAuthorizedException',
      message: 'Incorrect username or password.',
    });
    expect(JSON.stringify(fake.requests)).not.toContain('horse');
  });

  it('agrees with the library for arbitrary usernames and unicode passwords', async () => {
    const { fake, cognitoUser, signIn } = setup();
    await fc.assert(
      fc.asyncProperty(
        fc.stringMatching(/^[a-z0-9._+-]{1,24}$/),
        fc.string({ unit: 'grapheme', minLength: 8, maxLength: 24 }),
        async (suffix, password) => {
          const username = `u${fake.count()}${suffix}`;
          fake.addUser({ username, password });
          successOf(await signIn(cognitoUser(username), username, password));
        },
      ),
      { numRuns: 8 },
    );
  });

  it('signs in by email in an email-alias pool, with the sub as USER_ID_FOR_SRP', async () => {
    const { fake, cognitoUser, signIn } = setup({ usernameAttributes: ['email'] });
    const { username, sub } = fake.addUser({ username: 'bob@example.com', password: 'Passw0rd!' });
    expect(username).toBe(sub);

    const session = successOf(await signIn(cognitoUser('bob@example.com'), 'bob@example.com', 'Passw0rd!'));

    expect(fake.requests[1]?.body.ChallengeResponses.USERNAME).toBe(sub);
    expect(claims(session.getIdToken().getJwtToken())).toMatchObject({
      'cognito:username': sub,
      email: 'bob@example.com',
    });
    expect(claims(session.getAccessToken().getJwtToken()).username).toBe(sub);
  });

  it('reports UserNotConfirmedException only once the password is proven', async () => {
    const { fake, cognitoUser, signIn } = setup();
    fake.addUser({ username: 'carol', password: 'Passw0rd!', status: 'UNCONFIRMED' });

    await expect(signIn(cognitoUser('carol'), 'carol', 'nope-nope')).rejects.toMatchObject({
      code: 'NotAuthorizedException',
    });
    await expect(signIn(cognitoUser('carol'), 'carol', 'Passw0rd!')).rejects.toMatchObject({
      code: 'UserNotConfirmedException',
    });
  });
});

describe('challenges through the library', () => {
  it('completes NEW_PASSWORD_REQUIRED with the required attribute', async () => {
    const { fake, cognitoUser, signIn } = setup();
    fake.addUser({
      username: 'dave',
      password: 'Temp-pass-1',
      status: 'FORCE_CHANGE_PASSWORD',
      attributes: { email: 'dave@example.com' },
      requiredAttributes: ['name'],
    });
    const user = cognitoUser('dave');

    const first = await signIn(user, 'dave', 'Temp-pass-1');
    expect(first).toEqual({
      kind: 'newPasswordRequired',
      userAttributes: { email: 'dave@example.com', email_verified: 'true' },
      requiredAttributes: ['name'],
    });
    const done = await step((cb) => user.completeNewPasswordChallenge('New-pass-1', { name: 'Dave' }, cb));

    expect(claims(successOf(done).getIdToken().getJwtToken()).name).toBe('Dave');
    expect(fake.getUser('dave')?.status).toBe('CONFIRMED');
    successOf(await signIn(cognitoUser('dave'), 'dave', 'New-pass-1'));
  });

  it('answers SMS_MFA with the code the fake sent', async () => {
    const { fake, cognitoUser, signIn } = setup();
    fake.addUser({ username: 'erin', password: 'Passw0rd!', sms: true });
    const user = cognitoUser('erin');

    const challenge = await signIn(user, 'erin', 'Passw0rd!');
    expect(challenge).toMatchObject({
      kind: 'mfaRequired',
      parameters: { CODE_DELIVERY_DELIVERY_MEDIUM: 'SMS', CODE_DELIVERY_DESTINATION: '+*******1234' },
    });
    await expect(step((cb) => user.sendMFACode('000000', cb))).rejects.toMatchObject({
      code: 'CodeMismatchException',
    });
    successOf(await step((cb) => user.sendMFACode(fake.lastCode('erin', 'sms'), cb)));
  });

  it('picks SMS from SELECT_MFA_TYPE and then answers SOFTWARE_TOKEN_MFA on the next sign-in', async () => {
    const { fake, cognitoUser, signIn } = setup();
    const { totpSecret = '' } = fake.addUser({
      username: 'fay',
      password: 'Passw0rd!',
      sms: true,
      totp: true,
    });
    const user = cognitoUser('fay');

    expect(await signIn(user, 'fay', 'Passw0rd!')).toMatchObject({
      kind: 'selectMFAType',
      parameters: { MFAS_CAN_CHOOSE: '["SMS_MFA","SOFTWARE_TOKEN_MFA"]' },
    });
    expect(await step((cb) => user.sendMFASelectionAnswer('SOFTWARE_TOKEN_MFA', cb))).toMatchObject({
      kind: 'totpRequired',
    });
    successOf(await step((cb) => user.sendMFACode(totp(totpSecret), cb, 'SOFTWARE_TOKEN_MFA')));
  });

  it('sets up TOTP from MFA_SETUP when the pool requires MFA', async () => {
    const { fake, cognitoUser, signIn } = setup({ mfa: 'ON' });
    fake.addUser({ username: 'gus', password: 'Passw0rd!' });
    const user = cognitoUser('gus');

    expect(await signIn(user, 'gus', 'Passw0rd!')).toMatchObject({
      kind: 'mfaSetup',
      parameters: { MFAS_CAN_SETUP: '["SOFTWARE_TOKEN_MFA"]' },
    });
    const secret = await new Promise<string>((resolve, reject) =>
      user.associateSoftwareToken({ associateSecretCode: resolve, onFailure: reject }),
    );
    expect(secret).toMatch(/^[A-Z2-7]{52}$/);
    const done = await step((cb) => user.verifySoftwareToken(totp(secret), 'my phone', cb));

    successOf(done);
    expect(fake.getUser('gus')).toMatchObject({ totpEnabled: true, totpSecret: secret });
    expect(await signIn(cognitoUser('gus'), 'gus', 'Passw0rd!')).toMatchObject({ kind: 'totpRequired' });
  });

  it('runs CUSTOM_AUTH after SRP and accepts the right answer', async () => {
    const { fake, cognitoUser, signIn } = setup();
    fake.addUser({
      username: 'hal',
      password: 'Passw0rd!',
      customChallenge: { question: '2+2?', answer: '4' },
    });
    const user = cognitoUser('hal');
    user.setAuthenticationFlowType('CUSTOM_AUTH');

    expect(await signIn(user, 'hal', 'Passw0rd!')).toMatchObject({
      kind: 'customChallenge',
      parameters: { question: '2+2?', USERNAME: 'hal' },
    });
    expect(fake.requests[0]?.body.AuthParameters.CHALLENGE_NAME).toBe('SRP_A');
    successOf(await step((cb) => user.sendCustomChallengeAnswer('4', cb)));
  });

  it('refreshes with REFRESH_TOKEN_AUTH and keeps the origin_jti', async () => {
    const { fake, cognitoUser, signIn } = setup();
    fake.addUser({ username: 'ivy', password: 'Passw0rd!' });
    const user = cognitoUser('ivy');
    const session = successOf(await signIn(user, 'ivy', 'Passw0rd!'));

    const refreshed = await new Promise<CognitoUserSession>((resolve, reject) =>
      user.refreshSession(
        new CognitoRefreshToken({ RefreshToken: session.getRefreshToken().getToken() }),
        (err, s) => (err ? reject(err) : resolve(s)),
      ),
    );

    expect(fake.refreshCount()).toBe(1);
    const before = claims(session.getAccessToken().getJwtToken());
    const after = claims(refreshed.getAccessToken().getJwtToken());
    expect(after.origin_jti).toBe(before.origin_jti);
    expect(after.jti).not.toBe(before.jti);
    expect(refreshed.getRefreshToken().getToken()).toBe(session.getRefreshToken().getToken());
  });

  it('signs in with USER_PASSWORD_AUTH', async () => {
    const { fake, cognitoUser, signIn } = setup();
    fake.addUser({ username: 'jay', password: 'Passw0rd!' });
    const user = cognitoUser('jay');
    user.setAuthenticationFlowType('USER_PASSWORD_AUTH');

    successOf(await signIn(user, 'jay', 'Passw0rd!'));
    expect(fake.requests.map((r) => r.body.AuthFlow)).toEqual(['USER_PASSWORD_AUTH']);
  });
});

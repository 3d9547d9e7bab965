/**
 * The fake's device tracking, proven against the real amazon-cognito-identity-js: the library
 * confirms devices, answers DEVICE_SRP_AUTH / DEVICE_PASSWORD_VERIFIER and refreshes with the device
 * key, so what the fake accepts is what the library (and so Cognito) does.
 */
import {
  AuthenticationDetails,
  CognitoRefreshToken,
  CognitoUser,
  CognitoUserPool,
  type CognitoUserSession,
} from 'amazon-cognito-identity-js';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { totp } from '../helpers/totp.js';
import { FakeCognito, type FakeCognitoOptions } from './index.js';
import { libraryStorage, step, successOf } from './raw-library.js';
import { fails, ok } from './test-client.js';

const PASSWORD = 'Passw0rd!';

/** A fake with device tracking and the raw library on one storage (one browser, many page loads). */
function setup(options: FakeCognitoOptions = {}) {
  nock.cleanAll();
  const fake = new FakeCognito({ deviceTracking: 'always', ...options });
  fake.intercept();
  const storage = libraryStorage();
  const pool = new CognitoUserPool({
    UserPoolId: fake.userPoolId,
    ClientId: fake.clientId,
    endpoint: fake.endpoint,
    Storage: storage,
  });
  const user = (username = 'alice') => new CognitoUser({ Username: username, Pool: pool, Storage: storage });
  const signIn = (cognitoUser: CognitoUser, username = 'alice') =>
    step((cb) =>
      cognitoUser.authenticateUser(new AuthenticationDetails({ Username: username, Password: PASSWORD }), cb),
    );
  const key = (field: string, username = 'alice') =>
    storage.items.get(`CognitoIdentityServiceProvider.${fake.clientId}.${username}.${field}`);
  return { fake, storage, user, signIn, key };
}

const challengeNames = (fake: FakeCognito) =>
  fake.requests.map((r) => (r.target === 'RespondToAuthChallenge' ? r.body.ChallengeName : r.target));

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

describe('device tracking through amazon-cognito-identity-js', () => {
  it("announces a new device, stores the library's verifier, and proves the device at the next sign-in", async () => {
    const { fake, user, signIn, key } = setup();
    fake.addUser({ username: 'alice', password: PASSWORD });

    successOf(await signIn(user()));

    const confirm = fake.requests.find((r) => r.target === 'ConfirmDevice');
    expect(confirm?.body).toMatchObject({
      DeviceKey: key('deviceKey'),
      DeviceName: 'nodejs',
      DeviceSecretVerifierConfig: { PasswordVerifier: expect.any(String), Salt: expect.any(String) },
    });
    expect(key('deviceKey')).toMatch(/^us-east-1_[0-9a-f-]{36}$/);
    expect(fake.pool.devices.get(key('deviceKey') ?? '')).toMatchObject({ remembered: true, name: 'nodejs' });

    fake.requests.length = 0;
    successOf(await signIn(user()));
    expect(challengeNames(fake)).toEqual([
      'InitiateAuth',
      'PASSWORD_VERIFIER',
      'DEVICE_SRP_AUTH',
      'DEVICE_PASSWORD_VERIFIER',
    ]);
    expect(fake.requests[1]?.body.ChallengeResponses.DEVICE_KEY).toBe(key('deviceKey'));
    expect(fake.count('ConfirmDevice')).toBe(0);
  });

  it('refuses a device proof made with a wrong random password or a wrong device group key', async () => {
    for (const field of ['randomPasswordKey', 'deviceGroupKey']) {
      const { fake, user, signIn, key, storage } = setup();
      fake.addUser({ username: 'alice', password: PASSWORD });
      successOf(await signIn(user()));
      storage.setItem(`CognitoIdentityServiceProvider.${fake.clientId}.alice.${field}`, `${key(field)}x`);

      await expect(signIn(user())).rejects.toMatchObject({ code: 'NotAuthorizedException' });
      expect(challengeNames(fake).at(-1)).toBe('DEVICE_PASSWORD_VERIFIER');
    }
  });

  it('skips TOTP on a remembered device, and asks for it when the pool does not let devices skip MFA', async () => {
    for (const skip of [true, false]) {
      const { fake, user, signIn } = setup({ rememberedDevicesSkipMfa: skip });
      const { totpSecret = '' } = fake.addUser({ username: 'alice', password: PASSWORD, totp: true });
      const first = user();
      expect((await signIn(first)).kind).toBe('totpRequired');
      successOf(await step((cb) => first.sendMFACode(totp(totpSecret), cb, 'SOFTWARE_TOKEN_MFA')));
      expect(fake.count('ConfirmDevice')).toBe(1);

      fake.requests.length = 0;
      const again = user();
      const second = await signIn(again);
      expect(second.kind).toBe(skip ? 'success' : 'totpRequired');
      if (!skip) successOf(await step((cb) => again.sendMFACode(totp(totpSecret), cb, 'SOFTWARE_TOKEN_MFA')));
      // Device authentication stands in for MFA; where it may not, MFA is asked and no device step runs.
      expect(challengeNames(fake)).toEqual([
        'InitiateAuth',
        'PASSWORD_VERIFIER',
        ...(skip ? ['DEVICE_SRP_AUTH', 'DEVICE_PASSWORD_VERIFIER'] : ['SOFTWARE_TOKEN_MFA']),
      ]);
    }
  });

  it("binds an MFA answer's tokens to the device it names: the library sends DEVICE_KEY with the code, no second device", async () => {
    const { fake, user, signIn, key } = setup({ rememberedDevicesSkipMfa: false });
    const { totpSecret = '' } = fake.addUser({ username: 'alice', password: PASSWORD, totp: true });
    for (const _ of ['first', 'second']) {
      const cognitoUser = user();
      expect((await signIn(cognitoUser)).kind).toBe('totpRequired');
      successOf(await step((cb) => cognitoUser.sendMFACode(totp(totpSecret), cb, 'SOFTWARE_TOKEN_MFA')));
    }
    const answers = fake.requests.filter((r) => r.body.ChallengeName === 'SOFTWARE_TOKEN_MFA');
    expect(answers.map((r) => r.body.ChallengeResponses.DEVICE_KEY)).toEqual([undefined, key('deviceKey')]);
    expect(fake.count('ConfirmDevice')).toBe(1);
    expect(fake.pool.devices.list('alice').map((device) => device.key)).toEqual([key('deviceKey')]);
  });

  it('an MFA answer without DEVICE_KEY gets a new device; an unknown one is refused before the code is spent', async () => {
    const { fake, user, signIn, key } = setup({ rememberedDevicesSkipMfa: false });
    const { totpSecret = '' } = fake.addUser({ username: 'alice', password: PASSWORD, totp: true });
    const first = user();
    await signIn(first);
    successOf(await step((cb) => first.sendMFACode(totp(totpSecret), cb, 'SOFTWARE_TOKEN_MFA')));
    const known = key('deviceKey') ?? '';
    const initiate = () =>
      ok(fake, 'InitiateAuth', {
        AuthFlow: 'USER_PASSWORD_AUTH',
        ClientId: fake.clientId,
        AuthParameters: { USERNAME: 'alice', PASSWORD, DEVICE_KEY: known },
      });
    const answer = (challenge: { Session: string }, deviceKey?: string) => ({
      ClientId: fake.clientId,
      ChallengeName: 'SOFTWARE_TOKEN_MFA',
      Session: challenge.Session,
      ChallengeResponses: {
        USERNAME: 'alice',
        SOFTWARE_TOKEN_MFA_CODE: totp(totpSecret),
        ...(deviceKey ? { DEVICE_KEY: deviceKey } : {}),
      },
    });

    // The key sent at InitiateAuth does not carry over: the answer that brings the tokens decides.
    const withoutKey = await initiate();
    expect(withoutKey.ChallengeName).toBe('SOFTWARE_TOKEN_MFA');
    const unknown = 'us-east-1_00000000-0000-0000-0000-000000000000';
    expect(
      await fails(fake, 'RespondToAuthChallenge', answer(withoutKey, unknown), 'ResourceNotFoundException'),
    ).toBe('Device does not exist.');
    const fresh = await ok(fake, 'RespondToAuthChallenge', answer(withoutKey));
    expect(fresh.AuthenticationResult.NewDeviceMetadata.DeviceKey).not.toBe(known);

    const withKey = await initiate();
    const bound = await ok(fake, 'RespondToAuthChallenge', answer(withKey, known));
    expect(bound.AuthenticationResult).not.toHaveProperty('NewDeviceMetadata');
    await ok(fake, 'GetTokensFromRefreshToken', {
      ClientId: fake.clientId,
      RefreshToken: bound.AuthenticationResult.RefreshToken,
      DeviceKey: known,
    });
  });

  it("'opt-in' asks the user to confirm: MFA stays until the device is set remembered", async () => {
    const { fake, user, signIn } = setup({ deviceTracking: 'opt-in' });
    const { totpSecret = '' } = fake.addUser({ username: 'alice', password: PASSWORD, totp: true });
    const first = user();
    await signIn(first);
    const done = await step((cb) => first.sendMFACode(totp(totpSecret), cb, 'SOFTWARE_TOKEN_MFA'));
    expect(done).toMatchObject({ kind: 'success', confirmationNecessary: true });

    expect((await signIn(user())).kind).toBe('totpRequired');
    await new Promise((resolve, reject) =>
      first.setDeviceStatusRemembered({ onSuccess: resolve, onFailure: reject }),
    );
    expect((await signIn(user())).kind).toBe('success');
  });

  it('binds refresh tokens to the device: refused without its key, accepted with it (both refresh operations)', async () => {
    const { fake, user, signIn, key } = setup();
    fake.addUser({ username: 'alice', password: PASSWORD });
    const refreshToken = successOf(await signIn(user()))
      .getRefreshToken()
      .getToken();
    const deviceKey = key('deviceKey');
    const base = { ClientId: fake.clientId, RefreshToken: refreshToken };

    expect(await fails(fake, 'GetTokensFromRefreshToken', base, 'NotAuthorizedException')).toBe(
      'Invalid Refresh Token',
    );
    await fails(
      fake,
      'GetTokensFromRefreshToken',
      { ...base, DeviceKey: 'us-east-1_other' },
      'NotAuthorizedException',
    );
    await ok(fake, 'GetTokensFromRefreshToken', { ...base, DeviceKey: deviceKey });
    const auth = { AuthFlow: 'REFRESH_TOKEN_AUTH', ClientId: fake.clientId };
    await fails(
      fake,
      'InitiateAuth',
      { ...auth, AuthParameters: { REFRESH_TOKEN: refreshToken } },
      'NotAuthorizedException',
    );
    await ok(fake, 'InitiateAuth', {
      ...auth,
      AuthParameters: { REFRESH_TOKEN: refreshToken, DEVICE_KEY: deviceKey },
    });

    // The library's own refresh sends the key it stored.
    const refreshed = await new Promise<CognitoUserSession>((resolve, reject) =>
      user().refreshSession(new CognitoRefreshToken({ RefreshToken: refreshToken }), (error, value) =>
        error ? reject(error) : resolve(value),
      ),
    );
    expect(refreshed.isValid()).toBe(true);
    expect(fake.requests.at(-1)?.body.AuthParameters.DEVICE_KEY).toBe(deviceKey);
  });

  it('lists confirmed devices page by page, with names, remembered status and dates', async () => {
    const { fake, signIn, user } = setup();
    fake.addUser({ username: 'alice', password: PASSWORD });
    for (let i = 0; i < 3; i++) {
      // A new browser each time: no stored device, so each sign-in makes a new one.
      const fresh = new CognitoUser({
        Username: 'alice',
        Pool: new CognitoUserPool({
          UserPoolId: fake.userPoolId,
          ClientId: fake.clientId,
          endpoint: fake.endpoint,
          Storage: libraryStorage(),
        }),
        Storage: libraryStorage(),
      });
      successOf(await signIn(fresh));
    }
    const cognitoUser = user();
    successOf(await signIn(cognitoUser));
    const { AccessToken } = {
      AccessToken: cognitoUser.getSignInUserSession()?.getAccessToken().getJwtToken(),
    };

    const first = await ok(fake, 'ListDevices', { AccessToken, Limit: 3 });
    expect(first.Devices).toHaveLength(3);
    expect(first.PaginationToken).toEqual(expect.any(String));
    const second = await ok(fake, 'ListDevices', {
      AccessToken,
      Limit: 3,
      PaginationToken: first.PaginationToken,
    });
    expect(second.Devices).toHaveLength(1);
    expect(second.PaginationToken).toBeUndefined();
    expect(second.Devices[0]).toEqual({
      DeviceKey: expect.stringMatching(/^us-east-1_/),
      DeviceAttributes: expect.arrayContaining([
        { Name: 'device_name', Value: 'nodejs' },
        { Name: 'dev:device_remembered_status', Value: 'remembered' },
        { Name: 'device_status', Value: 'valid' },
      ]),
      DeviceCreateDate: expect.any(Number),
      DeviceLastAuthenticatedDate: expect.any(Number),
      DeviceLastModifiedDate: expect.any(Number),
    });
    await fails(fake, 'ListDevices', { AccessToken, Limit: 61 }, 'InvalidParameterException');
  });

  it('forgets a device: its key no longer signs in (ResourceNotFoundException), and the library starts a new one', async () => {
    const { fake, user, signIn, key } = setup();
    fake.addUser({ username: 'alice', password: PASSWORD });
    const cognitoUser = user();
    successOf(await signIn(cognitoUser));
    const oldKey = key('deviceKey');
    await new Promise((resolve, reject) =>
      cognitoUser.forgetDevice({ onSuccess: resolve, onFailure: reject }),
    );
    expect(key('deviceKey')).toBeUndefined();
    expect(fake.pool.devices.get(oldKey ?? '')).toBeUndefined();

    const message = await fails(
      fake,
      'InitiateAuth',
      {
        AuthFlow: 'USER_PASSWORD_AUTH',
        ClientId: fake.clientId,
        AuthParameters: { USERNAME: 'alice', PASSWORD, DEVICE_KEY: oldKey },
      },
      'ResourceNotFoundException',
    );
    expect(message).toBe('Device does not exist.');
    successOf(await signIn(user()));
    expect(key('deviceKey')).not.toBe(oldKey);
  });

  it('retries the password proof without a device key the pool no longer knows, as the library does', async () => {
    const { fake, user, signIn, storage } = setup();
    fake.addUser({ username: 'alice', password: PASSWORD });
    const prefix = `CognitoIdentityServiceProvider.${fake.clientId}.alice`;
    storage.setItem(`${prefix}.deviceKey`, 'us-east-1_00000000-0000-0000-0000-000000000000');
    storage.setItem(`${prefix}.deviceGroupKey`, '-gone');
    storage.setItem(`${prefix}.randomPasswordKey`, 'gone');

    successOf(await signIn(user()));
    expect(challengeNames(fake).slice(0, 3)).toEqual([
      'InitiateAuth',
      'PASSWORD_VERIFIER',
      'PASSWORD_VERIFIER',
    ]);
    expect(fake.count('ConfirmDevice')).toBe(1);
  });

  it('with tracking off, announces no device and ignores none', async () => {
    const { fake, user, signIn, key } = setup({ deviceTracking: 'off' });
    fake.addUser({ username: 'alice', password: PASSWORD });
    successOf(await signIn(user()));
    expect(fake.count('ConfirmDevice')).toBe(0);
    expect(key('deviceKey')).toBeUndefined();
  });
});

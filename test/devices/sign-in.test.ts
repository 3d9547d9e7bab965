/** Signing in with device tracking: confirming new devices, proving remembered ones, recovering. */
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { cognitoError } from '../fake-cognito/index.js';
import { totp } from '../helpers/totp.js';
import { deviceSetup, PASSWORD } from './support.js';

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
  nock.cleanAll();
  vi.useRealTimers();
});
afterAll(() => nock.enableNetConnect());

describe('a new device', () => {
  it('is confirmed after sign-in with the library verifier and stored under the canonical username, not the alias typed', async () => {
    const { fake, client, deviceKeys, sent, storage, prefix } = deviceSetup(
      { usernameAttributes: ['email'] },
      { authFlow: 'USER_SRP_AUTH' },
    );
    const { sub } = fake.addUser({ username: 'ann@example.com', password: PASSWORD });

    const result = await client().signIn({ username: 'Ann@Example.com', password: PASSWORD });

    expect(result).toMatchObject({ isSignedIn: true, nextStep: { signInStep: 'DONE' } });
    expect(result).not.toHaveProperty('deviceError');
    expect(sent()).toEqual(['InitiateAuth', 'PASSWORD_VERIFIER', 'ConfirmDevice']);
    const [device] = fake.pool.devices.list(sub);
    expect(fake.requests[2]?.body).toEqual({
      AccessToken: result.isSignedIn ? result.session.accessToken : '',
      DeviceKey: device?.key,
      DeviceName: 'Node.js',
      DeviceSecretVerifierConfig: { PasswordVerifier: expect.any(String), Salt: expect.any(String) },
    });
    expect(deviceKeys(sub)).toEqual({
      deviceKey: device?.key,
      deviceGroupKey: device?.groupKey,
      randomPasswordKey: expect.stringMatching(/^[A-Za-z0-9+/]{54}==$/),
    });
    expect(deviceKeys('Ann@Example.com').deviceKey).toBeNull();
    expect(storage.getItem(`${prefix}.cognitoKit.deviceUser.ann@example.com`)).toBe(sub);
    // The password and the device's random password never travel.
    expect(JSON.stringify(fake.requests)).not.toContain(PASSWORD);
    expect(JSON.stringify(fake.requests)).not.toContain(deviceKeys(sub).randomPasswordKey);
  });

  it('is reused by the next sign-in with the same alias: DEVICE_KEY sent at once, no second device', async () => {
    const { fake, client, sent } = deviceSetup({ usernameAttributes: ['email'] });
    const { sub } = fake.addUser({ username: 'ann@example.com', password: PASSWORD });
    await client().signIn({ username: 'ann@example.com', password: PASSWORD });
    const [device] = fake.pool.devices.list(sub);
    fake.requests.length = 0;

    const again = await client().signIn({ username: 'ann@example.com', password: PASSWORD });

    expect(again.isSignedIn).toBe(true);
    expect(sent()).toEqual(['InitiateAuth', 'DEVICE_SRP_AUTH', 'DEVICE_PASSWORD_VERIFIER']);
    expect(fake.requests[0]?.body.AuthParameters).toEqual({
      USERNAME: 'ann@example.com',
      PASSWORD,
      DEVICE_KEY: device?.key,
    });
    expect(fake.requests[1]?.body.ChallengeResponses).toEqual({
      USERNAME: sub,
      DEVICE_KEY: device?.key,
      SRP_A: expect.stringMatching(/^[0-9a-f]+$/),
    });
    expect(fake.pool.devices.list(sub)).toHaveLength(1);
  });

  it('takes its name from the deviceName option', async () => {
    const { fake, client } = deviceSetup({}, { deviceName: 'Kiosk 7' });
    fake.addUser({ username: 'ann', password: PASSWORD });
    await client().signIn({ username: 'ann', password: PASSWORD });
    expect(fake.requests.find((r) => r.target === 'ConfirmDevice')?.body.DeviceName).toBe('Kiosk 7');
    expect(fake.pool.devices.list('ann')[0]?.name).toBe('Kiosk 7');
  });

  it('is announced after MFA and confirmed once the MFA answer brings the tokens', async () => {
    const { fake, client, sent, deviceKeys } = deviceSetup();
    const { totpSecret = '' } = fake.addUser({ username: 'ann', password: PASSWORD, totp: true });
    const first = await client().signIn({ username: 'ann', password: PASSWORD });
    expect(first.isSignedIn ? 'DONE' : first.nextStep.signInStep).toBe('CONFIRM_SIGN_IN_WITH_TOTP_CODE');

    const done = await client().confirmSignIn({ challengeResponse: totp(totpSecret) });

    expect(done.isSignedIn).toBe(true);
    expect(sent()).toEqual(['InitiateAuth', 'SOFTWARE_TOKEN_MFA', 'ConfirmDevice']);
    expect(deviceKeys('ann').deviceKey).toBe(fake.pool.devices.list('ann')[0]?.key);
  });
});

describe('a remembered device', () => {
  it('skips the TOTP step at the next sign-in, answering device SRP itself (SRP flow)', async () => {
    const { fake, client, sent } = deviceSetup({}, { authFlow: 'USER_SRP_AUTH' });
    const { totpSecret = '' } = fake.addUser({ username: 'ann', password: PASSWORD, totp: true });
    await client().signIn({ username: 'ann', password: PASSWORD });
    await client().confirmSignIn({ challengeResponse: totp(totpSecret) });
    fake.requests.length = 0;

    const again = await client().signIn({ username: 'ann', password: PASSWORD });

    expect(again).toMatchObject({ isSignedIn: true, nextStep: { signInStep: 'DONE' } });
    expect(sent()).toEqual([
      'InitiateAuth',
      'PASSWORD_VERIFIER',
      'DEVICE_SRP_AUTH',
      'DEVICE_PASSWORD_VERIFIER',
    ]);
    const key = fake.pool.devices.list('ann')[0]?.key;
    expect(fake.requests[0]?.body.AuthParameters.DEVICE_KEY).toBe(key);
    expect(fake.requests[1]?.body.ChallengeResponses.DEVICE_KEY).toBe(key);
    expect(fake.requests[3]?.body.ChallengeResponses).toEqual({
      USERNAME: 'ann',
      DEVICE_KEY: key,
      PASSWORD_CLAIM_SECRET_BLOCK: expect.any(String),
      PASSWORD_CLAIM_SIGNATURE: expect.any(String),
      TIMESTAMP: expect.any(String),
    });
  });

  it("on an 'opt-in' pool is not remembered until rememberDevice(): MFA until then, none after", async () => {
    const { fake, client, sent } = deviceSetup({ deviceTracking: 'opt-in' });
    const { totpSecret = '' } = fake.addUser({ username: 'ann', password: PASSWORD, totp: true });
    await client().signIn({ username: 'ann', password: PASSWORD });
    await client().confirmSignIn({ challengeResponse: totp(totpSecret) });
    const key = fake.pool.devices.list('ann')[0]?.key;
    expect(fake.pool.devices.get(key ?? '')?.remembered).toBe(false);

    const second = await client().signIn({ username: 'ann', password: PASSWORD });
    expect(second.isSignedIn ? 'DONE' : second.nextStep.signInStep).toBe('CONFIRM_SIGN_IN_WITH_TOTP_CODE');
    await client().confirmSignIn({ challengeResponse: totp(totpSecret) });
    fake.requests.length = 0;
    await client().rememberDevice();
    expect(fake.requests.map((r) => [r.target, r.body.DeviceKey, r.body.DeviceRememberedStatus])).toEqual([
      ['UpdateDeviceStatus', key, 'remembered'],
    ]);

    fake.requests.length = 0;
    const third = await client().signIn({ username: 'ann', password: PASSWORD });
    expect(third.isSignedIn).toBe(true);
    expect(sent()).toEqual(['InitiateAuth', 'DEVICE_SRP_AUTH', 'DEVICE_PASSWORD_VERIFIER']);
  });

  it('survives sign-out (as in the raw library) and is proven again at the next sign-in', async () => {
    const { fake, client, deviceKeys, sent } = deviceSetup();
    fake.addUser({ username: 'ann', password: PASSWORD });
    await client().signIn({ username: 'ann', password: PASSWORD });
    const before = deviceKeys('ann');

    await client().signOut();

    expect(deviceKeys('ann')).toEqual(before);
    fake.requests.length = 0;
    await client().signIn({ username: 'ann', password: PASSWORD });
    expect(sent()).toEqual(['InitiateAuth', 'DEVICE_SRP_AUTH', 'DEVICE_PASSWORD_VERIFIER']);
  });

  it('is removed locally by deleteUser()', async () => {
    const { fake, client, deviceKeys, storage, prefix } = deviceSetup({ usernameAttributes: ['email'] });
    const { sub } = fake.addUser({ username: 'ann@example.com', password: PASSWORD });
    await client().signIn({ username: 'ann@example.com', password: PASSWORD });
    expect(deviceKeys(sub).deviceKey).not.toBeNull();

    await client().deleteUser();

    expect(deviceKeys(sub)).toEqual({ deviceKey: null, deviceGroupKey: null, randomPasswordKey: null });
    expect(storage.getItem(`${prefix}.cognitoKit.deviceUser.ann@example.com`)).toBeNull();
  });
});

describe('recovery', () => {
  it('a failed ConfirmDevice does not fail the sign-in: deviceError, session kept, refresh works, next sign-in confirms again', async () => {
    const { fake, client, deviceKeys, sent } = deviceSetup();
    fake.addUser({ username: 'ann', password: PASSWORD });
    fake.failNext('ConfirmDevice', cognitoError('InvalidParameterException', 'Device name is not valid'));
    const events: string[] = [];
    const c = client();
    c.on('signedIn', () => events.push('signedIn'));

    const result = await c.signIn({ username: 'ann', password: PASSWORD });

    expect(result).toMatchObject({
      isSignedIn: true,
      deviceError: { name: 'CognitoError', code: 'InvalidParameterException' },
    });
    expect(events).toEqual(['signedIn']);
    const unconfirmed = fake.requests.find((r) => r.target === 'ConfirmDevice')?.body.DeviceKey;
    // Only the key: the refresh token is bound to it; without the group key it is no remembered device.
    expect(deviceKeys('ann')).toEqual({
      deviceKey: unconfirmed,
      deviceGroupKey: null,
      randomPasswordKey: null,
    });
    fake.requests.length = 0;
    const refreshed = await c.getSession({ forceRefresh: true });
    expect(refreshed?.username).toBe('ann');
    expect(fake.requests.map((r) => r.body.DeviceKey)).toEqual([unconfirmed]);

    fake.requests.length = 0;
    const again = await client().signIn({ username: 'ann', password: PASSWORD });
    expect(again).not.toHaveProperty('deviceError');
    expect(sent()).toEqual(['InitiateAuth', 'ConfirmDevice']);
    expect(fake.requests[0]?.body.AuthParameters.DEVICE_KEY).toBeUndefined();
    expect(deviceKeys('ann').deviceKey).toBe(fake.pool.devices.list('ann')[0]?.key);
    expect(deviceKeys('ann').randomPasswordKey).not.toBeNull();
  });

  it('a device Cognito no longer knows is dropped and the sign-in proceeds without it, once (password flow)', async () => {
    const { fake, client, deviceKeys, sent, prefix, storage } = deviceSetup();
    fake.addUser({ username: 'ann', password: PASSWORD });
    const gone = 'us-east-1_00000000-0000-0000-0000-000000000000';
    storage.setItem(`${prefix}.ann.deviceKey`, gone);
    storage.setItem(`${prefix}.ann.deviceGroupKey`, '-gone');
    storage.setItem(`${prefix}.ann.randomPasswordKey`, 'gone');

    const result = await client().signIn({ username: 'ann', password: PASSWORD });

    expect(result.isSignedIn).toBe(true);
    expect(sent()).toEqual(['InitiateAuth', 'InitiateAuth', 'ConfirmDevice']);
    expect(fake.requests[0]?.body.AuthParameters.DEVICE_KEY).toBe(gone);
    expect(fake.requests[1]?.body.AuthParameters.DEVICE_KEY).toBeUndefined();
    expect(deviceKeys('ann').deviceKey).toBe(fake.pool.devices.list('ann')[0]?.key);
  });

  it('a device Cognito no longer knows is dropped once in the SRP flow too; other errors are not retried', async () => {
    const { fake, client, sent, prefix, storage } = deviceSetup({}, { authFlow: 'USER_SRP_AUTH' });
    fake.addUser({ username: 'ann', password: PASSWORD });
    storage.setItem(`${prefix}.ann.deviceKey`, 'us-east-1_gone');
    storage.setItem(`${prefix}.ann.deviceGroupKey`, '-gone');
    storage.setItem(`${prefix}.ann.randomPasswordKey`, 'gone');

    await expect(client().signIn({ username: 'ann', password: 'Wrong-Horse-1' })).rejects.toMatchObject({
      code: 'NotAuthorizedException',
    });
    // Dropped at InitiateAuth, then the wrong password is refused once: no loop.
    expect(sent()).toEqual(['InitiateAuth', 'InitiateAuth', 'PASSWORD_VERIFIER']);
    expect(storage.getItem(`${prefix}.ann.deviceKey`)).toBeNull();
  });
});

describe('refresh on a device', () => {
  it('carries the device key in GetTokensFromRefreshToken right after a device sign-in', async () => {
    const { fake, client } = deviceSetup();
    fake.addUser({ username: 'ann', password: PASSWORD });
    await client().signIn({ username: 'ann', password: PASSWORD });
    const c = client();
    const signedIn = await c.signIn({ username: 'ann', password: PASSWORD });
    const key = fake.pool.devices.list('ann')[0]?.key;
    fake.requests.length = 0;

    const refreshed = await c.getSession({ forceRefresh: true });

    expect(refreshed?.accessToken).not.toBe(signedIn.isSignedIn ? signedIn.session.accessToken : '');
    expect(fake.requests.map((r) => [r.target, r.body])).toEqual([
      [
        'GetTokensFromRefreshToken',
        {
          RefreshToken: signedIn.isSignedIn ? signedIn.session.refreshToken : '',
          ClientId: fake.clientId,
          DeviceKey: key,
        },
      ],
    ]);
  });

  it('carries DEVICE_KEY in REFRESH_TOKEN_AUTH where GetTokensFromRefreshToken is unknown', async () => {
    const { fake, client } = deviceSetup();
    fake.addUser({ username: 'ann', password: PASSWORD });
    const c = client();
    const first = await c.signIn({ username: 'ann', password: PASSWORD });
    const key = fake.pool.devices.list('ann')[0]?.key;
    fake.failNext(
      'GetTokensFromRefreshToken',
      cognitoError('UnknownOperationException', 'Unknown operation'),
    );
    fake.requests.length = 0;

    expect((await c.getSession({ forceRefresh: true }))?.username).toBe('ann');

    expect(fake.requests[1]?.body).toEqual({
      AuthFlow: 'REFRESH_TOKEN_AUTH',
      ClientId: fake.clientId,
      AuthParameters: { REFRESH_TOKEN: first.isSignedIn ? first.session.refreshToken : '', DEVICE_KEY: key },
    });
  });

  it('refreshes once for 50 concurrent getSession() calls with expired tokens, carrying the device key', async () => {
    const { fake, client } = deviceSetup();
    fake.addUser({ username: 'ann', password: PASSWORD });
    vi.useFakeTimers({ toFake: ['Date'] });
    const first = await client().signIn({ username: 'ann', password: PASSWORD });
    const c = client();
    const key = fake.pool.devices.list('ann')[0]?.key;
    vi.setSystemTime((first.isSignedIn ? first.session.expiresAt : 0) + 1_000);
    fake.requests.length = 0;

    const sessions = await Promise.all(Array.from({ length: 50 }, () => c.getSession()));

    expect(fake.refreshCount()).toBe(1);
    expect(fake.requests.map((r) => [r.target, r.body.DeviceKey])).toEqual([
      ['GetTokensFromRefreshToken', key],
    ]);
    expect(new Set(sessions.map((s) => s?.accessToken)).size).toBe(1);
  });
});

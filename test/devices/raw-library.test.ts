/**
 * Devices shared with the raw amazon-cognito-identity-js on one storage: keys the library wrote are
 * used by cognito-kit, keys cognito-kit wrote are used by the library, both against the same fake.
 */
import {
  AuthenticationDetails,
  CognitoUser,
  CognitoUserPool,
  type ICognitoStorage,
} from 'amazon-cognito-identity-js';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { deviceSetup, PASSWORD } from './support.js';

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

function rawSignIn(setup: ReturnType<typeof deviceSetup>, username: string): Promise<void> {
  const storage = setup.storage as unknown as ICognitoStorage;
  const pool = new CognitoUserPool({
    UserPoolId: setup.fake.userPoolId,
    ClientId: setup.fake.clientId,
    endpoint: setup.fake.endpoint,
    Storage: storage,
  });
  const user = new CognitoUser({ Username: username, Pool: pool, Storage: storage });
  return new Promise((resolve, reject) =>
    user.authenticateUser(new AuthenticationDetails({ Username: username, Password: PASSWORD }), {
      onSuccess: () => resolve(),
      onFailure: reject,
      totpRequired: () => reject(new Error('the raw library was asked for TOTP')),
    }),
  );
}

describe('devices shared with amazon-cognito-identity-js', () => {
  it('cognito-kit signs in on a device the raw library confirmed, without TOTP and without a new device', async () => {
    const setup = deviceSetup({}, { authFlow: 'USER_SRP_AUTH' });
    setup.fake.addUser({ username: 'ann', password: PASSWORD });
    await rawSignIn(setup, 'ann');
    const confirmed = setup.deviceKeys('ann');
    expect(confirmed.deviceKey).toBe(setup.fake.pool.devices.list('ann')[0]?.key);
    // TOTP turned on after the device was remembered: the device stands in for it.
    const user = setup.fake.getUser('ann');
    if (user) {
      user.totpSecret = 'JBSWY3DPEHPK3PXP';
      user.totpEnabled = true;
    }
    setup.fake.requests.length = 0;

    const result = await setup.client().signIn({ username: 'ann', password: PASSWORD });

    expect(result.isSignedIn).toBe(true);
    expect(setup.sent()).toEqual([
      'InitiateAuth',
      'PASSWORD_VERIFIER',
      'DEVICE_SRP_AUTH',
      'DEVICE_PASSWORD_VERIFIER',
    ]);
    expect(setup.deviceKeys('ann')).toEqual(confirmed);
    expect(setup.fake.pool.devices.list('ann')).toHaveLength(1);
  });

  it('the raw library signs in on a device cognito-kit confirmed, without TOTP, and refreshes with its key', async () => {
    const setup = deviceSetup({ usernameAttributes: ['email'] });
    const { sub } = setup.fake.addUser({ username: 'ann@example.com', password: PASSWORD });
    await setup.client().signIn({ username: 'ann@example.com', password: PASSWORD });
    const confirmed = setup.deviceKeys(sub);
    const user = setup.fake.getUser(sub);
    if (user) {
      user.totpSecret = 'JBSWY3DPEHPK3PXP';
      user.totpEnabled = true;
    }
    setup.fake.requests.length = 0;

    // The raw library finds the keys under USER_ID_FOR_SRP (the canonical username), where cognito-kit wrote them.
    await rawSignIn(setup, 'ann@example.com');

    expect(setup.sent()).toEqual([
      'InitiateAuth',
      'PASSWORD_VERIFIER',
      'DEVICE_SRP_AUTH',
      'DEVICE_PASSWORD_VERIFIER',
    ]);
    expect(setup.fake.requests[1]?.body.ChallengeResponses.DEVICE_KEY).toBe(confirmed.deviceKey);
    expect(setup.deviceKeys(sub)).toEqual(confirmed);

    // And cognito-kit refreshes the session the raw library stored, with the device key.
    setup.fake.requests.length = 0;
    expect((await setup.client().getSession({ forceRefresh: true }))?.username).toBe(sub);
    expect(setup.fake.requests.map((r) => [r.target, r.body.DeviceKey])).toEqual([
      ['GetTokensFromRefreshToken', confirmed.deviceKey],
    ]);
  });
});

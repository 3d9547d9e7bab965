/**
 * Remembered devices on choice-based sign-in (USER_AUTH): the device key goes in InitiateAuth's
 * AuthParameters and in every answer (Cognito's InitiateAuth and ChallengeResponseType reference:
 * "Include a DEVICE_KEY for device authentication"), and the DEVICE_SRP_AUTH Cognito asks after
 * the first factor is answered by the client itself, as after USER_SRP_AUTH.
 */
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { totp } from '../helpers/totp.js';
import { deviceSetup, PASSWORD } from './support.js';

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

const DEVICE_CLAIM = {
  USERNAME: 'ann',
  PASSWORD_CLAIM_SECRET_BLOCK: expect.any(String),
  PASSWORD_CLAIM_SIGNATURE: expect.any(String),
  TIMESTAMP: expect.any(String),
};

/** A pool that tracks devices, ann (with TOTP MFA when asked), and this storage's device confirmed by a first sign-in. */
async function rememberedDevice(options: { totp?: boolean } = {}) {
  const setup = deviceSetup({ code: '12345678' }, { authFlow: 'USER_AUTH' });
  const { totpSecret = '' } = setup.fake.addUser({
    username: 'ann',
    password: PASSWORD,
    attributes: { email: 'ann@example.com' },
    totp: options.totp ?? false,
  });
  const first = await setup.client().signIn({ username: 'ann', password: PASSWORD });
  if (!first.isSignedIn) await setup.client().confirmSignIn({ challengeResponse: totp(totpSecret) });
  const key = setup.fake.pool.devices.list('ann')[0]?.key;
  expect(setup.deviceKeys('ann').deviceKey).toBe(key);
  setup.fake.requests.length = 0;
  return { ...setup, key: key ?? '' };
}

describe('a remembered device on USER_AUTH', () => {
  it("is the first sign-in's new device: NewDeviceMetadata with PASSWORD's tokens, confirmed", async () => {
    const { fake, client, sent } = deviceSetup({}, { authFlow: 'USER_AUTH' });
    fake.addUser({ username: 'ann', password: PASSWORD });
    const result = await client().signIn({
      username: 'ann',
      password: PASSWORD,
      preferredChallenge: 'PASSWORD',
    });
    expect(result.isSignedIn).toBe(true);
    expect(sent()).toEqual(['InitiateAuth', 'ConfirmDevice']);
    expect(fake.requests[0]?.body.AuthParameters).toEqual({
      USERNAME: 'ann',
      PREFERRED_CHALLENGE: 'PASSWORD',
      PASSWORD,
    });
    expect(fake.pool.devices.list('ann')).toHaveLength(1);
  });

  it('answers device SRP after an EMAIL_OTP first factor, the key in every request, no new device', async () => {
    const { fake, client, sent, key } = await rememberedDevice();

    const step = await client().signIn({ username: 'ann', preferredChallenge: 'EMAIL_OTP' });
    expect(step.nextStep.signInStep).toBe('CONFIRM_SIGN_IN_WITH_EMAIL_CODE');
    // A reload between the steps: the key comes from the storage again.
    const done = await client().confirmSignIn({ challengeResponse: fake.lastCode('ann', 'emailOtp') });

    expect(done).toMatchObject({ isSignedIn: true, nextStep: { signInStep: 'DONE' } });
    expect(sent()).toEqual(['InitiateAuth', 'EMAIL_OTP', 'DEVICE_SRP_AUTH', 'DEVICE_PASSWORD_VERIFIER']);
    expect(
      fake.requests.map((request) => request.body.AuthParameters ?? request.body.ChallengeResponses),
    ).toEqual([
      { USERNAME: 'ann', PREFERRED_CHALLENGE: 'EMAIL_OTP', DEVICE_KEY: key },
      { USERNAME: 'ann', EMAIL_OTP_CODE: '12345678', DEVICE_KEY: key },
      { USERNAME: 'ann', DEVICE_KEY: key, SRP_A: expect.stringMatching(/^[0-9a-f]+$/) },
      { ...DEVICE_CLAIM, DEVICE_KEY: key },
    ]);
    expect(fake.pool.devices.list('ann').map((device) => device.key)).toEqual([key]);
  });

  it('skips MFA after PASSWORD_SRP: the verifier carries the key, device SRP stands in for TOTP', async () => {
    const { fake, client, sent, key } = await rememberedDevice({ totp: true });

    const done = await client().signIn({ username: 'ann', password: PASSWORD });

    expect(done).toMatchObject({ isSignedIn: true, nextStep: { signInStep: 'DONE' } });
    expect(sent()).toEqual([
      'InitiateAuth',
      'PASSWORD_VERIFIER',
      'DEVICE_SRP_AUTH',
      'DEVICE_PASSWORD_VERIFIER',
    ]);
    expect(fake.requests[0]?.body.AuthParameters).toEqual({
      USERNAME: 'ann',
      PREFERRED_CHALLENGE: 'PASSWORD_SRP',
      SRP_A: expect.stringMatching(/^[0-9a-f]+$/),
      DEVICE_KEY: key,
    });
    expect(fake.requests[1]?.body.ChallengeResponses).toEqual({ ...DEVICE_CLAIM, DEVICE_KEY: key });
    expect(fake.requests[3]?.body.ChallengeResponses).toEqual({ ...DEVICE_CLAIM, DEVICE_KEY: key });
  });

  it('skips MFA after PASSWORD_SRP chosen at SELECT_CHALLENGE too', async () => {
    const { fake, client, sent, key } = await rememberedDevice({ totp: true });

    await client().signIn({ username: 'ann' });
    await client().confirmSignIn({ challengeResponse: 'PASSWORD_SRP' });
    const done = await client().confirmSignIn({ challengeResponse: PASSWORD });

    expect(done.isSignedIn).toBe(true);
    expect(sent()).toEqual([
      'InitiateAuth',
      'SELECT_CHALLENGE',
      'PASSWORD_VERIFIER',
      'DEVICE_SRP_AUTH',
      'DEVICE_PASSWORD_VERIFIER',
    ]);
    expect(fake.requests[0]?.body.AuthParameters).toEqual({ USERNAME: 'ann', DEVICE_KEY: key });
    expect(fake.requests[1]?.body.ChallengeResponses).toEqual({
      USERNAME: 'ann',
      ANSWER: 'PASSWORD_SRP',
      SRP_A: expect.stringMatching(/^[0-9a-f]+$/),
      DEVICE_KEY: key,
    });
    expect(fake.requests[2]?.body.ChallengeResponses).toEqual({ ...DEVICE_CLAIM, DEVICE_KEY: key });
  });

  it('without the key the same user answers TOTP: the device is what skips it', async () => {
    const { fake, client, storage, prefix } = await rememberedDevice({ totp: true });
    storage.removeItem(`${prefix}.ann.deviceKey`);

    const step = await client().signIn({ username: 'ann', password: PASSWORD });

    expect(step.nextStep.signInStep).toBe('CONFIRM_SIGN_IN_WITH_TOTP_CODE');
    expect(fake.requests[0]?.body.AuthParameters).not.toHaveProperty('DEVICE_KEY');
  });

  it('a key Cognito no longer knows is dropped and InitiateAuth sent again without it: one email', async () => {
    const { fake, client, sent, key, deviceKeys } = await rememberedDevice();
    fake.pool.devices.delete(key);

    const step = await client().signIn({ username: 'ann', preferredChallenge: 'EMAIL_OTP' });

    expect(step.nextStep.signInStep).toBe('CONFIRM_SIGN_IN_WITH_EMAIL_CODE');
    expect(sent()).toEqual(['InitiateAuth', 'InitiateAuth']);
    expect(fake.requests[0]?.body.AuthParameters.DEVICE_KEY).toBe(key);
    expect(fake.requests[1]?.body.AuthParameters).toEqual({
      USERNAME: 'ann',
      PREFERRED_CHALLENGE: 'EMAIL_OTP',
    });
    expect(fake.sentCodes.filter((code) => code.purpose === 'emailOtp')).toHaveLength(1);
    expect(deviceKeys('ann').deviceKey).toBeNull();
  });
});

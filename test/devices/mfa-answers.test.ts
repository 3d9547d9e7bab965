/**
 * Remembered devices on a pool that still asks for MFA on them (or a CUSTOM_AUTH flow): every
 * answer of the sign-in names this storage's device (Cognito's ChallengeResponseType: "Include a
 * DEVICE_KEY for device authentication"; the raw library's sendMFACode and
 * sendCustomChallengeAnswer). Cognito binds the tokens to the device the final answer names; an
 * answer without DEVICE_KEY gets a new device, so the user's device list would grow by one per
 * sign-in and the refresh token would move to the new device.
 */
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SignInResult } from '../../src/index.js';
import { totp } from '../helpers/totp.js';
import { deviceSetup, PASSWORD } from './support.js';

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

type Setup = ReturnType<typeof deviceSetup>;
type UserOptions = { sms?: boolean; totp?: boolean; customChallenge?: { question: string; answer: string } };

const stepOf = (result: SignInResult) => (result.isSignedIn ? 'DONE' : result.nextStep.signInStep);

/** Answers whatever MFA the fake asks for ann, until she is signed in. */
async function answerMfa(setup: Setup, result: SignInResult, totpSecret: string): Promise<SignInResult> {
  let current = result;
  for (let steps = 0; !current.isSignedIn && steps < 3; steps += 1) {
    const step = current.nextStep.signInStep;
    const challengeResponse =
      step === 'CONFIRM_SIGN_IN_WITH_SMS_CODE'
        ? setup.fake.lastCode('ann', 'sms')
        : step === 'CONFIRM_SIGN_IN_WITH_TOTP_CODE'
          ? totp(totpSecret)
          : step === 'CONFIRM_SIGN_IN_WITH_CUSTOM_CHALLENGE'
            ? 'cat'
            : 'SMS';
    current = await setup.client().confirmSignIn({ challengeResponse });
  }
  return current;
}

/**
 * A pool that tracks devices and does NOT let remembered devices skip MFA, ann with the given
 * factors, and this storage's device confirmed (and remembered) by a first sign-in.
 */
async function rememberedDevice(
  user: UserOptions,
  clientOptions: Parameters<typeof deviceSetup>[1] = { authFlow: 'USER_SRP_AUTH' },
  fakeOptions: Parameters<typeof deviceSetup>[0] = { rememberedDevicesSkipMfa: false },
) {
  const setup = deviceSetup(fakeOptions, clientOptions);
  const { totpSecret = '' } = setup.fake.addUser({ username: 'ann', password: PASSWORD, ...user });
  const password = clientOptions.authFlow === 'CUSTOM_AUTH' ? {} : { password: PASSWORD };
  const first = await answerMfa(
    setup,
    await setup.client().signIn({ username: 'ann', ...password }),
    totpSecret,
  );
  expect(first.isSignedIn).toBe(true);
  const [device, ...others] = setup.fake.pool.devices.list('ann');
  expect(others).toEqual([]);
  expect(setup.deviceKeys('ann').deviceKey).toBe(device?.key);
  expect(device?.remembered).toBe(true);
  setup.fake.requests.length = 0;
  return { ...setup, key: device?.key ?? '', totpSecret };
}

/** The device is still the one device of ann, stored unchanged, and refresh goes with its key. */
async function expectSameDevice(setup: Setup & { key: string }) {
  const { fake, client, deviceKeys, key } = setup;
  expect(fake.count('ConfirmDevice')).toBe(0);
  expect(deviceKeys('ann').deviceKey).toBe(key);
  expect((await client().listDevices()).devices.map((device) => device.deviceKey)).toEqual([key]);
  fake.requests.length = 0;
  const refreshed = await client().getSession({ forceRefresh: true });
  expect(refreshed?.username).toBe('ann');
  // The fake accepts a device-bound refresh token only with the device it is bound to.
  expect(fake.requests.map((r) => [r.target, r.body.DeviceKey])).toEqual([
    ['GetTokensFromRefreshToken', key],
  ]);
}

describe('MFA answers on a remembered device (pool does not skip MFA)', () => {
  it('SMS_MFA: the code goes with DEVICE_KEY, no second device, refresh keeps the device', async () => {
    const setup = await rememberedDevice({ sms: true });
    const { fake, client, sent, key } = setup;

    const step = await client().signIn({ username: 'ann', password: PASSWORD });
    expect(stepOf(step)).toBe('CONFIRM_SIGN_IN_WITH_SMS_CODE');
    // A reload between the steps: the key comes from the storage again.
    const done = await client().confirmSignIn({ challengeResponse: fake.lastCode('ann', 'sms') });

    expect(done).toMatchObject({ isSignedIn: true, nextStep: { signInStep: 'DONE' } });
    expect(done).not.toHaveProperty('deviceError');
    expect(sent()).toEqual(['InitiateAuth', 'PASSWORD_VERIFIER', 'SMS_MFA']);
    expect(fake.requests[2]?.body).toEqual({
      ChallengeName: 'SMS_MFA',
      ClientId: fake.clientId,
      ChallengeResponses: { USERNAME: 'ann', SMS_MFA_CODE: fake.lastCode('ann', 'sms'), DEVICE_KEY: key },
      Session: expect.any(String),
    });
    await expectSameDevice(setup);
  });

  it('SOFTWARE_TOKEN_MFA: the code goes with DEVICE_KEY, no second device, refresh keeps the device', async () => {
    const setup = await rememberedDevice({ totp: true });
    const { fake, client, sent, key, totpSecret } = setup;

    await client().signIn({ username: 'ann', password: PASSWORD });
    const code = totp(totpSecret);
    const done = await client().confirmSignIn({ challengeResponse: code });

    expect(done.isSignedIn).toBe(true);
    expect(sent()).toEqual(['InitiateAuth', 'PASSWORD_VERIFIER', 'SOFTWARE_TOKEN_MFA']);
    expect(fake.requests[2]?.body.ChallengeResponses).toEqual({
      USERNAME: 'ann',
      SOFTWARE_TOKEN_MFA_CODE: code,
      DEVICE_KEY: key,
    });
    await expectSameDevice(setup);
  });

  it('SELECT_MFA_TYPE and the code after it both carry DEVICE_KEY', async () => {
    const setup = await rememberedDevice({ sms: true, totp: true });
    const { fake, client, sent, key } = setup;

    const step = await client().signIn({ username: 'ann', password: PASSWORD });
    expect(stepOf(step)).toBe('CONTINUE_SIGN_IN_WITH_MFA_SELECTION');
    await client().confirmSignIn({ challengeResponse: 'SMS' });
    const done = await client().confirmSignIn({ challengeResponse: fake.lastCode('ann', 'sms') });

    expect(done.isSignedIn).toBe(true);
    expect(sent()).toEqual(['InitiateAuth', 'PASSWORD_VERIFIER', 'SELECT_MFA_TYPE', 'SMS_MFA']);
    expect(fake.requests[2]?.body.ChallengeResponses).toEqual({
      USERNAME: 'ann',
      ANSWER: 'SMS_MFA',
      DEVICE_KEY: key,
    });
    expect(fake.requests[3]?.body.ChallengeResponses).toEqual({
      USERNAME: 'ann',
      SMS_MFA_CODE: fake.lastCode('ann', 'sms'),
      DEVICE_KEY: key,
    });
    await expectSameDevice(setup);
  });

  it('NEW_PASSWORD_REQUIRED: the new password goes with DEVICE_KEY', async () => {
    const setup = await rememberedDevice({});
    const { fake, client, sent, key } = setup;
    const user = fake.getUser('ann');
    if (user) user.status = 'FORCE_CHANGE_PASSWORD'; // an administrator set a temporary password

    const step = await client().signIn({ username: 'ann', password: PASSWORD });
    expect(stepOf(step)).toBe('CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED');
    const done = await client().confirmSignIn({ challengeResponse: 'Battery-Staple-2' });

    expect(done.isSignedIn).toBe(true);
    expect(sent()).toEqual(['InitiateAuth', 'PASSWORD_VERIFIER', 'NEW_PASSWORD_REQUIRED']);
    expect(fake.requests[2]?.body.ChallengeResponses).toEqual({
      USERNAME: 'ann',
      NEW_PASSWORD: 'Battery-Staple-2',
      DEVICE_KEY: key,
    });
    await expectSameDevice(setup);
  });

  it('MFA_SETUP: the answer after VerifySoftwareToken carries DEVICE_KEY', async () => {
    const setup = await rememberedDevice(
      { totp: true },
      { authFlow: 'USER_SRP_AUTH' },
      {
        rememberedDevicesSkipMfa: false,
        mfa: 'ON',
      },
    );
    const { fake, client, sent, key } = setup;
    const user = fake.getUser('ann');
    if (user) {
      // The authenticator was removed: the required MFA must be set up again.
      user.totpSecret = undefined;
      user.totpEnabled = false;
    }

    const step = await client().signIn({ username: 'ann', password: PASSWORD });
    if (step.isSignedIn || step.nextStep.signInStep !== 'CONTINUE_SIGN_IN_WITH_TOTP_SETUP') {
      throw new Error(`expected the TOTP set-up, got ${stepOf(step)}`);
    }
    const done = await client().confirmSignIn({ challengeResponse: totp(step.nextStep.secretCode) });

    expect(done.isSignedIn).toBe(true);
    expect(sent()).toEqual([
      'InitiateAuth',
      'PASSWORD_VERIFIER',
      'AssociateSoftwareToken',
      'VerifySoftwareToken',
      'MFA_SETUP',
    ]);
    expect(fake.requests[4]?.body.ChallengeResponses).toEqual({ USERNAME: 'ann', DEVICE_KEY: key });
    await expectSameDevice(setup);
  });

  it('a wrong code is refused once, not resent, and the device is kept', async () => {
    const { fake, client, sent, key, deviceKeys } = await rememberedDevice({ sms: true });

    await client().signIn({ username: 'ann', password: PASSWORD });
    const wrong = fake.lastCode('ann', 'sms') === '000000' ? '111111' : '000000';
    await expect(client().confirmSignIn({ challengeResponse: wrong })).rejects.toMatchObject({
      code: 'CodeMismatchException',
    });

    expect(sent()).toEqual(['InitiateAuth', 'PASSWORD_VERIFIER', 'SMS_MFA']);
    expect(deviceKeys('ann').deviceKey).toBe(key);
    // The challenge is still open: the right code signs in on the same device.
    const done = await client().confirmSignIn({ challengeResponse: fake.lastCode('ann', 'sms') });
    expect(done.isSignedIn).toBe(true);
    expect(fake.count('ConfirmDevice')).toBe(0);
  });
});

describe('an InvalidParameterException about something else', () => {
  it('is not taken for an unknown device: refused once, not resent, the device kept', async () => {
    const { fake, client, sent, key, deviceKeys } = await rememberedDevice({ sms: true });
    await client().signIn({ username: 'ann', password: PASSWORD });
    fake.failNext('RespondToAuthChallenge', {
      status: 400,
      body: JSON.stringify({ __type: 'InvalidParameterException', message: 'Invalid session provided.' }),
    });

    await expect(
      client().confirmSignIn({ challengeResponse: fake.lastCode('ann', 'sms') }),
    ).rejects.toMatchObject({ code: 'InvalidParameterException', message: 'Invalid session provided.' });

    expect(sent()).toEqual(['InitiateAuth', 'PASSWORD_VERIFIER', 'SMS_MFA']);
    expect(deviceKeys('ann').deviceKey).toBe(key);
  });
});

describe('a user who signs in with an email', () => {
  it('the MFA answer carries the device stored under the canonical username, not the alias typed', async () => {
    const { fake, client, sent, deviceKeys } = deviceSetup(
      { usernameAttributes: ['email'], rememberedDevicesSkipMfa: false },
      { authFlow: 'USER_SRP_AUTH' },
    );
    const { sub } = fake.addUser({ username: 'ann@example.com', password: PASSWORD, sms: true });
    await client().signIn({ username: 'Ann@Example.com', password: PASSWORD });
    await client().confirmSignIn({ challengeResponse: fake.lastCode(sub, 'sms') });
    const key = deviceKeys(sub).deviceKey;
    expect(key).toBe(fake.pool.devices.list(sub)[0]?.key);
    fake.requests.length = 0;

    await client().signIn({ username: 'Ann@Example.com', password: PASSWORD });
    const done = await client().confirmSignIn({ challengeResponse: fake.lastCode(sub, 'sms') });

    expect(done.isSignedIn).toBe(true);
    expect(sent()).toEqual(['InitiateAuth', 'PASSWORD_VERIFIER', 'SMS_MFA']);
    expect(fake.requests[2]?.body.ChallengeResponses).toEqual({
      USERNAME: sub,
      SMS_MFA_CODE: fake.lastCode(sub, 'sms'),
      DEVICE_KEY: key,
    });
    expect(fake.pool.devices.list(sub).map((device) => device.key)).toEqual([key]);
  });
});

describe('CUSTOM_AUTH on a remembered device', () => {
  it('the custom answer carries DEVICE_KEY: no second device, refresh keeps the device', async () => {
    const setup = await rememberedDevice(
      { customChallenge: { question: 'pet?', answer: 'cat' } },
      { authFlow: 'CUSTOM_AUTH' },
      {},
    );
    const { fake, client, sent, key } = setup;

    const step = await client().signIn({ username: 'ann' });
    expect(stepOf(step)).toBe('CONFIRM_SIGN_IN_WITH_CUSTOM_CHALLENGE');
    const done = await client().confirmSignIn({ challengeResponse: 'cat' });

    expect(done.isSignedIn).toBe(true);
    expect(sent()).toEqual(['InitiateAuth', 'CUSTOM_CHALLENGE']);
    expect(fake.requests[0]?.body.AuthParameters).toEqual({ USERNAME: 'ann', DEVICE_KEY: key });
    expect(fake.requests[1]?.body).toEqual({
      ChallengeName: 'CUSTOM_CHALLENGE',
      ClientId: fake.clientId,
      ChallengeResponses: { USERNAME: 'ann', ANSWER: 'cat', DEVICE_KEY: key },
      Session: expect.any(String),
    });
    await expectSameDevice(setup);
  });
});

describe('a device Cognito forgot while the MFA step was open', () => {
  // Cognito's answer to an unknown DEVICE_KEY in an MFA answer is not in the API reference; the fake
  // gives either (see FakeCognitoOptions.unknownDeviceInAnswer) and the client must handle both.
  it.each(['ResourceNotFoundException', 'InvalidParameterException'] as const)(
    'refused with %s: dropped, the same code sent once more without it, one SMS, a new device',
    async (unknownDeviceInAnswer) => {
      const { fake, client, sent, key, deviceKeys } = await rememberedDevice(
        { sms: true },
        { authFlow: 'USER_SRP_AUTH' },
        { rememberedDevicesSkipMfa: false, unknownDeviceInAnswer },
      );
      await client().signIn({ username: 'ann', password: PASSWORD });
      fake.pool.devices.delete(key); // forgotten from another device meanwhile
      const code = fake.lastCode('ann', 'sms');

      const done = await client().confirmSignIn({ challengeResponse: code });

      expect(done).toMatchObject({ isSignedIn: true });
      expect(done).not.toHaveProperty('deviceError');
      expect(sent()).toEqual(['InitiateAuth', 'PASSWORD_VERIFIER', 'SMS_MFA', 'SMS_MFA', 'ConfirmDevice']);
      expect(fake.requests[2]?.body.ChallengeResponses).toEqual({
        USERNAME: 'ann',
        SMS_MFA_CODE: code,
        DEVICE_KEY: key,
      });
      // The refused request spent neither the session nor the code: the same ones sign in.
      expect(fake.requests[3]?.body.ChallengeResponses).toEqual({ USERNAME: 'ann', SMS_MFA_CODE: code });
      expect(fake.requests[3]?.body.Session).toBe(fake.requests[2]?.body.Session);
      expect(fake.sentCodes.filter((sentCode) => sentCode.purpose === 'sms')).toHaveLength(2); // one per sign-in
      const [device] = fake.pool.devices.list('ann');
      expect(device?.key).not.toBe(key);
      expect(deviceKeys('ann').deviceKey).toBe(device?.key);
    },
  );
});

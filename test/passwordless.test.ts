// Choice-based sign-in (USER_AUTH), email MFA and its set-up: every step answered by a NEW client on
// the same storage (a reload between steps), with the exact requests the fake Cognito received.
import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  type CognitoClient,
  type CognitoClientOptions,
  isCognitoError,
  memoryStorage,
  type SignInResult,
  type TokenStorage,
} from '../src/index.js';
import type { FakeCognito, FakeCognitoOptions } from './fake-cognito/index.js';
import { makeClient, startFake } from './helpers/fake-client.js';
import { totp } from './helpers/totp.js';

const PASSWORD = 'Correct-Horse-1';
let fake: FakeCognito;
let storage: TokenStorage;

function setUp(options: FakeCognitoOptions = {}) {
  fake = startFake(options);
  storage = memoryStorage();
  fake.addUser({
    username: 'ann',
    password: PASSWORD,
    attributes: { email: 'ann@example.com', phone_number: '+15555550100' },
  });
}

/** A fresh client on the shared storage: what a page reload gives. */
const reload = (options: Partial<CognitoClientOptions> = {}): CognitoClient =>
  makeClient(fake, storage, { authFlow: 'USER_AUTH', ...options });

const targets = () => fake.requests.map((request) => request.target);
const bodies = (target: string) =>
  fake.requests.filter((request) => request.target === target).map((r) => r.body);

function step(result: SignInResult) {
  if (result.isSignedIn) throw new Error('expected a next step, got DONE');
  return result.nextStep;
}

async function rejection(promise: Promise<unknown>) {
  const error = await promise.then(
    () => new Error('expected a rejection'),
    (reason: unknown) => reason,
  );
  if (!isCognitoError(error)) throw error;
  return error;
}

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
  nock.cleanAll();
  vi.useRealTimers();
});

describe('USER_AUTH with a preferred first factor', () => {
  it('EMAIL_OTP: a code by email; a wrong code keeps the step, the right one signs in', async () => {
    setUp();
    const first = await reload().signIn({ username: 'ann', preferredChallenge: 'EMAIL_OTP' });

    expect(step(first)).toEqual({
      signInStep: 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE',
      codeDelivery: { destination: 'a***@e***', deliveryMedium: 'EMAIL', attributeName: 'email' },
    });
    expect(bodies('InitiateAuth')).toEqual([
      {
        AuthFlow: 'USER_AUTH',
        ClientId: fake.clientId,
        AuthParameters: { USERNAME: 'ann', PREFERRED_CHALLENGE: 'EMAIL_OTP' },
      },
    ]);
    const code = fake.lastCode('ann', 'emailOtp');

    const wrong = await rejection(
      reload().confirmSignIn({ challengeResponse: code === '000000' ? '111111' : '000000' }),
    );
    expect(wrong.code).toBe('CodeMismatchException');

    const done = await reload().confirmSignIn({ challengeResponse: code });
    expect(done.isSignedIn).toBe(true);
    const [wrongBody, rightBody] = bodies('RespondToAuthChallenge');
    expect(rightBody).toEqual({
      ChallengeName: 'EMAIL_OTP',
      ClientId: fake.clientId,
      ChallengeResponses: { USERNAME: 'ann', EMAIL_OTP_CODE: code },
      Session: wrongBody.Session,
    });
    expect((await reload().getSession())?.username).toBe('ann');
    await expect(reload().confirmSignIn({ challengeResponse: code })).rejects.toMatchObject({
      code: 'NoPendingChallengeException',
    });
  });

  it('SMS_OTP: CONFIRM_SIGN_IN_WITH_SMS_CODE as the first factor', async () => {
    setUp();
    const first = await reload().signIn({ username: 'ann', preferredChallenge: 'SMS_OTP' });
    expect(step(first)).toEqual({
      signInStep: 'CONFIRM_SIGN_IN_WITH_SMS_CODE',
      codeDelivery: { destination: '+*******0100', deliveryMedium: 'SMS', attributeName: 'phone_number' },
    });
    const done = await reload().confirmSignIn({ challengeResponse: fake.lastCode('ann', 'smsOtp') });
    expect(done.isSignedIn).toBe(true);
    expect(bodies('RespondToAuthChallenge')[0].ChallengeResponses).toEqual({
      USERNAME: 'ann',
      SMS_OTP_CODE: fake.lastCode('ann', 'smsOtp'),
    });
  });

  it('PASSWORD_SRP: SRP inside USER_AUTH, the password never sent', async () => {
    setUp();
    const done = await reload().signIn({
      username: 'ann',
      password: PASSWORD,
      preferredChallenge: 'PASSWORD_SRP',
    });
    expect(done.isSignedIn).toBe(true);
    expect(targets()).toEqual(['InitiateAuth', 'RespondToAuthChallenge']);
    expect(bodies('InitiateAuth')[0].AuthParameters).toEqual({
      USERNAME: 'ann',
      PREFERRED_CHALLENGE: 'PASSWORD_SRP',
      SRP_A: expect.stringMatching(/^[0-9a-f]+$/),
    });
    expect(bodies('RespondToAuthChallenge')[0].ChallengeName).toBe('PASSWORD_VERIFIER');
    expect(JSON.stringify(fake.requests.map((r) => r.body))).not.toContain(PASSWORD);
  });

  it('a password without a preference is PASSWORD_SRP; PASSWORD sends it in the clear', async () => {
    setUp();
    expect((await reload().signIn({ username: 'ann', password: PASSWORD })).isSignedIn).toBe(true);
    expect(bodies('InitiateAuth')[0].AuthParameters.PREFERRED_CHALLENGE).toBe('PASSWORD_SRP');
    const plain = await reload().signIn({
      username: 'ann',
      password: PASSWORD,
      preferredChallenge: 'PASSWORD',
    });
    expect(plain.isSignedIn).toBe(true);
    expect(bodies('InitiateAuth')[1].AuthParameters).toEqual({
      USERNAME: 'ann',
      PREFERRED_CHALLENGE: 'PASSWORD',
      PASSWORD,
    });
    const wrong = await rejection(
      reload().signIn({ username: 'ann', password: 'Wrong-Horse-1', preferredChallenge: 'PASSWORD' }),
    );
    expect(wrong.code).toBe('NotAuthorizedException');
  });

  it('an unconfirmed user gets CONFIRM_SIGN_UP, as with every flow', async () => {
    setUp();
    fake.addUser({
      username: 'uma',
      password: PASSWORD,
      status: 'UNCONFIRMED',
      attributes: { email: 'u@example.com' },
    });
    const result = await reload().signIn({ username: 'uma', preferredChallenge: 'EMAIL_OTP' });
    expect(step(result)).toEqual({ signInStep: 'CONFIRM_SIGN_UP' });
  });
});

describe('USER_AUTH first-factor selection', () => {
  it('offers what the user can use, and EMAIL_OTP chosen after a reload sends the code', async () => {
    setUp();
    const first = await reload().signIn({ username: 'ann' });
    expect(step(first)).toEqual({
      signInStep: 'CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION',
      availableChallenges: ['PASSWORD', 'PASSWORD_SRP', 'EMAIL_OTP', 'SMS_OTP'],
    });
    expect(bodies('InitiateAuth')[0].AuthParameters).toEqual({ USERNAME: 'ann' });

    const chosen = await reload().confirmSignIn({ challengeResponse: 'EMAIL_OTP' });
    expect(step(chosen).signInStep).toBe('CONFIRM_SIGN_IN_WITH_EMAIL_CODE');
    expect(bodies('RespondToAuthChallenge')[0]).toEqual({
      ChallengeName: 'SELECT_CHALLENGE',
      ClientId: fake.clientId,
      ChallengeResponses: { USERNAME: 'ann', ANSWER: 'EMAIL_OTP' },
      Session: expect.any(String),
    });
    const done = await reload().confirmSignIn({ challengeResponse: fake.lastCode('ann', 'emailOtp') });
    expect(done.isSignedIn).toBe(true);
  });

  it('PASSWORD: CONFIRM_SIGN_IN_WITH_PASSWORD asks without a request, then sends it with the choice', async () => {
    setUp();
    await reload().signIn({ username: 'ann' });
    const ask = await reload().confirmSignIn({ challengeResponse: 'PASSWORD' });
    expect(step(ask)).toEqual({ signInStep: 'CONFIRM_SIGN_IN_WITH_PASSWORD' });
    expect(targets()).toEqual(['InitiateAuth']);

    const done = await reload().confirmSignIn({ challengeResponse: PASSWORD });
    expect(done.isSignedIn).toBe(true);
    expect(bodies('RespondToAuthChallenge')[0].ChallengeResponses).toEqual({
      USERNAME: 'ann',
      ANSWER: 'PASSWORD',
      PASSWORD,
    });
  });

  it('PASSWORD_SRP: SELECT_CHALLENGE with SRP_A, then PASSWORD_VERIFIER', async () => {
    setUp();
    await reload().signIn({ username: 'ann' });
    expect(step(await reload().confirmSignIn({ challengeResponse: 'PASSWORD_SRP' })).signInStep).toBe(
      'CONFIRM_SIGN_IN_WITH_PASSWORD',
    );
    const done = await reload().confirmSignIn({ challengeResponse: PASSWORD });
    expect(done.isSignedIn).toBe(true);
    const [select, verifier] = bodies('RespondToAuthChallenge');
    expect(select.ChallengeResponses).toEqual({
      USERNAME: 'ann',
      ANSWER: 'PASSWORD_SRP',
      SRP_A: expect.stringMatching(/^[0-9a-f]+$/),
    });
    expect(verifier.ChallengeName).toBe('PASSWORD_VERIFIER');
  });

  it('rejects an answer that is no first factor before any request; the step stays', async () => {
    setUp();
    await reload().signIn({ username: 'ann' });
    const error = await rejection(reload().confirmSignIn({ challengeResponse: 'CARRIER_PIGEON' }));
    expect(error.code).toBe('InvalidParameterException');
    expect(targets()).toEqual(['InitiateAuth']);
    expect(step(await reload().confirmSignIn({ challengeResponse: 'EMAIL_OTP' })).signInStep).toBe(
      'CONFIRM_SIGN_IN_WITH_EMAIL_CODE',
    );
  });

  it('the pending step expires with the challenge session', async () => {
    setUp();
    vi.useFakeTimers({ toFake: ['Date'] });
    await reload({ challengeTtlSeconds: 60 }).signIn({ username: 'ann' });
    vi.setSystemTime(Date.now() + 61_000);
    const error = await rejection(reload().confirmSignIn({ challengeResponse: 'EMAIL_OTP' }));
    expect(error.code).toBe('NoPendingChallengeException');
    expect(targets()).toEqual(['InitiateAuth']);
  });
});

describe('passkeys where WebAuthn is missing (Node)', () => {
  it('WebAuthnNotSupportedException before any request: preference, selection, registration', async () => {
    setUp();
    const preferred = await rejection(reload().signIn({ username: 'ann', preferredChallenge: 'WEB_AUTHN' }));
    expect(preferred.code).toBe('WebAuthnNotSupportedException');
    expect(targets()).toEqual([]);

    await reload().signIn({ username: 'ann' });
    const chosen = await rejection(reload().confirmSignIn({ challengeResponse: 'WEB_AUTHN' }));
    expect(chosen.code).toBe('WebAuthnNotSupportedException');
    expect(targets()).toEqual(['InitiateAuth']);

    await reload({ authFlow: 'USER_PASSWORD_AUTH' }).signIn({ username: 'ann', password: PASSWORD });
    const before = fake.requests.length;
    const register = await rejection(reload().registerPasskey());
    expect(register.code).toBe('WebAuthnNotSupportedException');
    expect(fake.requests.length).toBe(before);
  });
});

describe('USER_AUTH input is checked before any request', () => {
  it.each([
    [{ username: 'ann', preferredChallenge: 'CARRIER_PIGEON' }],
    [{ username: 'ann', preferredChallenge: 'PASSWORD' }],
    [{ username: 'ann', preferredChallenge: 'EMAIL_OTP', password: PASSWORD }],
    [{ username: '', preferredChallenge: 'EMAIL_OTP' }],
  ])('%j → InvalidParameterException', async (input) => {
    setUp();
    const error = await rejection(reload().signIn(input as never));
    expect(error.code).toBe('InvalidParameterException');
    expect(targets()).toEqual([]);
  });

  it('preferredChallenge belongs to USER_AUTH only', async () => {
    setUp();
    const error = await rejection(
      reload({ authFlow: 'USER_SRP_AUTH' }).signIn({
        username: 'ann',
        password: PASSWORD,
        preferredChallenge: 'PASSWORD',
      }),
    );
    expect(error.code).toBe('InvalidParameterException');
    expect(targets()).toEqual([]);
  });
});

describe('email MFA', () => {
  it('setMfaPreference({ email }) sends EmailMfaSettings; the next sign-in asks for an email code', async () => {
    setUp({ emailMfa: true });
    const c = reload({ authFlow: 'USER_SRP_AUTH' });
    await c.signIn({ username: 'ann', password: PASSWORD });
    await c.setMfaPreference({ email: 'PREFERRED' });
    expect(bodies('SetUserMFAPreference')[0]).toEqual({
      AccessToken: expect.any(String),
      EmailMfaSettings: { Enabled: true, PreferredMfa: true },
    });

    const again = await reload({ authFlow: 'USER_SRP_AUTH' }).signIn({ username: 'ann', password: PASSWORD });
    expect(step(again)).toEqual({
      signInStep: 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE',
      codeDelivery: { destination: 'a***@e***', deliveryMedium: 'EMAIL', attributeName: 'email' },
    });
    const done = await reload().confirmSignIn({ challengeResponse: fake.lastCode('ann', 'emailOtp') });
    expect(done.isSignedIn).toBe(true);
    expect(bodies('RespondToAuthChallenge').at(-1).ChallengeName).toBe('EMAIL_OTP');
  });

  it("MFA selection offers 'EMAIL' and answers SELECT_MFA_TYPE with EMAIL_OTP", async () => {
    setUp({ emailMfa: true });
    fake.addUser({
      username: 'sam',
      password: PASSWORD,
      sms: true,
      emailMfa: true,
      attributes: { email: 's@example.com' },
    });
    const first = await reload({ authFlow: 'USER_PASSWORD_AUTH' }).signIn({
      username: 'sam',
      password: PASSWORD,
    });
    expect(step(first)).toEqual({
      signInStep: 'CONTINUE_SIGN_IN_WITH_MFA_SELECTION',
      allowedMfaTypes: ['SMS', 'EMAIL'],
    });
    const chosen = await reload().confirmSignIn({ challengeResponse: 'EMAIL' });
    expect(step(chosen).signInStep).toBe('CONFIRM_SIGN_IN_WITH_EMAIL_CODE');
    expect(bodies('RespondToAuthChallenge')[0].ChallengeResponses).toEqual({
      USERNAME: 'sam',
      ANSWER: 'EMAIL_OTP',
    });
    expect(
      (await reload().confirmSignIn({ challengeResponse: fake.lastCode('sam', 'emailOtp') })).isSignedIn,
    ).toBe(true);
  });

  it('MFA set-up by email: selection, address, code, each after a reload', async () => {
    setUp({ mfa: 'ON', emailMfa: true });
    const first = await reload({ authFlow: 'USER_PASSWORD_AUTH' }).signIn({
      username: 'ann',
      password: PASSWORD,
    });
    expect(step(first)).toEqual({
      signInStep: 'CONTINUE_SIGN_IN_WITH_MFA_SETUP_SELECTION',
      allowedMfaTypes: ['EMAIL', 'TOTP'],
    });
    const ask = await reload().confirmSignIn({ challengeResponse: 'EMAIL' });
    expect(step(ask)).toEqual({ signInStep: 'CONTINUE_SIGN_IN_WITH_EMAIL_SETUP' });
    expect(targets()).toEqual(['InitiateAuth']);

    const sent = await reload().confirmSignIn({ challengeResponse: 'ann@work.example' });
    expect(step(sent)).toEqual({
      signInStep: 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE',
      codeDelivery: { destination: 'a***@w***', deliveryMedium: 'EMAIL', attributeName: 'email' },
    });
    expect(bodies('RespondToAuthChallenge')[0]).toEqual({
      ChallengeName: 'MFA_SETUP',
      ClientId: fake.clientId,
      ChallengeResponses: { USERNAME: 'ann', EMAIL: 'ann@work.example' },
      Session: expect.any(String),
    });
    const wrong = await rejection(reload().confirmSignIn({ challengeResponse: '99999999' }));
    expect(wrong.code).toBe('CodeMismatchException');
    const done = await reload().confirmSignIn({ challengeResponse: fake.lastCode('ann', 'emailOtp') });
    expect(done.isSignedIn).toBe(true);
    expect(fake.getUser('ann')).toMatchObject({
      emailMfaEnabled: true,
      attributes: { email: 'ann@work.example' },
    });
  });

  it('MFA set-up selection TOTP continues with the TOTP set-up', async () => {
    setUp({ mfa: 'ON', emailMfa: true });
    await reload({ authFlow: 'USER_PASSWORD_AUTH' }).signIn({ username: 'ann', password: PASSWORD });
    const setup = step(await reload().confirmSignIn({ challengeResponse: 'TOTP' }));
    if (setup.signInStep !== 'CONTINUE_SIGN_IN_WITH_TOTP_SETUP') throw new Error(setup.signInStep);
    expect(setup.otpauthUri).toContain(setup.secretCode);
    expect(targets()).toEqual(['InitiateAuth', 'AssociateSoftwareToken']);
    const done = await reload().confirmSignIn({ challengeResponse: totp(setup.secretCode) });
    expect(done.isSignedIn).toBe(true);
  });
});

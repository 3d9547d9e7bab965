import nock from 'nock';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  CognitoClient,
  type CognitoClientOptions,
  memoryStorage,
  type Session,
  type TokenStorage,
} from '../src/index.js';
import type { FakeCognito, FakeCognitoOptions } from './fake-cognito/index.js';
import { makeClient, startFake } from './helpers/fake-client.js';
import { totp } from './helpers/totp.js';

let fake: FakeCognito;
let storage: TokenStorage;

function setUp(options: FakeCognitoOptions = {}) {
  fake = startFake(options);
  storage = memoryStorage();
}

/** A client on the shared storage: makeClient's defaults (USER_PASSWORD_AUTH) unless overridden. */
const client = (options: Partial<CognitoClientOptions> = {}) => makeClient(fake, storage, options);
const SRP = { authFlow: 'USER_SRP_AUTH' } as const;

const targets = () => fake.requests.map((request) => request.target);
const lastBody = (target: string) =>
  [...fake.requests].reverse().find((request) => request.target === target)?.body;

function expectSignedIn(result: Awaited<ReturnType<CognitoClient['signIn']>>): Session {
  if (!result.isSignedIn) throw new Error(`expected DONE, got ${result.nextStep.signInStep}`);
  expect(result.nextStep).toEqual({ signInStep: 'DONE' });
  return result.session;
}

beforeAll(() => nock.disableNetConnect());
beforeEach(() => setUp());
afterEach(() => {
  nock.cleanAll();
  vi.useRealTimers();
});

describe('signIn with SRP (the default)', () => {
  it('signs in with two requests whose math the fake verifies, and stores the session', async () => {
    fake.addUser({ username: 'ann', password: 'Correct-Horse-1', attributes: { email: 'ann@example.com' } });
    // No authFlow: the library's default is what this test checks.
    const c = new CognitoClient({ userPoolId: fake.userPoolId, clientId: fake.clientId, storage });
    const signedIn: Session[] = [];
    c.on('signedIn', (session) => signedIn.push(session));

    const session = expectSignedIn(await c.signIn({ username: 'ann', password: 'Correct-Horse-1' }));

    expect(targets()).toEqual(['InitiateAuth', 'RespondToAuthChallenge']);
    const initiate = fake.requests[0]?.body;
    expect(initiate).toEqual({
      AuthFlow: 'USER_SRP_AUTH',
      ClientId: fake.clientId,
      AuthParameters: { USERNAME: 'ann', SRP_A: expect.stringMatching(/^[0-9a-f]+$/) },
    });
    const respond = fake.requests[1]?.body;
    expect(respond.ChallengeName).toBe('PASSWORD_VERIFIER');
    expect(Object.keys(respond.ChallengeResponses).sort()).toEqual([
      'PASSWORD_CLAIM_SECRET_BLOCK',
      'PASSWORD_CLAIM_SIGNATURE',
      'TIMESTAMP',
      'USERNAME',
    ]);
    expect(respond.ChallengeResponses.TIMESTAMP).toMatch(
      /^[A-Z][a-z]{2} [A-Z][a-z]{2} \d{1,2} \d\d:\d\d:\d\d UTC \d{4}$/,
    );
    expect(session.username).toBe('ann');
    expect(session.idTokenClaims.email).toBe('ann@example.com');
    expect(signedIn).toEqual([session]);

    // Stored: a new client on the same storage sees it without a request.
    const before = fake.requests.length;
    await expect(client().getSession()).resolves.toEqual(session);
    expect(fake.requests.length).toBe(before);
  });

  it('rejects a wrong password with NotAuthorizedException because the proof does not verify', async () => {
    fake.addUser({ username: 'ann', password: 'Correct-Horse-1' });
    await expect(client(SRP).signIn({ username: 'ann', password: 'Wrong-Horse-1' })).rejects.toMatchObject({
      name: 'CognitoError',
      code: 'NotAuthorizedException',
      status: 400,
      retryable: false,
    });
    expect(targets()).toEqual(['InitiateAuth', 'RespondToAuthChallenge']);
    await expect(client().getSession()).resolves.toBeNull();
  });

  it("is refused when the proof is signed with a timestamp far from Cognito's clock", async () => {
    setUp({ now: () => Date.now() + 10 * 60 * 1000 });
    fake.addUser({ username: 'ann', password: 'Correct-Horse-1' });
    await expect(client(SRP).signIn({ username: 'ann', password: 'Correct-Horse-1' })).rejects.toMatchObject({
      code: 'NotAuthorizedException',
    });
  });

  it('rejects an unknown user with UserNotFoundException', async () => {
    await expect(client(SRP).signIn({ username: 'nobody', password: 'x-Password-1' })).rejects.toMatchObject({
      code: 'UserNotFoundException',
    });
  });

  it('uses the canonical username from the tokens in an email-alias pool', async () => {
    setUp({ usernameAttributes: ['email'] });
    const { username: internal, sub } = fake.addUser({
      username: 'ann@example.com',
      password: 'Correct-Horse-1',
    });
    expect(internal).not.toBe('ann@example.com');
    const session = expectSignedIn(
      await client(SRP).signIn({ username: 'ann@example.com', password: 'Correct-Horse-1' }),
    );
    expect(session.username).toBe(internal);
    expect(session.userSub).toBe(sub);
    expect(fake.requests[1]?.body.ChallengeResponses.USERNAME).toBe(internal);
  });
});

describe('signIn with USER_PASSWORD_AUTH', () => {
  it('sends one InitiateAuth with the password and no SRP value', async () => {
    fake.addUser({ username: 'ann', password: 'Correct-Horse-1' });
    const session = expectSignedIn(
      await client({ authFlow: 'USER_PASSWORD_AUTH' }).signIn({
        username: 'ann',
        password: 'Correct-Horse-1',
      }),
    );
    expect(fake.requests.map((request) => request.body)).toEqual([
      {
        AuthFlow: 'USER_PASSWORD_AUTH',
        ClientId: fake.clientId,
        AuthParameters: { USERNAME: 'ann', PASSWORD: 'Correct-Horse-1' },
      },
    ]);
    expect(session.username).toBe('ann');
  });

  it('stores under the claim, not the typed email, in an email-alias pool', async () => {
    setUp({ usernameAttributes: ['email'] });
    const { username: internal } = fake.addUser({ username: 'ann@example.com', password: 'Correct-Horse-1' });
    const session = expectSignedIn(
      await client().signIn({
        username: 'ann@example.com',
        password: 'Correct-Horse-1',
        authFlow: 'USER_PASSWORD_AUTH',
      }),
    );
    expect(session.username).toBe(internal);
    await expect(client().getCurrentUser()).resolves.toEqual({
      username: internal,
      userSub: session.userSub,
    });
  });

  it('passes clientMetadata through', async () => {
    fake.addUser({ username: 'ann', password: 'Correct-Horse-1' });
    await client().signIn({
      username: 'ann',
      password: 'Correct-Horse-1',
      authFlow: 'USER_PASSWORD_AUTH',
      clientMetadata: { source: 'test' },
    });
    expect(lastBody('InitiateAuth').ClientMetadata).toEqual({ source: 'test' });
  });
});

describe.each(['USER_SRP_AUTH', 'USER_PASSWORD_AUTH'] as const)(
  'next steps instead of exceptions (%s)',
  (authFlow) => {
    it('gives CONFIRM_SIGN_UP for an unconfirmed user', async () => {
      fake.addUser({ username: 'ann', password: 'Correct-Horse-1', status: 'UNCONFIRMED' });
      await expect(
        client({ authFlow }).signIn({ username: 'ann', password: 'Correct-Horse-1' }),
      ).resolves.toEqual({
        isSignedIn: false,
        nextStep: { signInStep: 'CONFIRM_SIGN_UP' },
      });
    });

    it('gives RESET_PASSWORD when Cognito demands a reset', async () => {
      fake.addUser({ username: 'ann', password: 'Correct-Horse-1', status: 'RESET_REQUIRED' });
      await expect(
        client({ authFlow }).signIn({ username: 'ann', password: 'Correct-Horse-1' }),
      ).resolves.toEqual({
        isSignedIn: false,
        nextStep: { signInStep: 'RESET_PASSWORD' },
      });
    });
  },
);

describe('challenges', () => {
  it('NEW_PASSWORD_REQUIRED: sends only the new password and the required attributes', async () => {
    fake.addUser({
      username: 'ann',
      password: 'Temp-Pass-1',
      status: 'FORCE_CHANGE_PASSWORD',
      attributes: { email: 'ann@example.com', email_verified: 'true' },
      requiredAttributes: ['name'],
    });
    const c = client();
    const first = await c.signIn({ username: 'ann', password: 'Temp-Pass-1' });
    expect(first).toEqual({
      isSignedIn: false,
      nextStep: {
        signInStep: 'CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED',
        requiredAttributes: ['name'],
        userAttributes: expect.objectContaining({ email: 'ann@example.com' }),
      },
    });
    const before = fake.requests.length;
    await expect(
      c.confirmSignIn({ challengeResponse: 'New-Pass-123', userAttributes: { email_verified: 'true' } }),
    ).rejects.toMatchObject({ code: 'InvalidParameterException' });
    expect(fake.requests.length).toBe(before);

    const session = expectSignedIn(
      await c.confirmSignIn({ challengeResponse: 'New-Pass-123', userAttributes: { name: 'Ann' } }),
    );
    expect(lastBody('RespondToAuthChallenge')).toEqual({
      ChallengeName: 'NEW_PASSWORD_REQUIRED',
      ClientId: fake.clientId,
      ChallengeResponses: { USERNAME: 'ann', NEW_PASSWORD: 'New-Pass-123', 'userAttributes.name': 'Ann' },
      Session: expect.any(String),
    });
    expect(session.username).toBe('ann');
    // The new password works.
    expectSignedIn(await client().signIn({ username: 'ann', password: 'New-Pass-123' }));
  });

  it('SMS_MFA: a wrong code keeps the challenge open, the right code signs in', async () => {
    fake.addUser({ username: 'ann', password: 'Correct-Horse-1', sms: true });
    const c = client();
    const first = await c.signIn({ username: 'ann', password: 'Correct-Horse-1' });
    expect(first).toEqual({
      isSignedIn: false,
      nextStep: {
        signInStep: 'CONFIRM_SIGN_IN_WITH_SMS_CODE',
        codeDelivery: {
          destination: expect.stringMatching(/1234$/),
          deliveryMedium: 'SMS',
          attributeName: 'phone_number',
        },
      },
    });
    const code = fake.lastCode('ann', 'sms');
    const wrong = code === '000000' ? '111111' : '000000';
    await expect(c.confirmSignIn({ challengeResponse: wrong })).rejects.toMatchObject({
      code: 'CodeMismatchException',
    });
    const session = expectSignedIn(await c.confirmSignIn({ challengeResponse: code }));
    expect(lastBody('RespondToAuthChallenge').ChallengeResponses).toEqual({
      USERNAME: 'ann',
      SMS_MFA_CODE: code,
    });
    expect(session.username).toBe('ann');
    await expect(c.confirmSignIn({ challengeResponse: code })).rejects.toMatchObject({
      code: 'NoPendingChallengeException',
    });
  });

  it('SOFTWARE_TOKEN_MFA: a TOTP code signs in', async () => {
    const { totpSecret } = fake.addUser({ username: 'ann', password: 'Correct-Horse-1', totp: true });
    const c = client();
    expect(await c.signIn({ username: 'ann', password: 'Correct-Horse-1' })).toEqual({
      isSignedIn: false,
      nextStep: { signInStep: 'CONFIRM_SIGN_IN_WITH_TOTP_CODE' },
    });
    const code = totp(totpSecret as string);
    expectSignedIn(await c.confirmSignIn({ challengeResponse: code }));
    expect(lastBody('RespondToAuthChallenge').ChallengeResponses).toEqual({
      USERNAME: 'ann',
      SOFTWARE_TOKEN_MFA_CODE: code,
    });
  });

  it('SELECT_MFA_TYPE: lists both types, then continues with the chosen one', async () => {
    const { totpSecret } = fake.addUser({
      username: 'ann',
      password: 'Correct-Horse-1',
      sms: true,
      totp: true,
    });
    const c = client();
    expect(await c.signIn({ username: 'ann', password: 'Correct-Horse-1' })).toEqual({
      isSignedIn: false,
      nextStep: { signInStep: 'CONTINUE_SIGN_IN_WITH_MFA_SELECTION', allowedMfaTypes: ['SMS', 'TOTP'] },
    });
    await expect(c.confirmSignIn({ challengeResponse: 'EMAIL' })).rejects.toMatchObject({
      code: 'InvalidParameterException',
    });
    expect(await c.confirmSignIn({ challengeResponse: 'TOTP' })).toEqual({
      isSignedIn: false,
      nextStep: { signInStep: 'CONFIRM_SIGN_IN_WITH_TOTP_CODE' },
    });
    expect(lastBody('RespondToAuthChallenge').ChallengeResponses).toEqual({
      USERNAME: 'ann',
      ANSWER: 'SOFTWARE_TOKEN_MFA',
    });
    expectSignedIn(await c.confirmSignIn({ challengeResponse: totp(totpSecret as string) }));
  });

  it('MFA_SETUP: returns the secret and an otpauth URI, then verifies and signs in', async () => {
    setUp({ mfa: 'ON' });
    fake.addUser({ username: 'ann', password: 'Correct-Horse-1' });
    const c = client({ ...SRP, totpIssuer: 'My App' });
    const first = await c.signIn({ username: 'ann', password: 'Correct-Horse-1' });
    if (first.isSignedIn || first.nextStep.signInStep !== 'CONTINUE_SIGN_IN_WITH_TOTP_SETUP') {
      throw new Error('expected a TOTP set-up step');
    }
    const { secretCode, otpauthUri } = first.nextStep;
    expect(secretCode).toMatch(/^[A-Z2-7]+=*$/);
    expect(otpauthUri).toBe(`otpauth://totp/My%20App:ann?secret=${secretCode}&issuer=My%20App`);
    expect(targets()).toEqual(['InitiateAuth', 'RespondToAuthChallenge', 'AssociateSoftwareToken']);

    expectSignedIn(
      await c.confirmSignIn({ challengeResponse: totp(secretCode), friendlyDeviceName: 'phone' }),
    );
    expect(targets().slice(3)).toEqual(['VerifySoftwareToken', 'RespondToAuthChallenge']);
    expect(lastBody('VerifySoftwareToken')).toEqual({
      Session: expect.any(String),
      UserCode: totp(secretCode),
      FriendlyDeviceName: 'phone',
    });
    expect(lastBody('RespondToAuthChallenge')).toMatchObject({
      ChallengeName: 'MFA_SETUP',
      ChallengeResponses: { USERNAME: 'ann' },
    });
  });

  it('CUSTOM_CHALLENGE after the password: a wrong answer ends the challenge, a right one signs in', async () => {
    fake.addUser({
      username: 'ann',
      password: 'Correct-Horse-1',
      customChallenge: { question: '2+2?', answer: '4' },
    });
    const c = client();
    const first = await c.signIn({ username: 'ann', password: 'Correct-Horse-1' });
    expect(first).toEqual({
      isSignedIn: false,
      nextStep: {
        signInStep: 'CONFIRM_SIGN_IN_WITH_CUSTOM_CHALLENGE',
        challengeParameters: expect.objectContaining({ question: '2+2?' }),
      },
    });
    await expect(c.confirmSignIn({ challengeResponse: '5' })).rejects.toMatchObject({
      code: 'NotAuthorizedException',
    });
    await expect(c.confirmSignIn({ challengeResponse: '4' })).rejects.toMatchObject({
      code: 'NoPendingChallengeException',
    });
    await c.signIn({ username: 'ann', password: 'Correct-Horse-1' });
    expectSignedIn(await c.confirmSignIn({ challengeResponse: '4' }));
  });

  it('CUSTOM_AUTH without a password goes straight to the custom challenge', async () => {
    fake.addUser({
      username: 'ann',
      password: 'Correct-Horse-1',
      customChallenge: { question: 'pet?', answer: 'cat' },
    });
    const c = client({ authFlow: 'CUSTOM_AUTH' });
    const first = await c.signIn({ username: 'ann' });
    expect(first.isSignedIn).toBe(false);
    expect(fake.requests[0]?.body).toEqual({
      AuthFlow: 'CUSTOM_AUTH',
      ClientId: fake.clientId,
      AuthParameters: { USERNAME: 'ann' },
    });
    expectSignedIn(await c.confirmSignIn({ challengeResponse: 'cat' }));
  });
});

describe('a pending challenge lives in storage', () => {
  it('is answered by a new client on the same storage (page reload, next HTTP request)', async () => {
    fake.addUser({ username: 'ann', password: 'Correct-Horse-1', sms: true });
    await client().signIn({ username: 'ann', password: 'Correct-Horse-1' });
    const reloaded = client();
    expectSignedIn(await reloaded.confirmSignIn({ challengeResponse: fake.lastCode('ann', 'sms') }));
    await expect(client().confirmSignIn({ challengeResponse: '123456' })).rejects.toMatchObject({
      code: 'NoPendingChallengeException',
    });
  });

  it('expires with challengeTtlSeconds (default 3 min): no request is sent for a stale challenge', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    fake.addUser({ username: 'ann', password: 'Correct-Horse-1', sms: true });
    const c = client();
    await c.signIn({ username: 'ann', password: 'Correct-Horse-1' });
    const signedInAt = Date.now();
    vi.setSystemTime(signedInAt + 179 * 1000);
    const code = fake.lastCode('ann', 'sms');
    // Still pending at 179 s: a wrong code reaches Cognito and keeps the challenge.
    await expect(
      c.confirmSignIn({ challengeResponse: code === '000000' ? '111111' : '000000' }),
    ).rejects.toMatchObject({
      code: 'CodeMismatchException',
    });
    const sent = fake.requests.length;
    vi.setSystemTime(signedInAt + 181 * 1000);
    await expect(c.confirmSignIn({ challengeResponse: fake.lastCode('ann', 'sms') })).rejects.toMatchObject({
      code: 'NoPendingChallengeException',
    });
    expect(fake.requests.length).toBe(sent);
  });

  it('is removed when Cognito says its session expired before ours did', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    fake.addUser({ username: 'ann', password: 'Correct-Horse-1', sms: true });
    // The client thinks the pool keeps challenges for 15 min; the fake (Cognito) keeps them for 3.
    const c = client({ challengeTtlSeconds: 900 });
    await c.signIn({ username: 'ann', password: 'Correct-Horse-1' });
    vi.setSystemTime(Date.now() + 4 * 60 * 1000);
    await expect(c.confirmSignIn({ challengeResponse: fake.lastCode('ann', 'sms') })).rejects.toMatchObject({
      code: 'NotAuthorizedException',
    });
    await expect(c.confirmSignIn({ challengeResponse: '123456' })).rejects.toMatchObject({
      code: 'NoPendingChallengeException',
    });
  });

  it('is not visible to a client on other storage', async () => {
    fake.addUser({ username: 'ann', password: 'Correct-Horse-1', sms: true });
    await client().signIn({ username: 'ann', password: 'Correct-Horse-1' });
    await expect(
      client({ storage: memoryStorage() }).confirmSignIn({ challengeResponse: '1' }),
    ).rejects.toMatchObject({
      code: 'NoPendingChallengeException',
    });
  });
});

describe('default storage in Node', () => {
  it('is per client: two clients never share tokens', async () => {
    fake.addUser({ username: 'ann', password: 'Correct-Horse-1' });
    const options = {
      userPoolId: fake.userPoolId,
      clientId: fake.clientId,
      authFlow: 'USER_PASSWORD_AUTH' as const,
    };
    const first = new CognitoClient(options);
    const second = new CognitoClient(options);
    expectSignedIn(await first.signIn({ username: 'ann', password: 'Correct-Horse-1' }));
    await expect(first.getSession()).resolves.not.toBeNull();
    await expect(second.getSession()).resolves.toBeNull();
  });
});

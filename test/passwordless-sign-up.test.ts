// Passwordless sign-up and the sign-in straight after it: SignUp's Session goes with ConfirmSignUp,
// whose Session signs the user in (InitiateAuth USER_AUTH), also when another client on the same
// storage confirms (a reload between sign-up and confirmation).
import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type CognitoClient, isCognitoError, memoryStorage, type TokenStorage } from '../src/index.js';
import type { FakeCognito, FakeCognitoOptions } from './fake-cognito/index.js';
import { makeClient, startFake } from './helpers/fake-client.js';

let fake: FakeCognito;
let storage: TokenStorage;

function setUp(options: FakeCognitoOptions = {}) {
  fake = startFake(options);
  storage = memoryStorage();
}
const reload = (): CognitoClient => makeClient(fake, storage);
const bodies = (target: string) =>
  fake.requests.filter((request) => request.target === target).map((r) => r.body);
const targets = () => fake.requests.map((request) => request.target);

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());

describe('signUp without a password, with autoSignIn', () => {
  it('confirmSignUp from a new client signs in with the Session Cognito returned', async () => {
    setUp();
    const signUp = await reload().signUp({
      username: 'pat',
      attributes: { email: 'pat@example.com' },
      autoSignIn: true,
    });
    expect(signUp).toMatchObject({ userConfirmed: false, codeDelivery: { deliveryMedium: 'EMAIL' } });
    expect(bodies('SignUp')).toEqual([
      {
        ClientId: fake.clientId,
        Username: 'pat',
        UserAttributes: [{ Name: 'email', Value: 'pat@example.com' }],
      },
    ]);

    const confirmer = reload();
    const signedIn: string[] = [];
    confirmer.on('signedIn', (session) => signedIn.push(session.username));
    const confirmed = await confirmer.confirmSignUp({
      username: 'pat',
      code: fake.lastCode('pat', 'signUp'),
    });

    expect(confirmed?.signInResult).toMatchObject({ isSignedIn: true, nextStep: { signInStep: 'DONE' } });
    expect(signedIn).toEqual(['pat']);
    expect(targets()).toEqual(['SignUp', 'ConfirmSignUp', 'InitiateAuth']);
    expect(bodies('ConfirmSignUp')[0]).toEqual({
      ClientId: fake.clientId,
      Username: 'pat',
      ConfirmationCode: fake.lastCode('pat', 'signUp'),
      Session: expect.stringMatching(/^AYABe/),
    });
    expect(bodies('InitiateAuth')[0]).toEqual({
      AuthFlow: 'USER_AUTH',
      ClientId: fake.clientId,
      AuthParameters: { USERNAME: 'pat' },
      Session: expect.stringMatching(/^AYABe/),
    });
    expect(bodies('InitiateAuth')[0].Session).not.toBe(bodies('ConfirmSignUp')[0].Session);
    expect((await reload().getSession())?.username).toBe('pat');
    // The stored sessions are spent and gone.
    expect(
      await storage.getItem(`CognitoIdentityServiceProvider.${fake.clientId}.cognitoKit.autoSignIn`),
    ).toBeNull();
  });

  it('a wrong code keeps the auto sign-in; the right code then signs in', async () => {
    setUp();
    await reload().signUp({ username: 'pat', attributes: { email: 'pat@example.com' }, autoSignIn: true });
    const wrong = await reload()
      .confirmSignUp({
        username: 'pat',
        code: '000000' === fake.lastCode('pat', 'signUp') ? '111111' : '000000',
      })
      .catch((error: unknown) => error);
    expect(isCognitoError(wrong, 'CodeMismatchException')).toBe(true);
    const confirmed = await reload().confirmSignUp({ username: 'pat', code: fake.lastCode('pat', 'signUp') });
    expect(confirmed?.signInResult.isSignedIn).toBe(true);
  });

  it('a dropped sign-in after the confirmation is retried by confirmSignUp, without confirming twice', async () => {
    setUp();
    await reload().signUp({ username: 'pat', attributes: { email: 'pat@example.com' }, autoSignIn: true });
    fake.failNext('InitiateAuth', { networkError: true });
    const dropped = await reload()
      .confirmSignUp({ username: 'pat', code: fake.lastCode('pat', 'signUp') })
      .catch((error: unknown) => error);
    expect(isCognitoError(dropped, 'NetworkError')).toBe(true);

    const retried = await reload().confirmSignUp({ username: 'pat', code: fake.lastCode('pat', 'signUp') });
    expect(retried?.signInResult.isSignedIn).toBe(true);
    expect(targets()).toEqual(['SignUp', 'ConfirmSignUp', 'InitiateAuth', 'InitiateAuth']);
  });

  it('without autoSignIn, confirmSignUp sends no Session and resolves undefined', async () => {
    setUp();
    await reload().signUp({ username: 'pat', attributes: { email: 'pat@example.com' } });
    const confirmed = await reload().confirmSignUp({ username: 'pat', code: fake.lastCode('pat', 'signUp') });
    expect(confirmed).toBeUndefined();
    expect(bodies('ConfirmSignUp')[0]).not.toHaveProperty('Session');
    expect(targets()).toEqual(['SignUp', 'ConfirmSignUp']);
  });

  it("another user's confirmation is not signed in with pat's session", async () => {
    setUp();
    await reload().signUp({ username: 'pat', attributes: { email: 'pat@example.com' }, autoSignIn: true });
    await reload().signUp({
      username: 'quinn',
      password: 'Correct-Horse-1',
      attributes: { email: 'q@example.com' },
    });
    const confirmed = await reload().confirmSignUp({
      username: 'quinn',
      code: fake.lastCode('quinn', 'signUp'),
    });
    expect(confirmed).toBeUndefined();
    expect(bodies('ConfirmSignUp')[0]).not.toHaveProperty('Session');
  });

  it('a pool that needs passwords refuses the sign-up (Cognito decides)', async () => {
    setUp({ allowedFirstAuthFactors: ['PASSWORD'] });
    const error = await reload()
      .signUp({ username: 'pat', attributes: { email: 'pat@example.com' } })
      .catch((reason: unknown) => reason);
    expect(isCognitoError(error, 'InvalidParameterException')).toBe(true);
    expect(targets()).toEqual(['SignUp']);
  });

  it('autoSignIn must be true', async () => {
    setUp();
    const error = await reload()
      .signUp({ username: 'pat', autoSignIn: false as never })
      .catch((reason: unknown) => reason);
    expect(isCognitoError(error, 'InvalidParameterException')).toBe(true);
    expect(targets()).toEqual([]);
  });
});

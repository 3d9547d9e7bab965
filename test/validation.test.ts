import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CognitoClient, CognitoError, memoryStorage } from '../src/index.js';

// No interceptor is registered: any request would fail with a NetworkError, not the code asserted.
beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());

const options = { userPoolId: 'us-east-1_TestPool1', clientId: 'testclient123' };
const client = () => new CognitoClient({ ...options, storage: memoryStorage() });

function invalid(run: () => unknown) {
  let thrown: unknown;
  try {
    run();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(CognitoError);
  expect((thrown as CognitoError).code).toBe('InvalidParameterException');
}

async function rejectsInvalid(promise: Promise<unknown>) {
  await expect(promise).rejects.toMatchObject({ name: 'CognitoError', code: 'InvalidParameterException' });
}

describe('constructor options', () => {
  it.each([
    ['no options', undefined],
    ['missing userPoolId', { clientId: 'x' }],
    ['malformed userPoolId', { ...options, userPoolId: 'nounderscore' }],
    ['blank clientId', { ...options, clientId: '  ' }],
    ['unknown option', { ...options, region: 'us-east-1' }],
    ['bad endpoint', { ...options, endpoint: 'ftp://example.com' }],
    ['bad authFlow', { ...options, authFlow: 'ADMIN_NO_SRP_AUTH' }],
    ['negative margin', { ...options, refreshMarginSeconds: -1 }],
    ['zero timeout', { ...options, requestTimeoutMs: 0 }],
    ['storage without methods', { ...options, storage: {} }],
  ])('rejects %s with InvalidParameterException', (_name, value) => {
    invalid(() => new CognitoClient(value as never));
  });

  it('accepts a local endpoint and takes the region from the pool id', () => {
    expect(() => new CognitoClient({ ...options, endpoint: 'http://127.0.0.1:9229/' })).not.toThrow();
  });
});

describe('method input is checked before any request', () => {
  it.each([
    // A password is optional since passwordless pools (0.2), but must be a string when given.
    [
      'signUp with a number password',
      (c: CognitoClient) => c.signUp({ username: 'ann', password: 42 } as never),
    ],
    [
      'signUp with autoSignIn other than true',
      (c: CognitoClient) => c.signUp({ username: 'ann', autoSignIn: 'yes' } as never),
    ],
    [
      'signUp with a number username',
      (c: CognitoClient) => c.signUp({ username: 42, password: 'p' } as never),
    ],
    [
      'signUp with a non-string attribute',
      (c: CognitoClient) => c.signUp({ username: 'a', password: 'p', attributes: { age: 3 } } as never),
    ],
    [
      'signUp with an unknown key',
      (c: CognitoClient) => c.signUp({ username: 'a', password: 'p', email: 'x' } as never),
    ],
    [
      'confirmSignUp with a blank code',
      (c: CognitoClient) => c.confirmSignUp({ username: 'ann', code: '   ' }),
    ],
    ['resendSignUpCode with empty username', (c: CognitoClient) => c.resendSignUpCode({ username: '' })],
    ['signIn with a blank username', (c: CognitoClient) => c.signIn({ username: ' ', password: 'p' })],
    ['signIn without password', (c: CognitoClient) => c.signIn({ username: 'ann' })],
    [
      'signIn with a bad flow',
      (c: CognitoClient) => c.signIn({ username: 'a', password: 'p', authFlow: 'X' } as never),
    ],
    ['signIn with null input', (c: CognitoClient) => c.signIn(null as never)],
    ['confirmSignIn without a response', (c: CognitoClient) => c.confirmSignIn({} as never)],
    ['getSession with an unknown option', (c: CognitoClient) => c.getSession({ force: true } as never)],
    ['updateAttributes with nothing', (c: CognitoClient) => c.updateAttributes({})],
    ['updateAttributes with an empty name', (c: CognitoClient) => c.updateAttributes({ '': 'x' })],
    ['deleteAttributes with an empty list', (c: CognitoClient) => c.deleteAttributes([])],
    ['deleteAttributes with a non-string', (c: CognitoClient) => c.deleteAttributes([1] as never)],
    ['verifyAttribute without code', (c: CognitoClient) => c.verifyAttribute({ name: 'email' } as never)],
    [
      'sendAttributeVerificationCode with a blank name',
      (c: CognitoClient) => c.sendAttributeVerificationCode(''),
    ],
    [
      'changePassword with empty new password',
      (c: CognitoClient) => c.changePassword({ oldPassword: 'a', newPassword: '' }),
    ],
    ['forgotPassword without username', (c: CognitoClient) => c.forgotPassword({} as never)],
    [
      'confirmForgotPassword without code',
      (c: CognitoClient) => c.confirmForgotPassword({ username: 'a', newPassword: 'b' } as never),
    ],
    [
      'verifyTotpSetup with a number code',
      (c: CognitoClient) => c.verifyTotpSetup({ code: 123456 } as never),
    ],
    ['setMfaPreference with nothing', (c: CognitoClient) => c.setMfaPreference({})],
    ['setMfaPreference with a bad value', (c: CognitoClient) => c.setMfaPreference({ totp: 'ON' } as never)],
    ['signOut with a non-boolean global', (c: CognitoClient) => c.signOut({ global: 'yes' } as never)],
  ])('%s → InvalidParameterException', async (_name, call) => {
    await rejectsInvalid(call(client()));
  });

  it('never puts the rejected value in the message', async () => {
    const error = await client()
      .signUp({ username: 'ann', password: 'p', attributes: { secret: 7 } } as never)
      .then(
        () => undefined,
        (reason: unknown) => reason as CognitoError,
      );
    expect(error?.message).toBe('attributes.secret must be a string');
  });

  it('on() rejects unknown events synchronously', () => {
    invalid(() => client().on('tokenExpired' as never, () => {}));
    invalid(() => client().on('signedIn', 'nope' as never));
  });
});

describe('methods that need a session', () => {
  it.each([
    ['getUserAttributes', (c: CognitoClient) => c.getUserAttributes()],
    ['updateAttributes', (c: CognitoClient) => c.updateAttributes({ name: 'Ann' })],
    ['changePassword', (c: CognitoClient) => c.changePassword({ oldPassword: 'a', newPassword: 'b' })],
    ['setUpTotp', (c: CognitoClient) => c.setUpTotp()],
    ['deleteUser', (c: CognitoClient) => c.deleteUser()],
  ])('%s rejects with NotSignedInException when nobody is signed in', async (_name, call) => {
    await expect(call(client())).rejects.toMatchObject({ code: 'NotSignedInException', retryable: false });
  });

  it('confirmSignIn with nothing pending rejects with NoPendingChallengeException', async () => {
    await expect(client().confirmSignIn({ challengeResponse: '123456' })).rejects.toMatchObject({
      code: 'NoPendingChallengeException',
    });
  });

  it('getSession and getCurrentUser resolve null when nobody is signed in', async () => {
    const c = client();
    await expect(c.getSession()).resolves.toBeNull();
    await expect(c.getCurrentUser()).resolves.toBeNull();
  });

  it('signOut with nobody signed in resolves and emits nothing', async () => {
    const c = client();
    const events: unknown[] = [];
    c.on('signedOut', (payload) => events.push(payload));
    await expect(c.signOut()).resolves.toBeUndefined();
    expect(events).toEqual([]);
  });
});

import nock from 'nock';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type CognitoClientOptions, memoryStorage, type TokenStorage } from '../src/index.js';
import type { FakeCognito } from './fake-cognito/index.js';
import { asyncStorage } from './helpers/async-storage.js';
import { makeClient, signedInSession, startFake } from './helpers/fake-client.js';
import { totp } from './helpers/totp.js';

let fake: FakeCognito;
let storage: TokenStorage;

const client = (options: Partial<CognitoClientOptions> = {}) => makeClient(fake, storage, options);

async function signedIn(attributes: Record<string, string> = { email: 'ann@example.com' }) {
  fake.addUser({ username: 'ann', password: 'Correct-Horse-1', attributes });
  const c = client();
  const result = await c.signIn({ username: 'ann', password: 'Correct-Horse-1' });
  if (!result.isSignedIn) throw new Error('sign-in did not finish');
  fake.requests.length = 0;
  return { c, session: result.session };
}

const bodies = () => fake.requests.map((request) => ({ target: request.target, body: request.body }));

beforeAll(() => nock.disableNetConnect());
beforeEach(() => {
  fake = startFake();
  storage = memoryStorage();
});
afterEach(() => nock.cleanAll());

describe('registration', () => {
  it('signUp sends the attributes as a list and returns the typed result', async () => {
    const result = await client().signUp({
      username: 'ann',
      password: 'Correct-Horse-1',
      attributes: { email: 'ann@example.com', name: 'Ann' },
      clientMetadata: { app: 'test' },
      validationData: { invite: 'yes' },
    });
    expect(result).toEqual({
      userConfirmed: false,
      userSub: fake.getUser('ann')?.sub,
      codeDelivery: {
        destination: expect.stringContaining('@'),
        deliveryMedium: 'EMAIL',
        attributeName: 'email',
      },
    });
    expect(bodies()).toEqual([
      {
        target: 'SignUp',
        body: {
          ClientId: fake.clientId,
          Username: 'ann',
          Password: 'Correct-Horse-1',
          UserAttributes: [
            { Name: 'email', Value: 'ann@example.com' },
            { Name: 'name', Value: 'Ann' },
          ],
          ValidationData: [{ Name: 'invite', Value: 'yes' }],
          ClientMetadata: { app: 'test' },
        },
      },
    ]);
  });

  it('rejects a taken username with UsernameExistsException', async () => {
    fake.addUser({ username: 'ann', password: 'Correct-Horse-1' });
    await expect(client().signUp({ username: 'ann', password: 'Correct-Horse-1' })).rejects.toMatchObject({
      code: 'UsernameExistsException',
    });
  });

  it('confirmSignUp confirms with the code; a wrong code is CodeMismatchException', async () => {
    const c = client();
    await c.signUp({
      username: 'ann',
      password: 'Correct-Horse-1',
      attributes: { email: 'ann@example.com' },
    });
    const code = fake.lastCode('ann', 'signUp');
    await expect(
      c.confirmSignUp({ username: 'ann', code: code === '000000' ? '111111' : '000000' }),
    ).rejects.toMatchObject({
      code: 'CodeMismatchException',
    });
    await expect(c.confirmSignUp({ username: 'ann', code })).resolves.toBeUndefined();
    expect(fake.getUser('ann')?.status).toBe('CONFIRMED');
  });

  it('resendSignUpCode returns where the new code went', async () => {
    const c = client();
    await c.signUp({
      username: 'ann',
      password: 'Correct-Horse-1',
      attributes: { email: 'ann@example.com' },
    });
    await expect(c.resendSignUpCode({ username: 'ann' })).resolves.toEqual({
      destination: expect.stringContaining('@'),
      deliveryMedium: 'EMAIL',
      attributeName: 'email',
    });
    expect(fake.requests.at(-1)?.body).toEqual({ ClientId: fake.clientId, Username: 'ann' });
  });
});

describe('attributes', () => {
  it('getUserAttributes returns a plain record', async () => {
    const { c } = await signedIn({ email: 'ann@example.com', name: 'Ann' });
    await expect(c.getUserAttributes()).resolves.toMatchObject({ email: 'ann@example.com', name: 'Ann' });
    expect(fake.requests[0]?.target).toBe('GetUser');
  });

  it('updateAttributes reports attributes waiting for verification, then verifyAttribute applies them', async () => {
    const { c } = await signedIn();
    const result = await c.updateAttributes({ email: 'new@example.com', name: 'Ann' });
    expect(result).toEqual({
      email: {
        isUpdated: false,
        codeDelivery: { destination: expect.any(String), deliveryMedium: 'EMAIL', attributeName: 'email' },
      },
      name: { isUpdated: true },
    });
    expect((await c.getSession())?.idTokenClaims.email).toBe('ann@example.com');
    await expect(
      c.verifyAttribute({ name: 'email', code: fake.lastCode('ann', 'attribute:email') }),
    ).resolves.toBeUndefined();
    expect((await c.getSession())?.idTokenClaims.email).toBe('new@example.com');
  });

  it('after updateAttributes, a new client on the same storage gets the fresh claims from getSession() (one refresh)', async () => {
    fake.addUser({ username: 'ann', password: 'Correct-Horse-1', attributes: { name: 'Ann' } });
    const shared = asyncStorage(0).storage;
    const pageA = makeClient(fake, shared);
    const first = signedInSession(await pageA.signIn({ username: 'ann', password: 'Correct-Horse-1' }));
    expect(first.idTokenClaims.name).toBe('Ann');
    await pageA.updateAttributes({ name: 'Annie' });

    const pageB = makeClient(fake, shared); // a page reload, or the server's next request
    const session = await pageB.getSession();

    expect(session?.idTokenClaims.name).toBe('Annie');
    expect(fake.refreshCount()).toBe(1);
    // The refreshed tokens are fresh for both clients: no second refresh.
    expect((await pageA.getSession())?.idTokenClaims.name).toBe('Annie');
    expect((await pageB.getSession())?.accessToken).toBe(session?.accessToken);
    expect(fake.refreshCount()).toBe(1);
  });

  it('sendAttributeVerificationCode asks for a code for one attribute', async () => {
    const { c } = await signedIn();
    await expect(c.sendAttributeVerificationCode('email')).resolves.toMatchObject({ attributeName: 'email' });
    expect(fake.requests.at(-1)?.body).toEqual({ AccessToken: expect.any(String), AttributeName: 'email' });
  });

  it('deleteAttributes removes them and the next session no longer shows them', async () => {
    const { c } = await signedIn({ email: 'ann@example.com', name: 'Ann' });
    await c.deleteAttributes(['name']);
    expect(fake.requests[0]?.body).toEqual({ AccessToken: expect.any(String), UserAttributeNames: ['name'] });
    expect((await c.getSession())?.idTokenClaims.name).toBeUndefined();
  });
});

describe('passwords', () => {
  it('changePassword: the old password stops working', async () => {
    const { c } = await signedIn();
    await expect(
      c.changePassword({ oldPassword: 'Wrong-1', newPassword: 'New-Pass-123' }),
    ).rejects.toMatchObject({
      code: 'NotAuthorizedException',
    });
    await c.changePassword({ oldPassword: 'Correct-Horse-1', newPassword: 'New-Pass-123' });
    await expect(client().signIn({ username: 'ann', password: 'Correct-Horse-1' })).rejects.toMatchObject({
      code: 'NotAuthorizedException',
    });
    expect((await client().signIn({ username: 'ann', password: 'New-Pass-123' })).isSignedIn).toBe(true);
  });

  it('forgotPassword then confirmForgotPassword resets it', async () => {
    fake.addUser({ username: 'ann', password: 'Correct-Horse-1', attributes: { email: 'ann@example.com' } });
    const c = client();
    await expect(c.forgotPassword({ username: 'ann' })).resolves.toMatchObject({ deliveryMedium: 'EMAIL' });
    const code = fake.lastCode('ann', 'forgotPassword');
    await c.confirmForgotPassword({ username: 'ann', code, newPassword: 'Reset-Pass-1' });
    expect(fake.requests.at(-1)?.body).toEqual({
      ClientId: fake.clientId,
      Username: 'ann',
      ConfirmationCode: code,
      Password: 'Reset-Pass-1',
    });
    expect((await c.signIn({ username: 'ann', password: 'Reset-Pass-1' })).isSignedIn).toBe(true);
  });
});

describe('MFA settings', () => {
  it('setUpTotp, verifyTotpSetup and setMfaPreference turn on TOTP for the next sign-in', async () => {
    const { c } = await signedIn();
    const { secretCode, otpauthUri } = await c.setUpTotp();
    expect(otpauthUri).toBe(`otpauth://totp/AWSCognito:ann?secret=${secretCode}&issuer=AWSCognito`);
    // Cognito answers a wrong set-up code with this exception, not CodeMismatchException.
    await expect(
      c.verifyTotpSetup({ code: '000000' === totp(secretCode) ? '111111' : '000000' }),
    ).rejects.toMatchObject({
      code: 'EnableSoftwareTokenMFAException',
    });
    await c.verifyTotpSetup({ code: totp(secretCode), friendlyDeviceName: 'phone' });
    await c.setMfaPreference({ totp: 'PREFERRED', sms: 'DISABLED' });
    expect(fake.requests.at(-1)?.body).toEqual({
      AccessToken: expect.any(String),
      SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true },
      SMSMfaSettings: { Enabled: false, PreferredMfa: false },
    });
    const next = await client().signIn({ username: 'ann', password: 'Correct-Horse-1' });
    expect(next).toEqual({ isSignedIn: false, nextStep: { signInStep: 'CONFIRM_SIGN_IN_WITH_TOTP_CODE' } });
  });
});

describe('sign-out and deletion', () => {
  it('signOut clears storage first, then revokes the refresh token', async () => {
    const { c, session } = await signedIn();
    const events: unknown[] = [];
    c.on('signedOut', (payload) => events.push(payload));
    await c.signOut();
    expect(bodies()).toEqual([
      { target: 'RevokeToken', body: { Token: session.refreshToken, ClientId: fake.clientId } },
    ]);
    expect(events).toEqual([{ reason: 'user' }]);
    await expect(c.getSession()).resolves.toBeNull();
    // The revoked refresh token no longer works, even if someone kept a copy.
    const revoked = await fake.handle('InitiateAuth', {
      AuthFlow: 'REFRESH_TOKEN_AUTH',
      ClientId: fake.clientId,
      AuthParameters: { REFRESH_TOKEN: session.refreshToken },
    });
    expect(revoked.status).toBe(400);
  });

  it('signOut after updateAttributes leaves nothing in the storage (the stale-claims mark included)', async () => {
    const { c } = await signedIn();
    await c.updateAttributes({ name: 'Ann' });
    await c.signOut();
    const prefix = `CognitoIdentityServiceProvider.${fake.clientId}`;
    for (const field of ['idToken', 'accessToken', 'refreshToken', 'clockDrift', 'cognitoKit.staleClaims']) {
      expect(await storage.getItem(`${prefix}.ann.${field}`)).toBeNull();
    }
    expect(await storage.getItem(`${prefix}.LastAuthUser`)).toBeNull();
  });

  it('signOut resolves even when RevokeToken fails', async () => {
    const { c } = await signedIn();
    fake.failNext('RevokeToken', { networkError: true });
    await expect(c.signOut()).resolves.toBeUndefined();
    await expect(c.getSession()).resolves.toBeNull();
  });

  it('signOut({ global: true }) calls GlobalSignOut, which ends every session of the user', async () => {
    const { c, session } = await signedIn();
    await c.signOut({ global: true });
    expect(bodies()).toEqual([{ target: 'GlobalSignOut', body: { AccessToken: session.accessToken } }]);
    await expect(c.getSession()).resolves.toBeNull();
  });

  it('deleteUser deletes the user and signs out with reason "deleted"', async () => {
    const { c } = await signedIn();
    const events: unknown[] = [];
    c.on('signedOut', (payload) => events.push(payload));
    await c.deleteUser();
    expect(fake.getUser('ann')).toBeUndefined();
    expect(events).toEqual([{ reason: 'deleted' }]);
    await expect(c.getSession()).resolves.toBeNull();
  });

  it('a new sign-in of another user replaces the stored session entirely', async () => {
    const { c, session } = await signedIn();
    fake.addUser({ username: 'bob', password: 'Correct-Horse-2' });
    const result = await c.signIn({ username: 'bob', password: 'Correct-Horse-2' });
    expect(result.isSignedIn).toBe(true);
    expect((await c.getSession())?.username).toBe('bob');
    const prefix = `CognitoIdentityServiceProvider.${fake.clientId}`;
    expect(await storage.getItem(`${prefix}.ann.refreshToken`)).toBeNull();
    expect(session.username).toBe('ann');
  });
});

import { describe, expect, it } from 'vitest';
import { totp } from '../helpers/totp.js';
import { FakeCognito, type FakeCognitoOptions } from './index.js';
import { claims, fails, ok, passwordAuth } from './test-client.js';

function signUp(fake: FakeCognito, username: string, attributes: Record<string, string> = {}) {
  return ok(fake, 'SignUp', {
    ClientId: fake.clientId,
    Username: username,
    Password: 'Passw0rd!',
    UserAttributes: Object.entries(attributes).map(([Name, Value]) => ({ Name, Value })),
  });
}

async function signedIn(options: FakeCognitoOptions = {}) {
  const fake = new FakeCognito(options);
  fake.addUser({ username: 'alice', password: 'Passw0rd!', attributes: { email: 'alice@example.com' } });
  const { AuthenticationResult } = await passwordAuth(fake, 'alice', 'Passw0rd!');
  return { fake, accessToken: AuthenticationResult.AccessToken as string };
}

describe('sign-up', () => {
  it('creates an unconfirmed user and mails a code to a masked destination', async () => {
    const fake = new FakeCognito({ code: '123456' });
    const result = await signUp(fake, 'alice', { email: 'alice@example.com' });

    expect(result).toEqual({
      UserConfirmed: false,
      UserSub: expect.stringMatching(/^[0-9a-f-]{36}$/),
      CodeDeliveryDetails: { Destination: 'a***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' },
      // Since 2024 SignUp returns a Session that ConfirmSignUp turns into a sign-in (USER_AUTH).
      Session: expect.stringMatching(/^AYABe/),
    });
    expect(fake.getUser('alice')).toMatchObject({ status: 'UNCONFIRMED', sub: result.UserSub });
    expect(fake.lastCode('alice', 'signUp')).toBe('123456');
    await fails(
      fake,
      'SignUp',
      { ClientId: fake.clientId, Username: 'alice', Password: 'Passw0rd!' },
      'UsernameExistsException',
    );
  });

  it('confirms with the newest code only, marking the email verified', async () => {
    let now = Date.UTC(2030, 0, 1);
    const fake = new FakeCognito({ now: () => now });
    await signUp(fake, 'bob', { email: 'bob@example.com' });
    const first = fake.lastCode('bob', 'signUp');
    await ok(fake, 'ResendConfirmationCode', { ClientId: fake.clientId, Username: 'bob' });
    const second = fake.lastCode('bob', 'signUp');
    const confirm = (code: string) => ({ ClientId: fake.clientId, Username: 'bob', ConfirmationCode: code });

    await fails(
      fake,
      'ConfirmSignUp',
      confirm(second === '000000' ? '111111' : '000000'),
      'CodeMismatchException',
    );
    if (first !== second) await fails(fake, 'ConfirmSignUp', confirm(first), 'ExpiredCodeException');
    now += 25 * 3600_000;
    await fails(fake, 'ConfirmSignUp', confirm(second), 'ExpiredCodeException');
    await ok(fake, 'ResendConfirmationCode', { ClientId: fake.clientId, Username: 'bob' });
    await ok(fake, 'ConfirmSignUp', confirm(fake.lastCode('bob', 'signUp')));

    expect(fake.getUser('bob')).toMatchObject({
      status: 'CONFIRMED',
      attributes: { email_verified: 'true' },
    });
    await fails(fake, 'ConfirmSignUp', confirm('123456'), 'NotAuthorizedException');
    await fails(
      fake,
      'ResendConfirmationCode',
      { ClientId: fake.clientId, Username: 'bob' },
      'InvalidParameterException',
    );
  });

  it('enforces the password policy', async () => {
    const fake = new FakeCognito({ passwordPolicy: { requireNumbers: true } });
    const body = { ClientId: fake.clientId, Username: 'carl', Password: 'no-numbers-here' };
    expect(await fails(fake, 'SignUp', body, 'InvalidPasswordException')).toContain('numeric');
  });

  it('in an email-alias pool, uses the sub as internal username and signs in by email', async () => {
    const fake = new FakeCognito({ usernameAttributes: ['email'], code: '111111' });
    const { UserSub } = await signUp(fake, 'dora@example.com');
    await ok(fake, 'ConfirmSignUp', {
      ClientId: fake.clientId,
      Username: 'dora@example.com',
      ConfirmationCode: '111111',
    });

    const { AuthenticationResult } = await passwordAuth(fake, 'dora@example.com', 'Passw0rd!');
    expect(claims(AuthenticationResult.IdToken)).toMatchObject({
      'cognito:username': UserSub,
      email: 'dora@example.com',
      email_verified: true,
    });
    expect(fake.getUser(UserSub)?.username).toBe(UserSub);
    await fails(
      fake,
      'SignUp',
      { ClientId: fake.clientId, Username: 'not-an-email', Password: 'Passw0rd!' },
      'InvalidParameterException',
    );
    await fails(
      fake,
      'SignUp',
      { ClientId: fake.clientId, Username: 'DORA@example.com', Password: 'Passw0rd!' },
      'UsernameExistsException',
    );
  });
});

describe('passwords', () => {
  it('resets a forgotten password with the mailed code', async () => {
    const fake = new FakeCognito();
    fake.addUser({
      username: 'erik',
      password: 'Old-pass-1',
      status: 'RESET_REQUIRED',
      attributes: { email: 'erik@example.com' },
    });
    const sent = await ok(fake, 'ForgotPassword', { ClientId: fake.clientId, Username: 'erik' });
    expect(sent.CodeDeliveryDetails).toEqual({
      Destination: 'e***@e***',
      DeliveryMedium: 'EMAIL',
      AttributeName: 'email',
    });
    const body = { ClientId: fake.clientId, Username: 'erik', Password: 'New-pass-1' };

    await fails(
      fake,
      'ConfirmForgotPassword',
      { ...body, ConfirmationCode: 'nope' },
      'CodeMismatchException',
    );
    await ok(fake, 'ConfirmForgotPassword', {
      ...body,
      ConfirmationCode: fake.lastCode('erik', 'forgotPassword'),
    });

    expect(fake.getUser('erik')?.status).toBe('CONFIRMED');
    await passwordAuth(fake, 'erik', 'New-pass-1');
  });

  it('refuses ForgotPassword without a verified email or phone', async () => {
    const fake = new FakeCognito();
    fake.addUser({ username: 'fred', password: 'Passw0rd!' });
    await fails(
      fake,
      'ForgotPassword',
      { ClientId: fake.clientId, Username: 'fred' },
      'InvalidParameterException',
    );
    await fails(
      fake,
      'ForgotPassword',
      { ClientId: fake.clientId, Username: 'ghost' },
      'UserNotFoundException',
    );
  });

  it('changes the password only when the old one matches', async () => {
    const { fake, accessToken } = await signedIn();
    const body = { AccessToken: accessToken, ProposedPassword: 'Brand-new-1' };
    expect(
      await fails(
        fake,
        'ChangePassword',
        { ...body, PreviousPassword: 'wrong-one' },
        'NotAuthorizedException',
      ),
    ).toBe('Incorrect username or password.');
    await ok(fake, 'ChangePassword', { ...body, PreviousPassword: 'Passw0rd!' });
    await passwordAuth(fake, 'alice', 'Brand-new-1');
  });
});

describe('attributes', () => {
  it('keeps the old email active until the new one is verified', async () => {
    const { fake, accessToken } = await signedIn({ code: '424242' });
    const updated = await ok(fake, 'UpdateUserAttributes', {
      AccessToken: accessToken,
      UserAttributes: [
        { Name: 'email', Value: 'new@example.org' },
        { Name: 'name', Value: 'Alice' },
      ],
    });
    expect(updated).toEqual({
      CodeDeliveryDetailsList: [
        { Destination: 'n***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' },
      ],
    });
    const attributes = async () =>
      Object.fromEntries(
        (await ok(fake, 'GetUser', { AccessToken: accessToken })).UserAttributes.map(
          (a: { Name: string; Value: string }) => [a.Name, a.Value],
        ),
      );
    expect(await attributes()).toMatchObject({
      email: 'alice@example.com',
      email_verified: 'true',
      name: 'Alice',
    });
    expect(fake.sentCodes.at(-1)).toMatchObject({
      purpose: 'attribute:email',
      destination: 'new@example.org',
    });

    const verify = { AccessToken: accessToken, AttributeName: 'email' };
    await fails(fake, 'VerifyUserAttribute', { ...verify, Code: '000000' }, 'CodeMismatchException');
    await ok(fake, 'VerifyUserAttribute', { ...verify, Code: '424242' });
    expect(await attributes()).toMatchObject({ email: 'new@example.org', email_verified: 'true' });
  });

  it('sends a fresh verification code on request and deletes attributes', async () => {
    const { fake, accessToken } = await signedIn();
    const sent = await ok(fake, 'GetUserAttributeVerificationCode', {
      AccessToken: accessToken,
      AttributeName: 'email',
    });
    expect(sent.CodeDeliveryDetails.AttributeName).toBe('email');
    await ok(fake, 'UpdateUserAttributes', {
      AccessToken: accessToken,
      UserAttributes: [{ Name: 'custom:team', Value: 'red' }],
    });
    await ok(fake, 'DeleteUserAttributes', { AccessToken: accessToken, UserAttributeNames: ['custom:team'] });
    expect(fake.getUser('alice')?.attributes['custom:team']).toBeUndefined();
  });

  it('refuses to write sub, *_verified and attributes outside the schema', async () => {
    const { fake, accessToken } = await signedIn();
    const update = (Name: string) => ({ AccessToken: accessToken, UserAttributes: [{ Name, Value: 'x' }] });
    await fails(fake, 'UpdateUserAttributes', update('sub'), 'InvalidParameterException');
    await fails(fake, 'UpdateUserAttributes', update('email_verified'), 'NotAuthorizedException');
    await fails(fake, 'UpdateUserAttributes', update('favourite_colour'), 'InvalidParameterException');
  });
});

describe('TOTP and MFA preference with an access token', () => {
  it('associates, verifies, then turns TOTP on as preferred', async () => {
    const { fake, accessToken } = await signedIn();
    const { SecretCode } = await ok(fake, 'AssociateSoftwareToken', { AccessToken: accessToken });
    await fails(
      fake,
      'VerifySoftwareToken',
      { AccessToken: accessToken, UserCode: 'abc' },
      'InvalidParameterException',
    );
    await ok(fake, 'VerifySoftwareToken', {
      AccessToken: accessToken,
      UserCode: totp(SecretCode),
      FriendlyDeviceName: 'x',
    });
    await ok(fake, 'SetUserMFAPreference', {
      AccessToken: accessToken,
      SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true },
    });

    expect(await ok(fake, 'GetUser', { AccessToken: accessToken })).toMatchObject({
      PreferredMfaSetting: 'SOFTWARE_TOKEN_MFA',
      UserMFASettingList: ['SOFTWARE_TOKEN_MFA'],
    });
    expect((await passwordAuth(fake, 'alice', 'Passw0rd!')).ChallengeName).toBe('SOFTWARE_TOKEN_MFA');
  });

  it('refuses to enable SMS without a phone number or TOTP without a verified token', async () => {
    const { fake, accessToken } = await signedIn();
    await fails(
      fake,
      'SetUserMFAPreference',
      { AccessToken: accessToken, SMSMfaSettings: { Enabled: true } },
      'InvalidParameterException',
    );
    await fails(
      fake,
      'SetUserMFAPreference',
      { AccessToken: accessToken, SoftwareTokenMfaSettings: { Enabled: true } },
      'InvalidParameterException',
    );
  });
});

describe('DeleteUser', () => {
  it('removes the user and invalidates its tokens', async () => {
    const { fake, accessToken } = await signedIn();
    await ok(fake, 'DeleteUser', { AccessToken: accessToken });
    expect(fake.getUser('alice')).toBeUndefined();
    await fails(fake, 'GetUser', { AccessToken: accessToken }, 'NotAuthorizedException');
  });
});

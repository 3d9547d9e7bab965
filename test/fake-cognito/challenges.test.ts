import { describe, expect, it } from 'vitest';
import { totp } from '../helpers/totp.js';
import { FakeCognito, type FakeCognitoOptions } from './index.js';
import { call, claims, fails, ok, passwordAuth, respond } from './test-client.js';

function pool(options: FakeCognitoOptions = {}) {
  return new FakeCognito(options);
}

function answer(
  fake: FakeCognito,
  challenge: { ChallengeName: string; Session: string },
  responses: Record<string, string>,
) {
  return call(fake, 'RespondToAuthChallenge', {
    ClientId: fake.clientId,
    ChallengeName: challenge.ChallengeName,
    Session: challenge.Session,
    ChallengeResponses: responses,
  });
}

describe('MFA', () => {
  it('offers SELECT_MFA_TYPE to a user with SMS and TOTP and no preference, then runs SMS_MFA', async () => {
    const fake = pool();
    fake.addUser({ username: 'alice', password: 'Passw0rd!', sms: true, totp: true });

    const select = await passwordAuth(fake, 'alice', 'Passw0rd!');
    expect(select).toMatchObject({
      ChallengeName: 'SELECT_MFA_TYPE',
      ChallengeParameters: { MFAS_CAN_CHOOSE: '["SMS_MFA","SOFTWARE_TOKEN_MFA"]', USERNAME: 'alice' },
    });

    const sms = await respond(fake, select, { USERNAME: 'alice', ANSWER: 'SMS_MFA' });
    expect(sms).toMatchObject({
      ChallengeName: 'SMS_MFA',
      ChallengeParameters: {
        CODE_DELIVERY_DESTINATION: '+*******1234',
        CODE_DELIVERY_DELIVERY_MEDIUM: 'SMS',
        USERNAME: 'alice',
      },
    });
    expect(sms.Session).not.toBe(select.Session);
    expect(fake.sentCodes).toEqual([
      expect.objectContaining({ username: 'alice', purpose: 'sms', destination: '+15555551234' }),
    ]);

    const wrong = await answer(fake, sms, { USERNAME: 'alice', SMS_MFA_CODE: '000000' });
    expect(wrong.json.__type).toBe('CodeMismatchException');
    const done = await respond(fake, sms, { USERNAME: 'alice', SMS_MFA_CODE: fake.lastCode('alice', 'sms') });
    expect(claims(done.AuthenticationResult.IdToken)['cognito:username']).toBe('alice');
  });

  it('goes straight to the preferred factor', async () => {
    const fake = pool();
    const { totpSecret = '' } = fake.addUser({
      username: 'bob',
      password: 'Passw0rd!',
      sms: true,
      totp: true,
      preferredMfa: 'TOTP',
    });

    const challenge = await passwordAuth(fake, 'bob', 'Passw0rd!');
    expect(challenge.ChallengeName).toBe('SOFTWARE_TOKEN_MFA');
    expect(
      (await answer(fake, challenge, { USERNAME: 'bob', SOFTWARE_TOKEN_MFA_CODE: '123456' })).json.__type,
    ).toBe('CodeMismatchException');
    await respond(fake, challenge, { USERNAME: 'bob', SOFTWARE_TOKEN_MFA_CODE: totp(totpSecret) });
  });

  it('skips MFA when the pool has it OFF', async () => {
    const fake = pool({ mfa: 'OFF' });
    fake.addUser({ username: 'carl', password: 'Passw0rd!', sms: true });
    expect((await passwordAuth(fake, 'carl', 'Passw0rd!')).AuthenticationResult).toBeDefined();
  });

  it('requires MFA_SETUP in an MFA ON pool: associate, verify, then respond', async () => {
    const fake = pool({ mfa: 'ON' });
    fake.addUser({ username: 'dina', password: 'Passw0rd!' });

    const setup = await passwordAuth(fake, 'dina', 'Passw0rd!');
    expect(setup).toMatchObject({
      ChallengeName: 'MFA_SETUP',
      ChallengeParameters: { MFAS_CAN_SETUP: '["SOFTWARE_TOKEN_MFA"]' },
    });
    expect((await answer(fake, setup, { USERNAME: 'dina' })).json.__type).toBe('InvalidParameterException');

    const associated = await ok(fake, 'AssociateSoftwareToken', { Session: setup.Session });
    expect(associated.SecretCode).toMatch(/^[A-Z2-7]+$/);
    await fails(fake, 'AssociateSoftwareToken', { Session: setup.Session }, 'NotAuthorizedException');
    await fails(
      fake,
      'VerifySoftwareToken',
      { Session: associated.Session, UserCode: '000000' },
      'EnableSoftwareTokenMFAException',
    );
    const verified = await ok(fake, 'VerifySoftwareToken', {
      Session: associated.Session,
      UserCode: totp(associated.SecretCode),
      FriendlyDeviceName: 'phone',
    });
    expect(verified).toEqual({ Status: 'SUCCESS', Session: expect.any(String) });

    const done = await respond(
      fake,
      { ChallengeName: 'MFA_SETUP', Session: verified.Session },
      { USERNAME: 'dina' },
    );
    expect(done.AuthenticationResult.AccessToken).toBeDefined();
    expect((await passwordAuth(fake, 'dina', 'Passw0rd!')).ChallengeName).toBe('SOFTWARE_TOKEN_MFA');
  });
});

describe('challenge sessions', () => {
  it('expire after challengeSessionTtlSeconds on the injected clock', async () => {
    let now = Date.UTC(2030, 0, 1);
    const fake = pool({ now: () => now, challengeSessionTtlSeconds: 180 });
    fake.addUser({ username: 'eve', password: 'Passw0rd!', sms: true });
    const challenge = await passwordAuth(fake, 'eve', 'Passw0rd!');

    now += 180_000;
    const expired = await answer(fake, challenge, {
      USERNAME: 'eve',
      SMS_MFA_CODE: fake.lastCode('eve', 'sms'),
    });

    expect(expired.status).toBe(400);
    expect(expired.json).toEqual({
      __type: 'NotAuthorizedException',
      message: 'Invalid session for the user, session is expired.',
    });
  });

  it('cannot be reused once answered, nor invented', async () => {
    const fake = pool();
    fake.addUser({ username: 'finn', password: 'Passw0rd!', sms: true });
    const challenge = await passwordAuth(fake, 'finn', 'Passw0rd!');
    const responses = { USERNAME: 'finn', SMS_MFA_CODE: fake.lastCode('finn', 'sms') };
    await respond(fake, challenge, responses);

    expect((await answer(fake, challenge, responses)).json.message).toBe(
      'Invalid session for the user, session is expired.',
    );
    expect((await answer(fake, { ...challenge, Session: 'AYABeforged' }, responses)).json.__type).toBe(
      'NotAuthorizedException',
    );
  });

  it('require USERNAME in ChallengeResponses and the session user', async () => {
    const fake = pool();
    fake.addUser({ username: 'gil', password: 'Passw0rd!', sms: true });
    fake.addUser({ username: 'hana', password: 'Passw0rd!' });
    const challenge = await passwordAuth(fake, 'gil', 'Passw0rd!');

    expect((await answer(fake, challenge, { SMS_MFA_CODE: '1' })).json.__type).toBe(
      'InvalidParameterException',
    );
    expect((await answer(fake, challenge, { USERNAME: 'hana', SMS_MFA_CODE: '1' })).json.__type).toBe(
      'NotAuthorizedException',
    );
  });
});

describe('NEW_PASSWORD_REQUIRED', () => {
  function forced(fake: FakeCognito) {
    fake.addUser({
      username: 'ivan',
      password: 'Temp-pass-1',
      status: 'FORCE_CHANGE_PASSWORD',
      attributes: { email: 'ivan@example.com', phone_number: '+15550001111' },
      requiredAttributes: ['name', 'email'],
    });
    return passwordAuth(fake, 'ivan', 'Temp-pass-1');
  }

  it('lists the user attributes and only the required attributes the user lacks', async () => {
    const fake = pool();
    const challenge = await forced(fake);
    expect(challenge.ChallengeName).toBe('NEW_PASSWORD_REQUIRED');
    expect(JSON.parse(challenge.ChallengeParameters.userAttributes)).toEqual({
      email: 'ivan@example.com',
      email_verified: 'true',
      phone_number: '+15550001111',
      phone_number_verified: 'true',
    });
    expect(challenge.ChallengeParameters.requiredAttributes).toBe('["userAttributes.name"]');
  });

  it.each(['email_verified', 'phone_number_verified', 'sub'])(
    'rejects the non-mutable userAttributes.%s',
    async (name) => {
      const fake = pool();
      const challenge = await forced(fake);
      const response = await answer(fake, challenge, {
        USERNAME: 'ivan',
        NEW_PASSWORD: 'New-pass-1',
        'userAttributes.name': 'Ivan',
        [`userAttributes.${name}`]: 'true',
      });
      expect(response.json.__type).toBe('InvalidParameterException');
    },
  );

  it('rejects a missing required attribute and a weak password, then accepts a retry on the same session', async () => {
    const fake = pool();
    const challenge = await forced(fake);

    const missing = await answer(fake, challenge, { USERNAME: 'ivan', NEW_PASSWORD: 'New-pass-1' });
    expect(missing.json.__type).toBe('InvalidParameterException');
    const weak = await answer(fake, challenge, {
      USERNAME: 'ivan',
      NEW_PASSWORD: 'short',
      'userAttributes.name': 'I',
    });
    expect(weak.json.__type).toBe('InvalidPasswordException');
    const done = await respond(fake, challenge, {
      USERNAME: 'ivan',
      NEW_PASSWORD: 'New-pass-1',
      'userAttributes.name': 'Ivan',
    });

    expect(claims(done.AuthenticationResult.IdToken).name).toBe('Ivan');
    expect(fake.getUser('ivan')?.status).toBe('CONFIRMED');
  });
});

describe('CUSTOM_AUTH', () => {
  it('issues CUSTOM_CHALLENGE straight from InitiateAuth and rejects a wrong answer', async () => {
    const fake = pool();
    fake.addUser({
      username: 'jo',
      password: 'Passw0rd!',
      customChallenge: { question: 'colour?', answer: 'blue' },
    });
    const start = () =>
      ok(fake, 'InitiateAuth', {
        AuthFlow: 'CUSTOM_AUTH',
        ClientId: fake.clientId,
        AuthParameters: { USERNAME: 'jo' },
      });

    const challenge = await start();
    expect(challenge).toMatchObject({
      ChallengeName: 'CUSTOM_CHALLENGE',
      ChallengeParameters: { question: 'colour?', USERNAME: 'jo' },
    });
    expect((await answer(fake, challenge, { USERNAME: 'jo', ANSWER: 'red' })).json.__type).toBe(
      'NotAuthorizedException',
    );
    const again = await start();
    expect(
      (await respond(fake, again, { USERNAME: 'jo', ANSWER: 'blue' })).AuthenticationResult,
    ).toBeDefined();
  });

  it('follows the password check in the SRP / password flows for a user with a custom challenge', async () => {
    const fake = pool();
    fake.addUser({ username: 'kim', password: 'Passw0rd!', customChallenge: { question: 'q', answer: 'a' } });
    expect((await passwordAuth(fake, 'kim', 'Passw0rd!')).ChallengeName).toBe('CUSTOM_CHALLENGE');
  });
});

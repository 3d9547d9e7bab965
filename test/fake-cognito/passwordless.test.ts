// The fake's USER_AUTH protocol, checked request by request against Cognito's API reference
// (InitiateAuth, RespondToAuthChallenge's ChallengeResponseType, SignUp / ConfirmSignUp Session,
// the WebAuthn operations). Its WebAuthn verification is proven against a real authenticator
// (Chromium's) in test/browser/passkeys.test.ts.
import { describe, expect, it } from 'vitest';
import { FakeCognito, type FakeCognitoOptions, storedPasskey } from './index.js';
import { claims, fails, ok, respond } from './test-client.js';

function pool(options: FakeCognitoOptions = {}) {
  const fake = new FakeCognito({ code: '12345678', ...options });
  fake.addUser({ username: 'alice', password: 'Passw0rd!', attributes: { email: 'alice@example.com' } });
  return fake;
}

const userAuth = (fake: FakeCognito, parameters: Record<string, string>, extra: object = {}) =>
  ok(fake, 'InitiateAuth', {
    AuthFlow: 'USER_AUTH',
    ClientId: fake.clientId,
    AuthParameters: parameters,
    ...extra,
  });

describe('InitiateAuth USER_AUTH', () => {
  it('without a preference: SELECT_CHALLENGE with AvailableChallenges beside the Session', async () => {
    const fake = pool();
    const answer = await userAuth(fake, { USERNAME: 'alice' });
    expect(answer).toEqual({
      ChallengeName: 'SELECT_CHALLENGE',
      Session: expect.stringMatching(/^AYABe/),
      ChallengeParameters: { USERNAME: 'alice' },
      AvailableChallenges: ['PASSWORD', 'PASSWORD_SRP', 'EMAIL_OTP'],
    });
  });

  it('a preference the user cannot use falls back to the selection', async () => {
    const fake = pool();
    const answer = await userAuth(fake, { USERNAME: 'alice', PREFERRED_CHALLENGE: 'WEB_AUTHN' });
    expect(answer.ChallengeName).toBe('SELECT_CHALLENGE');
    expect(fake.count()).toBe(1);
  });

  it('EMAIL_OTP sends a code to the outbox; four wrong codes leave the session answerable', async () => {
    const fake = pool();
    const challenge = await userAuth(fake, { USERNAME: 'alice', PREFERRED_CHALLENGE: 'EMAIL_OTP' });
    expect(challenge.ChallengeParameters).toEqual({
      CODE_DELIVERY_DELIVERY_MEDIUM: 'EMAIL',
      CODE_DELIVERY_DESTINATION: 'a***@e***',
      USERNAME: 'alice',
    });
    expect(fake.lastCode('alice', 'emailOtp')).toBe('12345678');
    const wrong = { ClientId: fake.clientId, ChallengeName: 'EMAIL_OTP', Session: challenge.Session };
    for (let attempt = 0; attempt < 4; attempt++) {
      await fails(
        fake,
        'RespondToAuthChallenge',
        { ...wrong, ChallengeResponses: { USERNAME: 'alice', EMAIL_OTP_CODE: '0' } },
        'CodeMismatchException',
      );
    }
    const done = await respond(fake, challenge, { USERNAME: 'alice', EMAIL_OTP_CODE: '12345678' });
    expect(claims(done.AuthenticationResult.IdToken).email).toBe('alice@example.com');
  });

  it('SELECT_CHALLENGE refuses a factor it did not offer, and takes PASSWORD with the password', async () => {
    const fake = pool();
    const select = await userAuth(fake, { USERNAME: 'alice' });
    await fails(
      fake,
      'RespondToAuthChallenge',
      {
        ClientId: fake.clientId,
        ChallengeName: 'SELECT_CHALLENGE',
        Session: select.Session,
        ChallengeResponses: { USERNAME: 'alice', ANSWER: 'SMS_OTP' },
      },
      'InvalidParameterException',
    );
    const done = await respond(fake, select, {
      USERNAME: 'alice',
      ANSWER: 'PASSWORD',
      PASSWORD: 'Passw0rd!',
    });
    expect(done.AuthenticationResult.AccessToken).toEqual(expect.any(String));
  });

  it('WEB_AUTHN: CREDENTIAL_REQUEST_OPTIONS is a JSON string of PublicKeyCredentialRequestOptionsJSON', async () => {
    const fake = pool({ webAuthnUserVerification: 'required' });
    fake.getUser('alice')?.passkeys.push(storedPasskey());
    const challenge = await userAuth(fake, { USERNAME: 'alice', PREFERRED_CHALLENGE: 'WEB_AUTHN' });
    expect(challenge.ChallengeName).toBe('WEB_AUTHN');
    expect(JSON.parse(challenge.ChallengeParameters.CREDENTIAL_REQUEST_OPTIONS)).toEqual({
      challenge: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      rpId: 'localhost',
      timeout: 180_000,
      userVerification: 'required',
      allowCredentials: [{ id: 'AQIDBA', type: 'public-key', transports: ['internal'] }],
    });
    await fails(
      fake,
      'RespondToAuthChallenge',
      {
        ClientId: fake.clientId,
        ChallengeName: 'WEB_AUTHN',
        Session: challenge.Session,
        ChallengeResponses: {
          USERNAME: 'alice',
          CREDENTIAL: JSON.stringify({
            id: 'AQIDBA',
            response: {
              clientDataJSON: 'eyJ0eXBlIjoid2ViYXV0aG4uZ2V0Iiwib3JpZ2luIjoiaHR0cDovL2xvY2FsaG9zdDozMDAwIn0',
            },
          }),
        },
      },
      'NotAuthorizedException',
    );
  });
});

describe('sign-in after sign-up', () => {
  it('SignUp Session → ConfirmSignUp Session → InitiateAuth USER_AUTH with it: tokens, once', async () => {
    const fake = pool();
    const signUp = await ok(fake, 'SignUp', {
      ClientId: fake.clientId,
      Username: 'bob',
      UserAttributes: [{ Name: 'email', Value: 'bob@example.com' }],
    });
    expect(fake.getUser('bob')?.passwordless).toBe(true);
    const confirmed = await ok(fake, 'ConfirmSignUp', {
      ClientId: fake.clientId,
      Username: 'bob',
      ConfirmationCode: '12345678',
      Session: signUp.Session,
    });
    expect(confirmed.Session).toMatch(/^AYABe/);
    const signIn = { USERNAME: 'bob' };
    const tokens = await userAuth(fake, signIn, { Session: confirmed.Session });
    expect(claims(tokens.AuthenticationResult.IdToken)['cognito:username']).toBe('bob');
    await fails(
      fake,
      'InitiateAuth',
      { AuthFlow: 'USER_AUTH', ClientId: fake.clientId, AuthParameters: signIn, Session: confirmed.Session },
      'NotAuthorizedException',
    );
    // Signed up without a password: the PASSWORD factors are not offered.
    expect((await userAuth(fake, signIn)).AvailableChallenges).toEqual(['EMAIL_OTP']);
  });

  it("another user's session does not sign in", async () => {
    const fake = pool();
    const signUp = await ok(fake, 'SignUp', {
      ClientId: fake.clientId,
      Username: 'bob',
      UserAttributes: [{ Name: 'email', Value: 'b@example.com' }],
    });
    const confirmed = await ok(fake, 'ConfirmSignUp', {
      ClientId: fake.clientId,
      Username: 'bob',
      ConfirmationCode: '12345678',
      Session: signUp.Session,
    });
    await fails(
      fake,
      'InitiateAuth',
      {
        AuthFlow: 'USER_AUTH',
        ClientId: fake.clientId,
        AuthParameters: { USERNAME: 'alice' },
        Session: confirmed.Session,
      },
      'NotAuthorizedException',
    );
  });
});

describe('WebAuthn registration', () => {
  it('StartWebAuthnRegistration hands out PublicKeyCredentialCreationOptionsJSON for rp localhost', async () => {
    const fake = pool();
    const tokens = await userAuth(fake, {
      USERNAME: 'alice',
      PREFERRED_CHALLENGE: 'PASSWORD',
      PASSWORD: 'Passw0rd!',
    });
    const started = await ok(fake, 'StartWebAuthnRegistration', {
      AccessToken: tokens.AuthenticationResult.AccessToken,
    });
    expect(started.CredentialCreationOptions).toMatchObject({
      rp: { id: 'localhost' },
      user: { id: expect.any(String), name: 'alice@example.com' },
      challenge: expect.any(String),
      pubKeyCredParams: expect.arrayContaining([{ alg: -7, type: 'public-key' }]),
      authenticatorSelection: { residentKey: 'required', userVerification: 'preferred' },
    });
    await fails(
      fake,
      'CompleteWebAuthnRegistration',
      {
        AccessToken: tokens.AuthenticationResult.AccessToken,
        Credential: { id: 'x', response: { clientDataJSON: 'e30' } },
      },
      'WebAuthnOriginNotAllowedException',
    );
  });
});

describe('DEVICE_KEY on USER_AUTH', () => {
  it('an unknown key is refused at InitiateAuth (no code sent) and in an answer (the session stays answerable)', async () => {
    const fake = pool({ deviceTracking: 'always' });
    await fails(
      fake,
      'InitiateAuth',
      {
        AuthFlow: 'USER_AUTH',
        ClientId: fake.clientId,
        AuthParameters: { USERNAME: 'alice', PREFERRED_CHALLENGE: 'EMAIL_OTP', DEVICE_KEY: 'us-east-1_gone' },
      },
      'ResourceNotFoundException',
    );
    expect(fake.sentCodes).toEqual([]);
    const challenge = await userAuth(fake, { USERNAME: 'alice', PREFERRED_CHALLENGE: 'EMAIL_OTP' });
    const answer = { USERNAME: 'alice', EMAIL_OTP_CODE: '12345678' };
    await fails(
      fake,
      'RespondToAuthChallenge',
      {
        ClientId: fake.clientId,
        ChallengeName: 'EMAIL_OTP',
        Session: challenge.Session,
        ChallengeResponses: { ...answer, DEVICE_KEY: 'us-east-1_gone' },
      },
      'ResourceNotFoundException',
    );
    const done = await respond(fake, challenge, answer);
    // No key: a new device, announced with the tokens.
    expect(done.AuthenticationResult.NewDeviceMetadata).toEqual({
      DeviceKey: expect.stringMatching(/^us-east-1_/),
      DeviceGroupKey: expect.any(String),
    });
  });
});

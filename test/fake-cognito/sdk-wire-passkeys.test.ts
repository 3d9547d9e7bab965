// The fake's email MFA, sign-up Session and WebAuthn wire shapes, proven against the AWS SDK v3
// as in sdk-wire.test.ts: typed outputs, raw answers without members Cognito's model lacks, and
// cognito-kit's request bodies beside the SDK's. A software authenticator (ES256, attestation
// none) makes the passkeys for both clients.
import {
  CompleteWebAuthnRegistrationCommand,
  ConfirmSignUpCommand,
  DeleteWebAuthnCredentialCommand,
  ListWebAuthnCredentialsCommand,
  SetUserMFAPreferenceCommand,
  SignUpCommand,
  StartWebAuthnRegistrationCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { describe, expect, it, vi } from 'vitest';
import { SoftAuthenticator } from '../helpers/soft-authenticator.js';
import { expectTokens, initiate, PASSWORD, respond, setup, shape } from './sdk-wire-support.js';

describe('email MFA, read by the AWS SDK', () => {
  it('SetUserMFAPreference EmailMfaSettings, then EMAIL_OTP after the password', async () => {
    const { fake, sdk, kit, take } = await setup({ emailMfa: true });
    const signedIn = await sdk.send(
      initiate(fake, { USERNAME: 'alice', PREFERRED_CHALLENGE: 'PASSWORD', PASSWORD }),
    );
    await sdk.send(
      new SetUserMFAPreferenceCommand({
        AccessToken: signedIn.AuthenticationResult?.AccessToken,
        EmailMfaSettings: { Enabled: true, PreferredMfa: true },
      }),
    );
    expect(fake.getUser('alice')).toMatchObject({ emailMfaEnabled: true, preferredMfa: 'EMAIL' });
    const mfa = await sdk.send(
      initiate(fake, { USERNAME: 'alice', PREFERRED_CHALLENGE: 'PASSWORD', PASSWORD }),
    );
    expect(mfa.ChallengeName).toBe('EMAIL_OTP');
    expect(mfa.ChallengeParameters).toEqual({
      CODE_DELIVERY_DELIVERY_MEDIUM: 'EMAIL',
      CODE_DELIVERY_DESTINATION: 'a***@e***',
      USERNAME: 'alice',
    });
    expectTokens(
      await sdk.send(
        respond(fake, mfa, 'EMAIL_OTP', {
          USERNAME: 'alice',
          EMAIL_OTP_CODE: fake.lastCode('alice', 'emailOtp'),
        }),
      ),
    );
    const sdkRequests = take().slice(2);

    const client = kit();
    const step = await client.signIn({
      username: 'alice',
      password: PASSWORD,
      authFlow: 'USER_AUTH',
      preferredChallenge: 'PASSWORD',
    });
    expect(step.nextStep.signInStep).toBe('CONFIRM_SIGN_IN_WITH_EMAIL_CODE');
    expect(
      (await client.confirmSignIn({ challengeResponse: fake.lastCode('alice', 'emailOtp') })).isSignedIn,
    ).toBe(true);
    expect(shape(take())).toEqual(shape(sdkRequests));
  });

  it('MFA_SETUP with EMAIL: MFAS_CAN_SETUP offers EMAIL_OTP, the address answers, its code finishes', async () => {
    const { fake, sdk, kit, take } = await setup({ emailMfa: true, mfa: 'ON' });
    const setupChallenge = await sdk.send(
      initiate(fake, { USERNAME: 'alice', PREFERRED_CHALLENGE: 'PASSWORD', PASSWORD }),
    );
    expect(setupChallenge.ChallengeName).toBe('MFA_SETUP');
    expect(JSON.parse(setupChallenge.ChallengeParameters?.MFAS_CAN_SETUP ?? '')).toEqual([
      'SOFTWARE_TOKEN_MFA',
      'EMAIL_OTP',
    ]);
    const code = await sdk.send(
      respond(fake, setupChallenge, 'MFA_SETUP', { USERNAME: 'alice', EMAIL: 'alice@example.org' }),
    );
    expect(code.ChallengeName).toBe('EMAIL_OTP');
    expect(code.ChallengeParameters?.CODE_DELIVERY_DESTINATION).toBe('a***@e***');
    expectTokens(
      await sdk.send(
        respond(fake, code, 'EMAIL_OTP', {
          USERNAME: 'alice',
          EMAIL_OTP_CODE: fake.lastCode('alice', 'emailOtp'),
        }),
      ),
    );
    expect(fake.getUser('alice')?.attributes.email).toBe('alice@example.org');
    const sdkRequests = take();

    const alice = fake.getUser('alice');
    if (alice) alice.emailMfaEnabled = false;
    const client = kit();
    const first = await client.signIn({
      username: 'alice',
      password: PASSWORD,
      authFlow: 'USER_AUTH',
      preferredChallenge: 'PASSWORD',
    });
    expect(first.nextStep).toEqual({
      signInStep: 'CONTINUE_SIGN_IN_WITH_MFA_SETUP_SELECTION',
      allowedMfaTypes: ['EMAIL', 'TOTP'],
    });
    await client.confirmSignIn({ challengeResponse: 'EMAIL' });
    await client.confirmSignIn({ challengeResponse: 'alice@example.org' });
    expect(
      (await client.confirmSignIn({ challengeResponse: fake.lastCode('alice', 'emailOtp') })).isSignedIn,
    ).toBe(true);
    expect(shape(take())).toEqual(shape(sdkRequests));
  });
});

describe('SignUp without a password and the Session sign-in, read by the AWS SDK', () => {
  it('SignUp → Session; ConfirmSignUp with it → Session; InitiateAuth USER_AUTH with that → tokens', async () => {
    const { fake, sdk, kit, take } = await setup();
    const signedUp = await sdk.send(
      new SignUpCommand({
        ClientId: fake.clientId,
        Username: 'bob',
        UserAttributes: [{ Name: 'email', Value: 'bob@example.com' }],
      }),
    );
    expect(signedUp).toMatchObject({
      UserConfirmed: false,
      UserSub: fake.getUser('bob')?.sub,
      CodeDeliveryDetails: { Destination: 'b***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' },
      Session: expect.any(String),
    });
    const confirmed = await sdk.send(
      new ConfirmSignUpCommand({
        ClientId: fake.clientId,
        Username: 'bob',
        ConfirmationCode: fake.lastCode('bob', 'signUp'),
        Session: signedUp.Session,
      }),
    );
    expect(confirmed.Session).toEqual(expect.any(String));
    expectTokens(await sdk.send(initiate(fake, { USERNAME: 'bob' }, confirmed.Session)));
    const sdkRequests = take();

    const client = kit();
    await client.signUp({ username: 'carol', attributes: { email: 'carol@example.com' }, autoSignIn: true });
    const result = await client.confirmSignUp({ username: 'carol', code: fake.lastCode('carol', 'signUp') });
    expect(result).toMatchObject({ signInResult: { isSignedIn: true } });
    expect(shape(take(), { carol: 'bob', 'carol@example.com': 'bob@example.com' })).toEqual(
      shape(sdkRequests),
    );
  });
});

describe('WebAuthn, read by the AWS SDK', () => {
  it('register, list, sign in with WEB_AUTHN (preferred and selected), delete; cognito-kit sends the same', async () => {
    const { fake, sdk, kit, take } = await setup();
    const authenticator = new SoftAuthenticator();
    const tokens = await sdk.send(
      initiate(fake, { USERNAME: 'alice', PREFERRED_CHALLENGE: 'PASSWORD', PASSWORD }),
    );
    const AccessToken = tokens.AuthenticationResult?.AccessToken;
    const started = await sdk.send(new StartWebAuthnRegistrationCommand({ AccessToken }));
    const options = started.CredentialCreationOptions as Record<string, never>;
    expect(options).toMatchObject({
      rp: { id: 'localhost' },
      user: { id: expect.any(String), name: 'alice@example.com' },
      challenge: expect.stringMatching(/^[A-Za-z0-9_-]+$/),
      pubKeyCredParams: expect.arrayContaining([{ alg: -7, type: 'public-key' }]),
    });
    const credential = authenticator.register(options);
    await sdk.send(new CompleteWebAuthnRegistrationCommand({ AccessToken, Credential: credential as never }));
    const listed = await sdk.send(new ListWebAuthnCredentialsCommand({ AccessToken, MaxResults: 20 }));
    expect(listed.Credentials).toEqual([
      {
        CredentialId: credential.id,
        FriendlyCredentialName: 'Passkey',
        RelyingPartyId: 'localhost',
        AuthenticatorAttachment: 'platform',
        AuthenticatorTransports: ['internal'],
        CreatedAt: expect.any(Date),
      },
    ]);
    expect(listed.NextToken).toBeUndefined();

    const challenge = await sdk.send(initiate(fake, { USERNAME: 'alice', PREFERRED_CHALLENGE: 'WEB_AUTHN' }));
    expect(challenge.ChallengeName).toBe('WEB_AUTHN');
    const requestOptions = JSON.parse(challenge.ChallengeParameters?.CREDENTIAL_REQUEST_OPTIONS ?? '');
    expect(requestOptions).toMatchObject({
      rpId: 'localhost',
      allowCredentials: [{ id: credential.id, type: 'public-key' }],
    });
    const assertion = JSON.stringify(authenticator.assert(requestOptions));
    expectTokens(
      await sdk.send(respond(fake, challenge, 'WEB_AUTHN', { USERNAME: 'alice', CREDENTIAL: assertion })),
    );
    const select = await sdk.send(initiate(fake, { USERNAME: 'alice' }));
    expect(select.AvailableChallenges).toContain('WEB_AUTHN');
    const selected = await sdk.send(
      respond(fake, select, 'SELECT_CHALLENGE', { USERNAME: 'alice', ANSWER: 'WEB_AUTHN' }),
    );
    expect(selected.ChallengeName).toBe('WEB_AUTHN');
    const selectedOptions = JSON.parse(selected.ChallengeParameters?.CREDENTIAL_REQUEST_OPTIONS ?? '');
    expectTokens(
      await sdk.send(
        respond(fake, selected, 'WEB_AUTHN', {
          USERNAME: 'alice',
          CREDENTIAL: JSON.stringify(authenticator.assert(selectedOptions)),
        }),
      ),
    );
    await sdk.send(new DeleteWebAuthnCredentialCommand({ AccessToken, CredentialId: String(credential.id) }));
    expect((await sdk.send(new ListWebAuthnCredentialsCommand({ AccessToken }))).Credentials).toEqual([]);
    const sdkRequests = take().slice(1);

    // cognito-kit, with the same authenticator standing in for navigator.credentials
    vi.stubGlobal('PublicKeyCredential', class {});
    vi.stubGlobal('navigator', { credentials: authenticator.credentials() });
    const client = kit();
    await client.signIn({
      username: 'alice',
      password: PASSWORD,
      authFlow: 'USER_AUTH',
      preferredChallenge: 'PASSWORD',
    });
    take();
    await client.registerPasskey();
    const { passkeys } = await client.listPasskeys({ limit: 20 });
    expect(passkeys).toEqual([
      expect.objectContaining({
        credentialId: authenticator.keys[1] && Buffer.from(authenticator.keys[1].id).toString('base64url'),
      }),
    ]);
    const passkeyId = passkeys[0]?.credentialId ?? '';
    expect(
      (await kit().signIn({ username: 'alice', authFlow: 'USER_AUTH', preferredChallenge: 'WEB_AUTHN' }))
        .isSignedIn,
    ).toBe(true);
    const viaSelection = kit();
    await viaSelection.signIn({ username: 'alice', authFlow: 'USER_AUTH' });
    expect((await viaSelection.confirmSignIn({ challengeResponse: 'WEB_AUTHN' })).isSignedIn).toBe(true);
    await client.deletePasskey({ credentialId: passkeyId });
    await client.listPasskeys();
    const ours = take();
    expect(shape(ours, { [passkeyId]: 'ID' })).toEqual(shape(sdkRequests, { [String(credential.id)]: 'ID' }));
    // What both sent as the assertion is an AuthenticationResponseJSON the fake verified.
    const ourAssertion = JSON.parse(
      ours.find((r) => r.body.ChallengeName === 'WEB_AUTHN')?.body.ChallengeResponses.CREDENTIAL,
    );
    expect(Object.keys(ourAssertion).sort()).toEqual(Object.keys(JSON.parse(assertion)).sort());
  });
});

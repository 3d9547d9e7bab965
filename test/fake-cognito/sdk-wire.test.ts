// The fake's USER_AUTH sign-in wire shapes (selection, codes, PASSWORD, PASSWORD_SRP), proven
// against an independent client: the AWS SDK v3 (@aws-sdk/client-cognito-identity-provider), whose
// serializers and deserializers follow Cognito's own service model. A field the fake names wrongly
// comes out of the SDK as undefined; a request body the SDK builds is what Cognito receives. Where
// cognito-kit takes the same step, its request body is checked against the SDK's. Email MFA,
// sign-up's Session and WebAuthn: sdk-wire-passkeys.test.ts.
import { describe, expect, it } from 'vitest';
import { startSrp } from '../../src/internal/srp.js';
import { expectTokens, initiate, PASSWORD, respond, setup, shape } from './sdk-wire-support.js';

describe('InitiateAuth USER_AUTH, read by the AWS SDK', () => {
  it('without PREFERRED_CHALLENGE: SELECT_CHALLENGE, AvailableChallenges typed, the same request as cognito-kit', async () => {
    const { fake, sdk, kit, take, url } = await setup();
    const answer = await sdk.send(initiate(fake, { USERNAME: 'alice' }));
    expect(answer.ChallengeName).toBe('SELECT_CHALLENGE');
    expect(answer.AvailableChallenges).toEqual(['PASSWORD', 'PASSWORD_SRP', 'EMAIL_OTP', 'SMS_OTP']);
    expect(answer.ChallengeParameters).toEqual({ USERNAME: 'alice' });
    expect(answer.Session).toEqual(expect.any(String));
    expect(answer.AuthenticationResult).toBeUndefined();
    const sdkRequests = take();
    expect(sdkRequests[0]?.body).toEqual({
      AuthFlow: 'USER_AUTH',
      ClientId: fake.clientId,
      AuthParameters: { USERNAME: 'alice' },
    });
    // Cognito's model marks the public-client operations auth-less: the SDK signs none of them. A
    // client that signs anyway (SigV4) is answered all the same.
    expect(sdkRequests[0]?.headers.authorization).toBeUndefined();
    const signed = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'AWSCognitoIdentityProviderService.InitiateAuth',
        'x-amz-date': '20261201T000000Z',
        authorization:
          'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261201/us-east-1/cognito-idp/aws4_request, SignedHeaders=host;x-amz-date, Signature=00',
      },
      body: JSON.stringify(sdkRequests[0]?.body),
    });
    expect(signed.status).toBe(200);
    fake.requests.length = 0;

    const ours = await kit().signIn({ username: 'alice', authFlow: 'USER_AUTH' });
    expect(ours.nextStep).toEqual({
      signInStep: 'CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION',
      availableChallenges: answer.AvailableChallenges,
    });
    expect(shape(take())).toEqual(shape(sdkRequests));
  });

  it('SELECT_CHALLENGE → EMAIL_OTP: code delivery parameters, EMAIL_OTP_CODE from the outbox, tokens', async () => {
    const { fake, sdk, kit, take } = await setup();
    const select = await sdk.send(initiate(fake, { USERNAME: 'alice' }));
    const challenge = await sdk.send(
      respond(fake, select, 'SELECT_CHALLENGE', { USERNAME: 'alice', ANSWER: 'EMAIL_OTP' }),
    );
    expect(challenge.ChallengeName).toBe('EMAIL_OTP');
    expect(challenge.ChallengeParameters).toEqual({
      CODE_DELIVERY_DELIVERY_MEDIUM: 'EMAIL',
      CODE_DELIVERY_DESTINATION: 'a***@e***',
      USERNAME: 'alice',
    });
    const wrong = await sdk
      .send(respond(fake, challenge, 'EMAIL_OTP', { USERNAME: 'alice', EMAIL_OTP_CODE: '00000000' }))
      .catch((error: unknown) => error);
    expect(wrong).toMatchObject({ name: 'CodeMismatchException', $metadata: { httpStatusCode: 400 } });
    const done = await sdk.send(
      respond(fake, challenge, 'EMAIL_OTP', {
        USERNAME: 'alice',
        EMAIL_OTP_CODE: fake.lastCode('alice', 'emailOtp'),
      }),
    );
    expect(done.ChallengeName).toBeUndefined();
    expectTokens(done);
    const sdkRequests = take().filter(
      (request) => request.body.ChallengeResponses?.EMAIL_OTP_CODE !== '00000000',
    );

    const client = kit();
    await client.signIn({ username: 'alice', authFlow: 'USER_AUTH' });
    const step = await client.confirmSignIn({ challengeResponse: 'EMAIL_OTP' });
    expect(step.nextStep).toEqual({
      signInStep: 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE',
      codeDelivery: { deliveryMedium: 'EMAIL', destination: 'a***@e***', attributeName: 'email' },
    });
    const ours = await client.confirmSignIn({ challengeResponse: fake.lastCode('alice', 'emailOtp') });
    expect(ours.isSignedIn).toBe(true);
    expect(shape(take())).toEqual(shape(sdkRequests));
  });

  it('SELECT_CHALLENGE → SMS_OTP: SMS_OTP_CODE from the outbox, tokens', async () => {
    const { fake, sdk, kit, take } = await setup();
    const select = await sdk.send(initiate(fake, { USERNAME: 'alice' }));
    const challenge = await sdk.send(
      respond(fake, select, 'SELECT_CHALLENGE', { USERNAME: 'alice', ANSWER: 'SMS_OTP' }),
    );
    expect(challenge.ChallengeName).toBe('SMS_OTP');
    expect(challenge.ChallengeParameters).toEqual({
      CODE_DELIVERY_DELIVERY_MEDIUM: 'SMS',
      CODE_DELIVERY_DESTINATION: '+*******0100',
      USERNAME: 'alice',
    });
    const done = await sdk.send(
      respond(fake, challenge, 'SMS_OTP', {
        USERNAME: 'alice',
        SMS_OTP_CODE: fake.lastCode('alice', 'smsOtp'),
      }),
    );
    expectTokens(done);
    const sdkRequests = take();

    const client = kit();
    await client.signIn({ username: 'alice', authFlow: 'USER_AUTH' });
    await client.confirmSignIn({ challengeResponse: 'SMS_OTP' });
    const ours = await client.confirmSignIn({ challengeResponse: fake.lastCode('alice', 'smsOtp') });
    expect(ours.isSignedIn).toBe(true);
    expect(shape(take())).toEqual(shape(sdkRequests));
  });

  it('PREFERRED_CHALLENGE EMAIL_OTP starts the code at once', async () => {
    const { fake, sdk, kit, take } = await setup();
    const challenge = await sdk.send(initiate(fake, { USERNAME: 'alice', PREFERRED_CHALLENGE: 'EMAIL_OTP' }));
    expect(challenge.ChallengeName).toBe('EMAIL_OTP');
    expect(challenge.AvailableChallenges).toBeUndefined();
    expect(challenge.ChallengeParameters?.CODE_DELIVERY_DELIVERY_MEDIUM).toBe('EMAIL');
    const sdkRequests = take();

    const ours = await kit().signIn({
      username: 'alice',
      authFlow: 'USER_AUTH',
      preferredChallenge: 'EMAIL_OTP',
    });
    expect(ours.nextStep.signInStep).toBe('CONFIRM_SIGN_IN_WITH_EMAIL_CODE');
    expect(shape(take())).toEqual(shape(sdkRequests));
  });

  it('PASSWORD, preferred and selected: tokens, the password in AuthParameters or ChallengeResponses', async () => {
    const { fake, sdk, kit, take } = await setup();
    expectTokens(
      await sdk.send(initiate(fake, { USERNAME: 'alice', PREFERRED_CHALLENGE: 'PASSWORD', PASSWORD })),
    );
    const select = await sdk.send(initiate(fake, { USERNAME: 'alice' }));
    expectTokens(
      await sdk.send(
        respond(fake, select, 'SELECT_CHALLENGE', { USERNAME: 'alice', ANSWER: 'PASSWORD', PASSWORD }),
      ),
    );
    const sdkRequests = take();

    const preferred = await kit().signIn({
      username: 'alice',
      password: PASSWORD,
      authFlow: 'USER_AUTH',
      preferredChallenge: 'PASSWORD',
    });
    expect(preferred.isSignedIn).toBe(true);
    const client = kit();
    await client.signIn({ username: 'alice', authFlow: 'USER_AUTH' });
    expect((await client.confirmSignIn({ challengeResponse: 'PASSWORD' })).nextStep).toEqual({
      signInStep: 'CONFIRM_SIGN_IN_WITH_PASSWORD',
    });
    expect((await client.confirmSignIn({ challengeResponse: PASSWORD })).isSignedIn).toBe(true);
    expect(shape(take())).toEqual(shape(sdkRequests));
  });

  it('PASSWORD_SRP, preferred and selected: PASSWORD_VERIFIER parameters typed, the claim accepted', async () => {
    const { fake, sdk, kit, take } = await setup();
    const poolName = fake.userPoolId.split('_')[1] ?? '';
    const verify = async (
      challenge: { Session?: string | undefined; ChallengeParameters?: Record<string, string> | undefined },
      srp: Awaited<ReturnType<typeof startSrp>>,
    ) => {
      const parameters = challenge.ChallengeParameters ?? {};
      expect(parameters).toEqual({
        SALT: expect.stringMatching(/^[0-9a-f]+$/),
        SECRET_BLOCK: expect.any(String),
        SRP_B: expect.stringMatching(/^[0-9a-f]+$/),
        USER_ID_FOR_SRP: 'alice',
        USERNAME: 'alice',
      });
      const claim = await srp.claim({
        userIdForSrp: String(parameters.USER_ID_FOR_SRP),
        password: PASSWORD,
        srpB: String(parameters.SRP_B),
        salt: String(parameters.SALT),
        secretBlock: String(parameters.SECRET_BLOCK),
      });
      return sdk.send(respond(fake, challenge, 'PASSWORD_VERIFIER', { USERNAME: 'alice', ...claim }));
    };
    const preferredSrp = await startSrp(poolName);
    const preferred = await sdk.send(
      initiate(fake, { USERNAME: 'alice', PREFERRED_CHALLENGE: 'PASSWORD_SRP', SRP_A: preferredSrp.largeA }),
    );
    expect(preferred.ChallengeName).toBe('PASSWORD_VERIFIER');
    expectTokens(await verify(preferred, preferredSrp));
    const selectSrp = await startSrp(poolName);
    const select = await sdk.send(initiate(fake, { USERNAME: 'alice' }));
    const selected = await sdk.send(
      respond(fake, select, 'SELECT_CHALLENGE', {
        USERNAME: 'alice',
        ANSWER: 'PASSWORD_SRP',
        SRP_A: selectSrp.largeA,
      }),
    );
    expect(selected.ChallengeName).toBe('PASSWORD_VERIFIER');
    expectTokens(await verify(selected, selectSrp));
    const sdkRequests = take();

    expect(
      (await kit().signIn({ username: 'alice', password: PASSWORD, authFlow: 'USER_AUTH' })).isSignedIn,
    ).toBe(true);
    const client = kit();
    await client.signIn({ username: 'alice', authFlow: 'USER_AUTH' });
    await client.confirmSignIn({ challengeResponse: 'PASSWORD_SRP' });
    expect((await client.confirmSignIn({ challengeResponse: PASSWORD })).isSignedIn).toBe(true);
    expect(shape(take())).toEqual(shape(sdkRequests));
  });
});

// The fake's USER_AUTH, email MFA, sign-up Session and WebAuthn wire shapes, proven against an
// independent client: the AWS SDK v3 (@aws-sdk/client-cognito-identity-provider), whose
// serializers and deserializers follow Cognito's own service model. A field the fake names wrongly
// comes out of the SDK as undefined; a request body the SDK builds is what Cognito receives. Where
// cognito-kit takes the same step, its request body is checked against the SDK's.
import {
  CognitoIdentityProviderClient,
  CompleteWebAuthnRegistrationCommand,
  ConfirmSignUpCommand,
  DeleteWebAuthnCredentialCommand,
  InitiateAuthCommand,
  type InitiateAuthCommandOutput,
  ListWebAuthnCredentialsCommand,
  RespondToAuthChallengeCommand,
  SetUserMFAPreferenceCommand,
  SignUpCommand,
  StartWebAuthnRegistrationCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CognitoClient, memoryStorage } from '../../src/index.js';
import { startSrp } from '../../src/internal/srp.js';
import { SoftAuthenticator } from '../helpers/soft-authenticator.js';
import {
  FakeCognito,
  type FakeCognitoOptions,
  type RecordedRequest,
  type ServedResponse,
  startFakeCognitoServer,
} from './index.js';

const PASSWORD = 'Passw0rd!';
const closers: (() => Promise<void>)[] = [];

afterEach(async () => {
  vi.unstubAllGlobals();
  for (const close of closers.splice(0)) await close();
});

/** A fake on real HTTP, the SDK pointed at it (SigV4 credentials it may sign with), and cognito-kit. */
async function setup(options: FakeCognitoOptions = {}) {
  const fake = new FakeCognito({ code: '12345678', ...options });
  fake.addUser({
    username: 'alice',
    password: PASSWORD,
    attributes: { email: 'alice@example.com', phone_number: '+15555550100' },
  });
  const served: ServedResponse[] = [];
  const server = await startFakeCognitoServer(fake, (response) => served.push(response));
  const sdk = new CognitoIdentityProviderClient({
    endpoint: server.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' },
    maxAttempts: 1,
  });
  closers.push(async () => {
    sdk.destroy();
    await server.close();
  });
  const kit = () =>
    new CognitoClient({
      userPoolId: fake.userPoolId,
      clientId: fake.clientId,
      endpoint: server.url,
      storage: memoryStorage(),
      retryBaseDelayMs: 0,
    });
  /** The requests since the last call, and forgets them. */
  const take = (): RecordedRequest[] => fake.requests.splice(0);
  /** sdk.send, and every member of the raw answer must survive the SDK's model-driven parsing. */
  const send = (async (command: Parameters<typeof sdk.send>[0]) => {
    const output = await sdk.send(command);
    const raw = served.at(-1);
    expect(raw?.status).toBe(200);
    expect(undeclared(JSON.parse(raw?.body || '{}'), output)).toEqual([]);
    return output;
  }) as typeof sdk.send;
  return { fake, sdk: { send }, kit, take, url: server.url };
}

const initiate = (fake: FakeCognito, parameters: Record<string, string>, session?: string) =>
  new InitiateAuthCommand({
    AuthFlow: 'USER_AUTH',
    ClientId: fake.clientId,
    AuthParameters: parameters,
    ...(session ? { Session: session } : {}),
  });

const respond = (
  fake: FakeCognito,
  previous: { Session?: string | undefined },
  challenge: string,
  responses: Record<string, string>,
) =>
  new RespondToAuthChallengeCommand({
    ClientId: fake.clientId,
    ChallengeName: challenge as never,
    Session: previous.Session,
    ChallengeResponses: responses,
  });

/**
 * The members of the fake's raw JSON that the SDK's output lacks: names Cognito's model does not
 * have there (the SDK keeps maps and documents whole, and drops unknown structure members).
 */
function undeclared(raw: unknown, typed: unknown, path = ''): string[] {
  if (raw === null || typeof raw !== 'object') return [];
  if (typed === null || typeof typed !== 'object' || typed instanceof Date) return [];
  return Object.entries(raw).flatMap(([name, value]) =>
    name in typed
      ? undeclared(value, (typed as Record<string, unknown>)[name], `${path}${name}.`)
      : [`${path}${name}`],
  );
}

/** A request without the values that differ from run to run (sessions, SRP, codes, assertions). */
const VARIABLE = new Set([
  'Session',
  'SRP_A',
  'PASSWORD_CLAIM_SECRET_BLOCK',
  'PASSWORD_CLAIM_SIGNATURE',
  'TIMESTAMP',
  'AccessToken',
  'CREDENTIAL',
  'Credential',
]);
function shape(requests: RecordedRequest[], renames: Record<string, string> = {}): [string, unknown][] {
  const strip = (value: unknown): unknown => {
    if (typeof value === 'string') return renames[value] ?? value;
    if (Array.isArray(value)) return value.map(strip);
    if (value === null || typeof value !== 'object') return value;
    return Object.fromEntries(
      // The value varies, its JSON type does not (a document is an object, a CREDENTIAL a string).
      Object.entries(value).map(([name, item]) => [
        name,
        VARIABLE.has(name) ? `<${typeof item}>` : strip(item),
      ]),
    );
  };
  return requests.map((request) => [request.target, strip(request.body)]);
}

function expectTokens(answer: { AuthenticationResult?: InitiateAuthCommandOutput['AuthenticationResult'] }) {
  expect(answer.AuthenticationResult).toEqual({
    AccessToken: expect.stringMatching(/^eyJ/),
    IdToken: expect.stringMatching(/^eyJ/),
    RefreshToken: expect.any(String),
    ExpiresIn: 3600,
    TokenType: 'Bearer',
  });
}

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

// Secrets never leak: every flow and its failures run with distinctive passwords and codes, and no
// error (message, stack, cause chain, inspection), event payload, log line, request URL or header
// may contain a password, a code, an SRP value, a challenge session or a token.
import { inspect } from 'node:util';
import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  type CognitoClient,
  type CognitoClientOptions,
  CognitoError,
  type Session,
} from '../../src/index.js';
import { CognitoClient as ServerClient } from '../../src/server.js';
import {
  cognitoError,
  type FakeCognito,
  type FakeCognitoOptions,
  FakeIdentityPool,
  type Fault,
  type Outcome,
  storedPasskey,
} from '../fake-cognito/index.js';
import { totp } from '../helpers/totp.js';
import { HTML_503, makeClient, mapStorage, startFake } from './support.js';

const PASSWORD = 'Pw-7f3a9c-SECRET';
const NEW_PASSWORD = 'Pw-new-4b1d2e-SECRET';
const TEMP_PASSWORD = 'Pw-temp-93ac5e-SECRET';
const WRONG_PASSWORD = 'Pw-wrong-5e6f70-SECRET';
const WEAK_PASSWORD = 'Pw-7c!';
const CODE = '918273';
const WRONG_CODE = '404404';
const ANSWER = 'answer-7c1e2f-SECRET';
const WRONG_ANSWER = 'answer-wrong-8d2f-SECRET';

const ENDPOINT = 'https://cognito-idp.us-east-1.amazonaws.com/';
const DROP: Fault = { networkError: true };

// Request and response members whose string values are secrets (of at least 8 characters; codes are
// added explicitly and matched as whole numbers).
const SECRET_KEY = /password|token|code|session|secret|signature|srp|salt|block|answer|claim/i;
const NOT_SECRET_KEY =
  /delivery|destination|TokenType|ChallengeName|AuthFlow|USERNAME|USER_ID_FOR_SRP|TIMESTAMP|PREFERRED_CHALLENGE/i;
const SECRET_CONTAINER =
  /ChallengeResponses|AuthParameters|ChallengeParameters|AuthenticationResult|Logins|Credentials/;

/** Everything that must stay secret, and everything a user or an operator could see. */
class Probe {
  readonly secrets = new Set<string>([
    PASSWORD,
    NEW_PASSWORD,
    TEMP_PASSWORD,
    WRONG_PASSWORD,
    WEAK_PASSWORD,
    ANSWER,
    WRONG_ANSWER,
  ]);
  readonly codes = new Set<string>([CODE, WRONG_CODE]);
  /** Texts that must not contain a secret, with where they came from. */
  readonly visible: [string, string][] = [];
  readonly urls: string[] = [];
  /** Where requests may go. */
  readonly endpoints = new Set([ENDPOINT]);
  readonly #watched: { requests: { body: unknown }[] }[] = [];
  errors = 0;
  #echoNext = false;

  constructor(readonly fake: FakeCognito) {
    this.#watch(fake);
    const realFetch = globalThis.fetch;
    vi.spyOn(globalThis, 'fetch').mockImplementation((input, init) => {
      this.urls.push(String(input instanceof Request ? input.url : input));
      const headers = new Headers(init?.headers);
      headers.forEach((value, name) => {
        this.see(`request header ${name}`, value);
      });
      return realFetch(input, init);
    });
    for (const method of ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const) {
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
        this.see(`console.${method}`, args.map((arg) => inspect(arg, { depth: 10 })).join(' '));
      });
    }
  }

  /** Also watches an identity pool (its answers are a source of secrets) and allows its endpoint. */
  watchIdentityPool(idp: FakeIdentityPool) {
    this.#watch(idp);
    this.endpoints.add(idp.endpoint);
  }

  #watch(fake: FakeCognito | FakeIdentityPool) {
    this.#watched.push(fake);
    const dispatch = fake.dispatch.bind(fake);
    vi.spyOn(fake, 'dispatch').mockImplementation(async (target, body, headers) => {
      if (this.#echoNext) {
        this.#echoNext = false;
        // The worst Cognito could do: echo the whole request in its error message.
        const raw = typeof body === 'string' ? body : JSON.stringify(body);
        this.collect(JSON.parse(raw), '');
        fake.requests.push({ target: String(target), body: JSON.parse(raw), headers: {} });
        const message = `1 validation error detected: Value '${raw}' at 'request' failed to satisfy constraint`;
        return {
          kind: 'response',
          response: {
            status: 400,
            headers: { 'content-type': 'application/x-amz-json-1.1' },
            body: JSON.stringify({ __type: 'InvalidParameterException', message }),
          },
        } satisfies Outcome;
      }
      const outcome = await dispatch(target, body, headers);
      if (outcome.kind === 'response' && outcome.response.body) {
        try {
          this.collect(JSON.parse(outcome.response.body), '');
        } catch {
          // an HTML fault page: nothing secret in it
        }
      }
      return outcome;
    });
  }

  /** The next request is answered with an error that echoes it. */
  echoNext() {
    this.#echoNext = true;
  }

  /** Records the secret members of a request or response body. */
  collect(value: unknown, key: string, inContainer = false): void {
    if (typeof value === 'string') {
      const secretKey = (SECRET_KEY.test(key) || inContainer) && !NOT_SECRET_KEY.test(key);
      if (secretKey && value.length >= 8) this.secrets.add(value);
    } else if (value !== null && typeof value === 'object') {
      const container = inContainer || SECRET_CONTAINER.test(key);
      for (const [name, child] of Object.entries(value)) this.collect(child, name, container);
    }
  }

  see(where: string, text: string) {
    this.visible.push([where, text]);
  }

  /** Everything an error shows: message, stack, inspection, JSON, and the same for its causes. */
  seeError(error: unknown, where: string) {
    this.errors++;
    expect(error, where).toBeInstanceOf(CognitoError);
    let current: unknown = error;
    for (let depth = 0; current !== undefined && depth < 10; depth++) {
      if (current instanceof Error) {
        this.see(`${where} cause[${depth}].message`, current.message);
        this.see(`${where} cause[${depth}].stack`, current.stack ?? '');
        this.see(`${where} cause[${depth}] String()`, String(current));
      }
      this.see(`${where} cause[${depth}] inspect`, inspect(current, { depth: 10, showHidden: true }));
      try {
        this.see(`${where} cause[${depth}] JSON`, JSON.stringify(current) ?? '');
      } catch {
        // circular: inspect covers it
      }
      current = (current as { cause?: unknown } | null)?.cause;
    }
  }

  /** A client whose events are all recorded (session payloads only as a source of secrets). */
  client(storage = mapStorage(), options: Partial<CognitoClientOptions> = {}): CognitoClient {
    // A client secret needs the server entry's client (the browser entry refuses one).
    const client = options.clientSecret
      ? new ServerClient({
          userPoolId: this.fake.userPoolId,
          clientId: this.fake.clientId,
          storage,
          authFlow: 'USER_PASSWORD_AUTH',
          retryBaseDelayMs: 0,
          maxAttempts: 1,
          ...options,
        })
      : makeClient(this.fake, storage, { maxAttempts: 1, ...options });
    const collectSession = (session: Session) => {
      for (const token of [session.accessToken, session.idToken, session.refreshToken])
        this.secrets.add(token);
    };
    client.on('signedIn', collectSession);
    client.on('tokenRefreshed', collectSession);
    client.on('signedIn', () => {
      throw new Error('a listener of the app broke');
    });
    for (const event of ['signedOut', 'sessionExpired'] as const) {
      client.on(event, (payload) => {
        this.see(`${event} payload JSON`, JSON.stringify(payload));
        this.see(`${event} payload inspect`, inspect(payload, { depth: 10, showHidden: true }));
        if (event === 'sessionExpired')
          this.seeError((payload as { error: unknown }).error, 'sessionExpired.error');
      });
    }
    return client;
  }

  async fails(promise: Promise<unknown>, where: string, code?: string): Promise<CognitoError> {
    const error = await promise.then(
      () => {
        throw new Error(`${where}: expected a rejection`);
      },
      (reason: unknown) => reason,
    );
    this.seeError(error, where);
    if (code) expect((error as CognitoError).code, where).toBe(code);
    return error as CognitoError;
  }

  /** Asserts that nothing visible contains a secret, and every request went to the endpoint. */
  verify() {
    for (const watched of this.#watched)
      for (const request of watched.requests) this.collect(request.body, '');
    const secrets = [...this.secrets].filter((secret) => secret.length >= 4);
    const codes = [...this.codes].map((code) => new RegExp(`(?<![0-9])${code}(?![0-9])`));
    const leaks: string[] = [];
    for (const [where, text] of this.visible) {
      for (const secret of secrets)
        if (text.includes(secret)) leaks.push(`${where} contains ${secret.slice(0, 12)}…`);
      for (const code of codes) if (code.test(text)) leaks.push(`${where} contains the code ${code.source}`);
    }
    expect(leaks).toEqual([]);
    expect(this.urls.length).toBeGreaterThan(0);
    expect(new Set(this.urls)).toEqual(this.endpoints);
    for (const url of this.urls) for (const secret of secrets) expect(url.includes(secret)).toBe(false);
    // Sanity: the probe did see tokens, sessions and SRP values, and did look at errors.
    expect(this.secrets.size).toBeGreaterThan(10);
    expect(this.errors).toBeGreaterThan(0);
  }
}

function freshFake(options: FakeCognitoOptions = {}) {
  const fake = startFake({ code: CODE, ...options });
  return { fake, probe: new Probe(fake) };
}

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
  nock.cleanAll();
  vi.restoreAllMocks();
  vi.useRealTimers();
});

describe('no secret in any error, event, log line, URL or header', () => {
  it('registration, password flows and attribute verification, with their failures', async () => {
    const { fake, probe } = freshFake();
    const c = probe.client();
    await c.signUp({ username: 'sue', password: PASSWORD, attributes: { email: 'sue@example.com' } });
    await probe.fails(
      c.signUp({ username: 'sue', password: PASSWORD }),
      'signUp taken',
      'UsernameExistsException',
    );
    await probe.fails(
      c.signUp({ username: 'weak', password: WEAK_PASSWORD }),
      'signUp weak password',
      'InvalidPasswordException',
    );
    await c.resendSignUpCode({ username: 'sue' });
    await probe.fails(
      c.confirmSignUp({ username: 'sue', code: WRONG_CODE }),
      'confirmSignUp wrong',
      'CodeMismatchException',
    );
    await c.confirmSignUp({ username: 'sue', code: CODE });
    await probe.fails(c.confirmSignUp({ username: 'sue', code: CODE }), 'confirmSignUp again');

    await probe.fails(
      c.signIn({ username: 'sue', password: WRONG_PASSWORD }),
      'signIn wrong',
      'NotAuthorizedException',
    );
    await c.signIn({ username: 'sue', password: PASSWORD });
    await c.getSession({ forceRefresh: true });
    await probe.fails(
      c.changePassword({ oldPassword: WRONG_PASSWORD, newPassword: NEW_PASSWORD }),
      'changePassword wrong',
      'NotAuthorizedException',
    );
    await probe.fails(
      c.changePassword({ oldPassword: PASSWORD, newPassword: WEAK_PASSWORD }),
      'changePassword weak',
      'InvalidPasswordException',
    );
    await c.changePassword({ oldPassword: PASSWORD, newPassword: NEW_PASSWORD });

    await c.updateAttributes({ email: 'sue.new@example.com', name: 'Sue' });
    await c.sendAttributeVerificationCode('email');
    await probe.fails(
      c.verifyAttribute({ name: 'email', code: WRONG_CODE }),
      'verifyAttribute wrong',
      'CodeMismatchException',
    );
    await c.verifyAttribute({ name: 'email', code: CODE });
    await c.getUserAttributes();

    await c.forgotPassword({ username: 'sue' });
    await probe.fails(
      c.confirmForgotPassword({ username: 'sue', code: WRONG_CODE, newPassword: PASSWORD }),
      'confirmForgotPassword wrong',
      'CodeMismatchException',
    );
    await c.confirmForgotPassword({ username: 'sue', code: CODE, newPassword: PASSWORD });
    await probe.fails(
      c.signIn({ username: 'sue', password: NEW_PASSWORD }),
      'old password',
      'NotAuthorizedException',
    );
    await c.signIn({ username: 'sue', password: PASSWORD });

    // A revoked refresh token: sessionExpired and signedOut payloads.
    fake.revokeRefreshTokens('sue');
    await expect(c.getSession({ forceRefresh: true })).resolves.toBeNull();
    await probe.fails(c.getUserAttributes(), 'not signed in', 'NotSignedInException');

    await c.signIn({ username: 'sue', password: PASSWORD });
    await c.signOut();
    await c.signIn({ username: 'sue', password: PASSWORD });
    await c.signOut({ global: true });
    await c.signIn({ username: 'sue', password: PASSWORD });
    await c.deleteUser();
    probe.verify();
  });

  it('SRP sign-in, TOTP set-up and every sign-in challenge, with wrong answers', async () => {
    const { fake, probe } = freshFake();
    fake.addUser({ username: 'ann', password: PASSWORD, attributes: { email: 'ann@example.com' } });
    const srp = probe.client(mapStorage(), { authFlow: 'USER_SRP_AUTH' });
    await probe.fails(
      srp.signIn({ username: 'ann', password: WRONG_PASSWORD }),
      'SRP wrong password',
      'NotAuthorizedException',
    );
    await srp.signIn({ username: 'ann', password: PASSWORD });

    // TOTP set-up for the signed-in user.
    const { secretCode } = await srp.setUpTotp();
    probe.secrets.add(secretCode);
    await probe.fails(
      srp.verifyTotpSetup({ code: WRONG_CODE }),
      'verifyTotpSetup wrong',
      'EnableSoftwareTokenMFAException',
    );
    const setupCode = totp(secretCode);
    probe.codes.add(setupCode);
    await srp.verifyTotpSetup({ code: setupCode, friendlyDeviceName: 'phone' });
    await srp.setMfaPreference({ totp: 'PREFERRED' });
    await srp.signOut();

    // SOFTWARE_TOKEN_MFA (password flow from here on: SRP is proven above).
    const c = probe.client();
    await c.signIn({ username: 'ann', password: PASSWORD });
    await probe.fails(
      c.confirmSignIn({ challengeResponse: WRONG_CODE }),
      'TOTP wrong',
      'CodeMismatchException',
    );
    const loginCode = totp(secretCode, Date.now() + 30_000);
    probe.codes.add(loginCode);
    await c.confirmSignIn({ challengeResponse: loginCode });
    await c.signOut();

    // SMS_MFA
    fake.addUser({ username: 'sam', password: PASSWORD, sms: true });
    await c.signIn({ username: 'sam', password: PASSWORD });
    await probe.fails(
      c.confirmSignIn({ challengeResponse: WRONG_CODE }),
      'SMS wrong',
      'CodeMismatchException',
    );
    await c.confirmSignIn({ challengeResponse: CODE });
    await c.signOut();

    // SELECT_MFA_TYPE, then SMS
    fake.addUser({ username: 'sel', password: PASSWORD, sms: true, totp: true });
    await c.signIn({ username: 'sel', password: PASSWORD });
    await c.confirmSignIn({ challengeResponse: 'SMS' });
    await c.confirmSignIn({ challengeResponse: CODE });
    await c.signOut();

    // NEW_PASSWORD_REQUIRED: a weak new password keeps the challenge, a good one signs in.
    fake.addUser({
      username: 'nina',
      password: TEMP_PASSWORD,
      status: 'FORCE_CHANGE_PASSWORD',
      requiredAttributes: ['name'],
    });
    await c.signIn({ username: 'nina', password: TEMP_PASSWORD });
    await probe.fails(
      c.confirmSignIn({ challengeResponse: WEAK_PASSWORD, userAttributes: { name: 'Nina' } }),
      'new password weak',
      'InvalidPasswordException',
    );
    await c.confirmSignIn({ challengeResponse: NEW_PASSWORD, userAttributes: { name: 'Nina' } });
    await c.signOut();

    // CUSTOM_CHALLENGE: a wrong answer ends it, the right one signs in.
    fake.addUser({
      username: 'cus',
      password: PASSWORD,
      customChallenge: { question: 'word?', answer: ANSWER },
    });
    await c.signIn({ username: 'cus', password: PASSWORD });
    await probe.fails(
      c.confirmSignIn({ challengeResponse: WRONG_ANSWER }),
      'custom wrong',
      'NotAuthorizedException',
    );
    await probe.fails(
      c.confirmSignIn({ challengeResponse: ANSWER }),
      'custom after failure',
      'NoPendingChallengeException',
    );
    await c.signIn({ username: 'cus', password: PASSWORD });
    await c.confirmSignIn({ challengeResponse: ANSWER });
    await c.signOut();
    probe.verify();
  });

  it('MFA_SETUP during sign-in (pool requires MFA), with a wrong code first', async () => {
    const { fake, probe } = freshFake({ mfa: 'ON' });
    fake.addUser({ username: 'max', password: PASSWORD });
    const c = probe.client();
    const first = await c.signIn({ username: 'max', password: PASSWORD });
    if (first.isSignedIn || first.nextStep.signInStep !== 'CONTINUE_SIGN_IN_WITH_TOTP_SETUP')
      throw new Error('no set-up');
    probe.secrets.add(first.nextStep.secretCode);
    await probe.fails(
      c.confirmSignIn({ challengeResponse: WRONG_CODE }),
      'MFA_SETUP wrong',
      'EnableSoftwareTokenMFAException',
    );
    await c.signIn({ username: 'max', password: PASSWORD }).then((again) => {
      if (again.isSignedIn || again.nextStep.signInStep !== 'CONTINUE_SIGN_IN_WITH_TOTP_SETUP')
        throw new Error('no set-up');
      probe.secrets.add(again.nextStep.secretCode);
      const code = totp(again.nextStep.secretCode);
      probe.codes.add(code);
      return c.confirmSignIn({ challengeResponse: code });
    });
    await c.signOut({ global: true });
    probe.verify();
  });

  it('a confidential client: the client secret and every SECRET_HASH, on success, failure and echo', async () => {
    const CLIENT_SECRET = 'client-secret-3e9a1c7f5b2d8e4a6c0f1b3d5e7a9c2e4f6a8b0d';
    const { fake, probe } = freshFake({ clientSecret: CLIENT_SECRET });
    probe.secrets.add(CLIENT_SECRET);
    fake.addUser({ username: 'ann@example.com', password: PASSWORD });
    const storage = mapStorage();
    const c = probe.client(storage, { clientSecret: CLIENT_SECRET });
    await c.signUp({ username: 'sue', password: PASSWORD, attributes: { email: 'sue@example.com' } });
    await c.resendSignUpCode({ username: 'sue' });
    await c.confirmSignUp({ username: 'sue', code: CODE });
    await probe.fails(
      c.signIn({ username: 'sue', password: WRONG_PASSWORD }),
      'wrong password',
      'NotAuthorizedException',
    );
    const srp = probe.client(mapStorage(), { clientSecret: CLIENT_SECRET, authFlow: 'USER_SRP_AUTH' });
    await srp.signIn({ username: 'sue', password: PASSWORD });
    await c.signIn({ username: 'ann@example.com', password: PASSWORD });
    await c.getSession({ forceRefresh: true });
    for (const target of ['InitiateAuth', 'GetTokensFromRefreshToken', 'ForgotPassword']) {
      probe.echoNext();
      const run =
        target === 'InitiateAuth'
          ? c.signIn({ username: 'sue', password: PASSWORD })
          : target === 'ForgotPassword'
            ? c.forgotPassword({ username: 'sue' })
            : c.getSession({ forceRefresh: true });
      await probe.fails(run, `echo ${target}`, 'InvalidParameterException');
    }
    const wrong = probe.client(mapStorage(), { clientSecret: `${CLIENT_SECRET}-wrong` });
    probe.secrets.add(`${CLIENT_SECRET}-wrong`);
    await probe.fails(
      wrong.signIn({ username: 'sue', password: PASSWORD }),
      'wrong secret',
      'NotAuthorizedException',
    );
    probe.echoNext();
    await c.signOut();
    // The echoed RevokeToken is recorded by the probe under its full X-Amz-Target.
    const revoke = fake.requests.filter((r) => r.target.endsWith('RevokeToken'));
    expect(revoke.map((r) => r.body.ClientSecret)).toEqual([CLIENT_SECRET]);
    expect(JSON.stringify(storage.snapshot())).not.toContain(CLIENT_SECRET);
    probe.verify();
  });

  describe.each([
    ['a dropped connection', DROP, 'NetworkError'],
    ['an HTML 503', HTML_503, 'UnexpectedResponseException'],
    ['a Cognito error echoing the whole request', 'echo' as const, 'InvalidParameterException'],
  ])('%s on every operation', (_name, fault, code) => {
    it(`rejects with ${code} and shows no secret`, async () => {
      const { fake, probe } = freshFake();
      fake.addUser({ username: 'ann', password: PASSWORD, attributes: { email: 'ann@example.com' } });
      fake.addUser({ username: 'sam', password: PASSWORD, sms: true });
      const inject = (target: string) => (fault === 'echo' ? probe.echoNext() : fake.failNext(target, fault));
      const c = probe.client();
      const step = async (target: string, run: () => Promise<unknown>, where: string) => {
        inject(target);
        await probe.fails(run(), `${where} (${_name})`, code);
      };

      await step('SignUp', () => c.signUp({ username: 'new', password: PASSWORD }), 'signUp');
      await step('ConfirmSignUp', () => c.confirmSignUp({ username: 'new', code: CODE }), 'confirmSignUp');
      await step('InitiateAuth', () => c.signIn({ username: 'ann', password: PASSWORD }), 'signIn password');
      const srp = probe.client(mapStorage(), { authFlow: 'USER_SRP_AUTH' });
      await step(
        'RespondToAuthChallenge',
        () => srp.signIn({ username: 'ann', password: PASSWORD }),
        'signIn SRP verifier',
      );

      await c.signIn({ username: 'sam', password: PASSWORD });
      await step(
        'RespondToAuthChallenge',
        () => c.confirmSignIn({ challengeResponse: CODE }),
        'confirmSignIn SMS',
      );
      await c.signIn({ username: 'ann', password: PASSWORD });
      await step('GetTokensFromRefreshToken', () => c.getSession({ forceRefresh: true }), 'refresh');
      await step(
        'ChangePassword',
        () => c.changePassword({ oldPassword: PASSWORD, newPassword: NEW_PASSWORD }),
        'changePassword',
      );
      await step(
        'VerifyUserAttribute',
        () => c.verifyAttribute({ name: 'email', code: CODE }),
        'verifyAttribute',
      );
      await step('VerifySoftwareToken', () => c.verifyTotpSetup({ code: CODE }), 'verifyTotpSetup');
      await step('UpdateUserAttributes', () => c.updateAttributes({ name: 'Ann' }), 'updateAttributes');
      await step('ForgotPassword', () => c.forgotPassword({ username: 'ann' }), 'forgotPassword');
      await step(
        'ConfirmForgotPassword',
        () => c.confirmForgotPassword({ username: 'ann', code: CODE, newPassword: NEW_PASSWORD }),
        'confirmForgotPassword',
      );
      await step('GlobalSignOut', () => c.signOut({ global: true }), 'global signOut');
      await c.signIn({ username: 'ann', password: PASSWORD });
      await step('DeleteUser', () => c.deleteUser(), 'deleteUser');
      // A local sign-out swallows a failed RevokeToken; nothing of it may surface either.
      await c.signIn({ username: 'ann', password: PASSWORD });
      inject('RevokeToken');
      await c.signOut();
      probe.verify();
    });
  });
});

describe('no secret leaks from passwordless sign-in (OTP codes, WebAuthn assertions)', () => {
  const SIGNATURE = Uint8Array.from('sig-3c9e1d-SECRET-bytes', (c) => c.charCodeAt(0));
  const CLIENT_DATA = Uint8Array.from(
    '{"type":"webauthn.get","challenge":"cd-7a1b-SECRET","origin":"http://localhost:5173"}',
    (c) => c.charCodeAt(0),
  );
  const b64url = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');
  const CREDENTIAL_ID = b64url(Uint8Array.from([0x5d, 0x2a, 0x11, 0x07]));

  /** A browser whose authenticator answers with distinctive bytes (Cognito will not accept them). */
  function stubWebAuthn() {
    const credential = {
      id: CREDENTIAL_ID,
      rawId: Uint8Array.from([0x5d, 0x2a, 0x11, 0x07]).buffer,
      type: 'public-key',
      authenticatorAttachment: 'platform',
      getClientExtensionResults: () => ({}),
      response: {
        clientDataJSON: CLIENT_DATA.buffer,
        authenticatorData: Uint8Array.from([9, 9, 9, 9, 9, 9, 9, 9]).buffer,
        signature: SIGNATURE.buffer,
        attestationObject: SIGNATURE.buffer,
        userHandle: null,
      },
    };
    vi.stubGlobal('PublicKeyCredential', class {});
    vi.stubGlobal('navigator', {
      credentials: { get: async () => credential, create: async () => credential },
    });
  }

  afterEach(() => vi.unstubAllGlobals());

  it('email and SMS codes, a chosen password, passkey sign-in and registration, with failures', async () => {
    const { fake, probe } = freshFake({ emailMfa: true });
    probe.secrets.add(b64url(SIGNATURE));
    probe.secrets.add(b64url(CLIENT_DATA));
    fake.addUser({
      username: 'ann',
      password: PASSWORD,
      attributes: { email: 'ann@example.com', phone_number: '+15555550100' },
    });
    const c = probe.client(mapStorage(), { authFlow: 'USER_AUTH' });

    await c.signIn({ username: 'ann', preferredChallenge: 'EMAIL_OTP' });
    await probe.fails(
      c.confirmSignIn({ challengeResponse: WRONG_CODE }),
      'EMAIL_OTP wrong',
      'CodeMismatchException',
    );
    probe.echoNext();
    await probe.fails(c.confirmSignIn({ challengeResponse: WRONG_CODE }), 'EMAIL_OTP echoed');
    await c.signIn({ username: 'ann', preferredChallenge: 'SMS_OTP' });
    await probe.fails(
      c.confirmSignIn({ challengeResponse: WRONG_CODE }),
      'SMS_OTP wrong',
      'CodeMismatchException',
    );
    await c.confirmSignIn({ challengeResponse: CODE });

    await c.signIn({ username: 'ann' });
    await c.confirmSignIn({ challengeResponse: 'PASSWORD' });
    await probe.fails(c.confirmSignIn({ challengeResponse: WRONG_PASSWORD }), 'first factor password wrong');

    // Passkeys: the fake knows the credential id, so it checks (and refuses) the signature.
    stubWebAuthn();
    await c.signIn({ username: 'ann', preferredChallenge: 'EMAIL_OTP' });
    await c.confirmSignIn({ challengeResponse: CODE });
    await probe.fails(c.registerPasskey(), 'registerPasskey refused', 'WebAuthnClientMismatchException');
    probe.echoNext();
    await probe.fails(c.registerPasskey(), 'registerPasskey echoed');
    fake.getUser('ann')?.passkeys.push(storedPasskey({ id: CREDENTIAL_ID, createdAt: Date.now() }));
    await probe.fails(
      c.signIn({ username: 'ann', preferredChallenge: 'WEB_AUTHN' }),
      'passkey refused',
      'NotAuthorizedException',
    );
    const assertion = fake.requests.filter((r) => r.target === 'RespondToAuthChallenge').at(-1)?.body;
    expect(assertion.ChallengeResponses.CREDENTIAL).toContain(b64url(SIGNATURE));
    vi.stubGlobal('navigator', {
      credentials: {
        get: async () => {
          throw Object.assign(new Error('The operation either timed out or was not allowed.'), {
            name: 'NotAllowedError',
          });
        },
        create: async () => undefined,
      },
    });
    const cancelled = await probe.fails(
      c.signIn({ username: 'ann', preferredChallenge: 'WEB_AUTHN' }),
      'passkey cancelled',
      'WebAuthnCancelledException',
    );
    // The DOM error is kept as the cause for debugging; it carries nothing of ours.
    expect(cancelled.cause).toBeInstanceOf(Error);
    probe.verify();
  });

  it('sign-up without a password and the sign-in after confirmation', async () => {
    const { fake, probe } = freshFake();
    const c = probe.client();
    await c.signUp({ username: 'pat', attributes: { email: 'pat@example.com' }, autoSignIn: true });
    await probe.fails(
      c.confirmSignUp({ username: 'pat', code: WRONG_CODE }),
      'confirm wrong',
      'CodeMismatchException',
    );
    probe.echoNext();
    await probe.fails(c.confirmSignUp({ username: 'pat', code: CODE }), 'confirm echoed');
    fake.failNext('InitiateAuth', DROP);
    await probe.fails(
      c.confirmSignUp({ username: 'pat', code: CODE }),
      'auto sign-in dropped',
      'NetworkError',
    );
    const confirmed = await c.confirmSignUp({ username: 'pat', code: CODE });
    expect(confirmed?.signInResult.isSignedIn).toBe(true);
    probe.verify();
  });
});

describe('no AWS credential (secret key, session token) or ID token in any error, event, log line, URL or header', () => {
  it('guest and user credentials from an identity pool, with every failure', async () => {
    const { fake, probe } = freshFake();
    fake.addUser({ username: 'ann', password: PASSWORD, attributes: { email: 'ann@example.com' } });
    const idp = new FakeIdentityPool(fake, { allowUnauthenticated: true });
    idp.intercept();
    probe.watchIdentityPool(idp);
    const c = probe.client(mapStorage(), { identityPoolId: idp.identityPoolId, allowGuestAccess: true });
    const identityStep = async (target: string, fault: Fault | 'echo', code: string, where: string) => {
      if (fault === 'echo') probe.echoNext();
      else idp.failNext(target, fault);
      await probe.fails(c.getAwsCredentials({ forceRefresh: true }), where, code);
    };

    await c.getAwsCredentials();
    await c.signIn({ username: 'ann', password: PASSWORD });
    const { identityId } = await c.getAwsCredentials();
    for (const [fault, code] of [
      [DROP, 'NetworkError'],
      [HTML_503, 'UnexpectedResponseException'],
      ['echo', 'InvalidParameterException'],
    ] as const) {
      await identityStep('GetCredentialsForIdentity', fault, code, `GetCredentialsForIdentity ${code}`);
    }
    // An expired login token, twice: one session refresh (new tokens to keep secret) and one retry.
    idp.failNext(
      'GetCredentialsForIdentity',
      cognitoError('NotAuthorizedException', 'Invalid login token. Token expired: 2 >= 1'),
      2,
    );
    await probe.fails(c.getAwsCredentials({ forceRefresh: true }), 'expired login', 'NotAuthorizedException');
    // Complete credentials but one member of the wrong type: the body (with the secrets) is no cause.
    idp.failNext('GetCredentialsForIdentity', {
      status: 200,
      body: JSON.stringify({
        IdentityId: identityId,
        Credentials: {
          AccessKeyId: 'ASIAEXAMPLEEXAMPLE12',
          SecretKey: 'malformed-answer-secret-key-SECRET',
          SessionToken: 'malformed-answer-session-token-SECRET',
          Expiration: '2030-01-01T00:00:00Z',
        },
      }),
    });
    await probe.fails(
      c.getAwsCredentials({ forceRefresh: true }),
      'malformed credentials',
      'UnexpectedResponseException',
    );
    expect(probe.secrets.has('malformed-answer-secret-key-SECRET')).toBe(true);

    // Echoed GetId: the Logins map (the ID token) must be redacted from the message.
    idp.deleteIdentity(identityId);
    probe.echoNext();
    idp.failNext('GetCredentialsForIdentity', cognitoError('ResourceNotFoundException', 'gone'));
    await probe.fails(
      c.getAwsCredentials({ forceRefresh: true }),
      'echoed GetId',
      'InvalidParameterException',
    );
    await c.getAwsCredentials({ forceRefresh: true });
    await c.signOut();
    await c.getAwsCredentials();
    // The credentials themselves were seen (sanity), and never shown.
    expect(idp.issued.length).toBeGreaterThanOrEqual(4);
    for (const issued of idp.issued) {
      expect(probe.secrets.has(issued.secretKey)).toBe(true);
      expect(probe.secrets.has(issued.sessionToken)).toBe(true);
    }
    probe.verify();
  });
});

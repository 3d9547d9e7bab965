// Property-based fault tests (fast-check): arbitrary storage contents, arbitrary error answers from
// Cognito, and arbitrary values for every parameter of every public method.
import fc from 'fast-check';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CognitoClient, CognitoError, type TokenStorage } from '../../src/index.js';
import { FakeCognito, type RecordedRequest } from '../fake-cognito/index.js';
import { mintJwt } from '../helpers/tokens.js';
import { claimsOf, makeClient, mapStorage, outcome, PASSWORD, seedSession } from './support.js';

/** fast-check cases per property, reported at the end of the file. */
const RUNS = { storage: 400, errors: 400, answers: 200, perMethod: 200 } as const;
const casesRun: Record<string, number> = {};

/** Runs an async property with an explicit number of cases and counts them. */
async function check<T>(
  name: string,
  arbitrary: fc.Arbitrary<T>,
  numRuns: number,
  body: (value: T) => Promise<void>,
) {
  let count = 0;
  await fc.assert(
    fc.asyncProperty(arbitrary, async (value) => {
      count++;
      await body(value);
    }),
    { numRuns },
  );
  casesRun[name] = (casesRun[name] ?? 0) + count;
}

// A clock the fake reads, so that tokens can be issued in the past (expired, refresh token alive).
let fakeNow = Date.now();
let fake: FakeCognito;
const PREFIX = 'CognitoIdentityServiceProvider.testclient123';

beforeAll(() => {
  nock.disableNetConnect();
  nock.cleanAll();
  fake = new FakeCognito({ now: () => fakeNow });
  fake.intercept();
  fake.addUser({ username: 'ann', password: PASSWORD, attributes: { email: 'ann@example.com' } });
  fake.addUser({ username: 'bob', password: PASSWORD });
});
afterEach(() => {
  fakeNow = Date.now();
});
afterAll(() => {
  nock.cleanAll();
  // One line per property, for the suite's report.
  console.info(
    `fast-check cases run: ${Object.entries(casesRun)
      .map(([name, count]) => `${name}=${count}`)
      .join(', ')}`,
  );
});

/** Anything JavaScript can hold, including the odd values callers pass by mistake. */
const ANY = fc.anything({
  maxDepth: 2,
  withBigInt: true,
  withBoxedValues: true,
  withDate: true,
  withMap: true,
  withSet: true,
  withNullPrototype: true,
  withObjectString: true,
  withSparseArray: true,
  withTypedArray: true,
});

describe('arbitrary storage contents', () => {
  // Real tokens issued by the fake: valid now, or issued 2 h ago (expired, refresh token alive).
  type Issued = { idToken: string; accessToken: string; refreshToken: string };
  const issued: Issued[] = [];
  beforeAll(() => {
    for (const [offset, user] of [
      [0, 'ann'],
      [0, 'ann'],
      [0, 'bob'],
      [-2 * 3_600_000, 'ann'],
      [-2 * 3_600_000, 'bob'],
    ] as const) {
      fakeNow = Date.now() + offset;
      const result = fake.issueTokens(user);
      issued.push({
        idToken: result.IdToken,
        accessToken: result.AccessToken,
        refreshToken: result.RefreshToken,
      });
    }
    fakeNow = Date.now();
  });

  const nowSeconds = Math.floor(Date.now() / 1000);
  const claimValue = fc.oneof(
    fc.integer({ min: nowSeconds - 10_000, max: nowSeconds + 10_000 }),
    fc.double(),
    fc.string(),
    fc.constantFrom(null, true, 1e308, -1e308),
  );
  const jwtShaped = fc
    .record(
      {
        sub: fc.oneof(fc.constantFrom('sub-ann', 'sub-bob'), fc.string()),
        'cognito:username': fc.oneof(fc.constantFrom('ann', 'bob'), fc.string()),
        username: fc.oneof(fc.constantFrom('ann', 'bob'), fc.string()),
        iat: claimValue,
        exp: claimValue,
        origin_jti: fc.constantFrom('o1', 'o2'),
        token_use: fc.constantFrom('id', 'access'),
      },
      { requiredKeys: [] },
    )
    .map((claims) => mintJwt(claims));
  const value = fc.oneof(
    fc.string(),
    fc.string({ unit: 'grapheme' }),
    fc.json(),
    jwtShaped,
    fc.integer().map(String),
    fc
      .nat({ max: 4 })
      .chain((i) =>
        fc.constantFrom('idToken', 'accessToken', 'refreshToken').map((field) => `@issued:${i}:${field}`),
      ),
  );
  const username = fc.oneof(fc.constantFrom('ann', 'bob'), fc.string({ maxLength: 6 }));
  const field = fc.oneof(
    fc.constantFrom('idToken', 'accessToken', 'refreshToken', 'clockDrift', 'deviceKey', 'userData'),
    fc.string({ maxLength: 6 }),
  );
  const randomKey = fc.oneof(
    fc.tuple(username, field).map(([user, name]) => `${PREFIX}.${user}.${name}`),
    fc.constantFrom(`${PREFIX}.LastAuthUser`, `${PREFIX}.cognitoKit.signInChallenge`),
    fc.string().map((rest) => `${PREFIX}.${rest}`),
  );
  // A session-shaped layout (pointer and the three tokens of one user) that random entries then disturb.
  const sessionLayout = fc
    .record({
      user: username,
      tokens: fc.tuple(fc.nat({ max: 4 }), fc.nat({ max: 4 }), fc.nat({ max: 4 }), fc.boolean()),
      drift: fc.option(fc.oneof(fc.integer({ min: -100_000, max: 100_000 }).map(String), fc.string())),
    })
    .map(({ user, tokens: [id, access, refresh, sameIssue], drift }) => {
      const entries: [string, string][] = [
        [`${PREFIX}.LastAuthUser`, user],
        [`${PREFIX}.${user}.idToken`, `@issued:${id}:idToken`],
        [`${PREFIX}.${user}.accessToken`, `@issued:${sameIssue ? id : access}:accessToken`],
        [`${PREFIX}.${user}.refreshToken`, `@issued:${sameIssue ? id : refresh}:refreshToken`],
      ];
      if (drift !== null) entries.push([`${PREFIX}.${user}.clockDrift`, drift]);
      return entries;
    });
  const contents = fc
    .tuple(fc.option(sessionLayout, { freq: 2 }), fc.array(fc.tuple(randomKey, value), { maxLength: 8 }))
    .map(([layout, random]) => [...(layout ?? []), ...random]);

  /** '@issued:<i>:<field>' placeholders become the fake's real tokens. */
  function resolve(raw: string): string {
    const match = /^@issued:(\d):(\w+)$/.exec(raw);
    if (!match) return raw;
    return issued[Number(match[1])]?.[match[2] as keyof Issued] ?? raw;
  }

  it(`getSession resolves null or exactly the stored tokens, never an error (${RUNS.storage} cases)`, async () => {
    await check('storage contents → getSession', contents, RUNS.storage, async (entries) => {
      const storage = mapStorage();
      for (const [name, raw] of entries) storage.setItem(name, resolve(raw));
      fake.requests.length = 0;
      const client = makeClient(fake, storage, { maxAttempts: 1 });

      const result = await outcome(client.getSession());

      if (!result.ok) throw new Error(`getSession rejected: ${String(result.error)}`);
      const session = result.value;
      if (session) {
        const pointer = storage.getItem(`${PREFIX}.LastAuthUser`);
        expect(pointer).toBeTruthy();
        for (const name of ['idToken', 'accessToken', 'refreshToken'] as const) {
          expect(session[name]).toBe(storage.getItem(`${PREFIX}.${pointer}.${name}`));
        }
        // Never an expired session, never one whose ID and access tokens disagree on the user.
        expect(session.expiresAt).toBeGreaterThan(Date.now());
        expect(claimsOf(session.idToken).sub).toBe(claimsOf(session.accessToken).sub);
        expect(session.userSub).toBe(claimsOf(session.idToken).sub);
      }
      // At most one request (one refresh), and only when the stored tokens could not be used.
      expect(fake.requests.length).toBeLessThanOrEqual(1);
      const user = await outcome(client.getCurrentUser());
      if (!user.ok) throw new Error(`getCurrentUser rejected: ${String(user.error)}`);
    });
  });
});

describe("arbitrary error answers from Cognito's endpoint", () => {
  const NAMES = ['NotAuthorizedException', 'TooManyRequestsException', 'InternalErrorException'];
  const type = fc.oneof(
    fc.constantFrom(...NAMES),
    fc.constantFrom(...NAMES).map((name) => `com.amazonaws.cognito.identity.idp.model#${name}`),
    fc.constantFrom('#', 'a#', '', ' ', ':', 'x:y'),
    fc.string(),
  );
  const body = fc.oneof(
    fc.string(),
    fc.string({ unit: 'grapheme' }),
    fc.json(),
    fc.constantFrom('', ' ', 'null', '[]', '{}', '<html><body>502 Bad Gateway</body></html>'),
    fc
      .record(
        {
          __type: fc.oneof(type, fc.jsonValue()),
          message: fc.oneof(fc.string(), fc.jsonValue()),
          Message: fc.oneof(fc.string(), fc.jsonValue()),
        },
        { requiredKeys: [] },
      )
      .map((value) => JSON.stringify(value)),
  );
  const headerValue = fc.oneof(fc.string(), fc.constantFrom('', ' '));
  const answer = fc.record({
    status: fc.integer({ min: 400, max: 599 }),
    body,
    contentType: fc.option(
      fc.oneof(fc.constantFrom('application/x-amz-json-1.1', 'application/json', 'text/html'), headerValue),
    ),
    errorType: fc.option(
      fc.oneof(
        type.map((name) => `${name}:http://internal.amazon.com/`),
        type,
        headerValue,
      ),
    ),
  });

  it(`every one becomes a CognitoError with a non-blank string code (${RUNS.errors} cases)`, async () => {
    const client = makeClient(fake, mapStorage(), { maxAttempts: 1 });
    await check(
      'error answers → CognitoError',
      answer,
      RUNS.errors,
      async ({ status, body, contentType, errorType }) => {
        const headers: Record<string, string> = {};
        if (contentType !== null) headers['content-type'] = contentType;
        if (errorType !== null) headers['x-amzn-errortype'] = errorType;
        fake.failNext('ForgotPassword', { status, body, headers });

        const result = await outcome(client.forgotPassword({ username: 'ann' }));

        expect(result.ok).toBe(false);
        const error = (result as { error: unknown }).error;
        expect(error).toBeInstanceOf(CognitoError);
        const e = error as CognitoError;
        expect(e.name).toBe('CognitoError');
        expect(typeof e.code).toBe('string');
        expect(e.code.trim()).not.toBe('');
        expect(typeof e.message).toBe('string');
        expect(typeof e.retryable).toBe('boolean');
        if (e.code !== 'NetworkError') {
          expect(e.status).toBe(status);
          // Throttled, bad gateway, unavailable, gateway timeout: worth another try whatever the body.
          if ([429, 502, 503, 504].includes(status)) expect(e.retryable).toBe(true);
        }
      },
    );
  });

  it(`malformed 200 answers: a well-typed result or a CognitoError, never a TypeError (${RUNS.answers} cases)`, async () => {
    const shapes = fc.oneof(
      fc.json(),
      fc.jsonValue().map((value) => JSON.stringify({ CodeDeliveryDetails: value })),
      fc
        .record(
          { Destination: fc.jsonValue(), DeliveryMedium: fc.jsonValue(), AttributeName: fc.jsonValue() },
          { requiredKeys: [] },
        )
        .map((details) => JSON.stringify({ CodeDeliveryDetails: details })),
      fc.jsonValue().map((value) => JSON.stringify({ UserAttributes: value })),
      fc.jsonValue().map((value) => JSON.stringify({ AuthenticationResult: value })),
    );
    const storage = mapStorage();
    seedSession(fake, storage, 'ann');
    const client = makeClient(fake, storage, { maxAttempts: 1 });
    await check('malformed 200 answers', shapes, RUNS.answers, async (text) => {
      const ok = { status: 200, body: text, headers: { 'content-type': 'application/x-amz-json-1.1' } };
      fake.failNext('ForgotPassword', ok);
      const delivery = await outcome(client.forgotPassword({ username: 'ann' }));
      if (delivery.ok) {
        expect(typeof delivery.value.destination).toBe('string');
        expect(['EMAIL', 'SMS']).toContain(delivery.value.deliveryMedium);
        expect(typeof delivery.value.attributeName).toBe('string');
      } else expect(delivery.error).toBeInstanceOf(CognitoError);

      fake.failNext('GetUser', ok);
      const attributes = await outcome(client.getUserAttributes());
      if (attributes.ok) {
        for (const [name, attribute] of Object.entries(attributes.value)) {
          expect(typeof name).toBe('string');
          expect(typeof attribute).toBe('string');
        }
      } else expect(attributes.error).toBeInstanceOf(CognitoError);

      fake.failNext('InitiateAuth', ok);
      const signIn = await outcome(
        makeClient(fake, mapStorage()).signIn({ username: 'ann', password: PASSWORD }),
      );
      if (!signIn.ok) expect(signIn.error).toBeInstanceOf(CognitoError);
    });
  });
});

describe('arbitrary values for every parameter of every public method', () => {
  // ---- an independent statement of what the API accepts ----
  const isString = (value: unknown): value is string => typeof value === 'string' && value.trim() !== '';
  const isPlain = (value: unknown): value is Record<string, unknown> =>
    value !== null && typeof value === 'object' && !Array.isArray(value);
  const only = (value: unknown, keys: readonly string[]): value is Record<string, unknown> =>
    isPlain(value) && Object.keys(value).every((name) => keys.includes(name));
  const isRecord = (value: unknown, allowEmpty = true) =>
    isPlain(value) &&
    Object.entries(value).every(([name, item]) => name.trim() !== '' && typeof item === 'string') &&
    (allowEmpty || Object.keys(value).length > 0);
  const optional = (value: unknown, test: (value: unknown) => boolean) => value === undefined || test(value);
  const isBoolean = (value: unknown) => typeof value === 'boolean';
  const oneOf =
    (...allowed: string[]) =>
    (value: unknown) =>
      typeof value === 'string' && allowed.includes(value);

  // ---- generators: anything, or shapes close to valid so that both outcomes are exercised ----
  const validString = fc.oneof(
    fc.constantFrom('ann', 'nobody-here', 'ann@example.com', '123456', ' padded ', 'New-Pass-123'),
    fc.string({ minLength: 1, maxLength: 12 }),
  );
  const stringish = fc.oneof({ weight: 3, arbitrary: validString }, fc.constantFrom('', ' ', '\t\n'), ANY);
  const record = fc.oneof(
    fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }), { maxKeys: 3 }),
    fc.dictionary(fc.string({ maxLength: 8 }), ANY, { maxKeys: 3 }),
    ANY,
  );
  function input(fields: Record<string, fc.Arbitrary<unknown>>): fc.Arbitrary<unknown> {
    const shaped = fc.record(fields, { requiredKeys: [] });
    return fc.oneof(
      { weight: 1, arbitrary: ANY },
      { weight: 4, arbitrary: shaped },
      {
        weight: 1,
        arbitrary: fc
          .tuple(shaped, fc.string({ maxLength: 8 }), ANY)
          .map(([value, name, extra]) => ({ ...value, [name]: extra })),
      },
    );
  }
  const MFA = fc.oneof(fc.constantFrom('PREFERRED', 'ENABLED', 'DISABLED'), ANY);

  /** What a method does with valid input, given the requests it sent and its outcome. */
  type Spec = {
    name: string;
    args: fc.Arbitrary<unknown[]>;
    valid: (...args: unknown[]) => boolean;
    signedIn?: boolean;
    call: (client: CognitoClient, ...args: unknown[]) => unknown;
    expectValid: (
      requests: RecordedRequest[],
      result: Awaited<ReturnType<typeof outcome>>,
      ...args: unknown[]
    ) => void;
  };
  const one = (target: string, body?: (args: unknown[]) => Record<string, unknown>) => {
    return (requests: RecordedRequest[], _result: unknown, ...args: unknown[]) => {
      expect(requests.map((request) => request.target)).toEqual([target]);
      if (body) expect(requests[0]?.body).toMatchObject(body(args));
    };
  };
  const field = (args: unknown[], name: string) => (args[0] as Record<string, unknown>)[name];
  const clientId = 'testclient123';

  const SPECS: Spec[] = [
    {
      name: 'signUp',
      args: fc.tuple(
        input({
          username: stringish,
          password: stringish,
          attributes: record,
          clientMetadata: record,
          validationData: record,
        }),
      ),
      valid: (value) =>
        only(value, ['username', 'password', 'attributes', 'clientMetadata', 'validationData']) &&
        isString(value.username) &&
        // Optional since passwordless pools (0.2).
        optional(value.password, isString) &&
        optional(value.attributes, isRecord) &&
        optional(value.clientMetadata, isRecord) &&
        optional(value.validationData, isRecord),
      call: (c, value) => c.signUp(value as never),
      expectValid: one('SignUp', (args) => ({
        ClientId: clientId,
        Username: field(args, 'username'),
        ...(field(args, 'password') === undefined ? {} : { Password: field(args, 'password') }),
      })),
    },
    {
      name: 'confirmSignUp',
      args: fc.tuple(input({ username: stringish, code: stringish })),
      valid: (value) => only(value, ['username', 'code']) && isString(value.username) && isString(value.code),
      call: (c, value) => c.confirmSignUp(value as never),
      expectValid: one('ConfirmSignUp', (args) => ({
        ClientId: clientId,
        Username: field(args, 'username'),
        ConfirmationCode: field(args, 'code'),
      })),
    },
    {
      name: 'resendSignUpCode',
      args: fc.tuple(input({ username: stringish })),
      valid: (value) => only(value, ['username']) && isString(value.username),
      call: (c, value) => c.resendSignUpCode(value as never),
      expectValid: one('ResendConfirmationCode', (args) => ({ Username: field(args, 'username') })),
    },
    {
      name: 'signIn',
      args: fc.tuple(
        input({
          username: stringish,
          password: stringish,
          // SRP costs ~0.4 s of CPU per attempt in the library: the valid flows here skip it.
          authFlow: fc.oneof(
            fc.constant('USER_PASSWORD_AUTH'),
            fc.constantFrom('', 'ADMIN_NO_SRP_AUTH'),
            ANY,
          ),
          clientMetadata: record,
        }),
      ),
      valid: (value) =>
        only(value, ['username', 'password', 'authFlow', 'clientMetadata']) &&
        isString(value.username) &&
        isString(value.password) &&
        optional(value.authFlow, oneOf('USER_SRP_AUTH', 'USER_PASSWORD_AUTH', 'CUSTOM_AUTH')) &&
        optional(value.clientMetadata, isRecord),
      call: (c, value) => c.signIn(value as never),
      expectValid: (requests, _result, value) => {
        expect(requests[0]?.target).toBe('InitiateAuth');
        expect(requests[0]?.body.AuthParameters.USERNAME).toBe((value as { username: string }).username);
      },
    },
    {
      name: 'confirmSignIn',
      args: fc.tuple(
        input({
          challengeResponse: stringish,
          userAttributes: record,
          friendlyDeviceName: stringish,
          clientMetadata: record,
        }),
      ),
      valid: (value) =>
        only(value, ['challengeResponse', 'userAttributes', 'friendlyDeviceName', 'clientMetadata']) &&
        isString(value.challengeResponse) &&
        optional(value.userAttributes, isRecord) &&
        optional(value.friendlyDeviceName, isString) &&
        optional(value.clientMetadata, isRecord),
      call: (c, value) => c.confirmSignIn(value as never),
      expectValid: (requests, result) => {
        // Nothing is pending in a fresh storage.
        expect(requests).toEqual([]);
        expect(result.ok ? undefined : (result.error as CognitoError).code).toBe(
          'NoPendingChallengeException',
        );
      },
    },
    {
      name: 'getSession',
      signedIn: true,
      args: fc.tuple(fc.oneof(input({ forceRefresh: fc.oneof(fc.boolean(), ANY) }), fc.constant(undefined))),
      valid: (value) =>
        value === undefined || (only(value, ['forceRefresh']) && optional(value.forceRefresh, isBoolean)),
      call: (c, value) => c.getSession(value as never),
      expectValid: (requests, result, value) => {
        expect(result.ok && (result.value as { username?: string } | null)?.username).toBe('ann');
        const forced = (value as { forceRefresh?: boolean } | undefined)?.forceRefresh === true;
        expect(requests.length).toBe(forced ? 1 : 0);
      },
    },
    {
      name: 'updateAttributes',
      signedIn: true,
      args: fc.tuple(record),
      valid: (value) => isRecord(value, false),
      call: (c, value) => c.updateAttributes(value as never),
      expectValid: one('UpdateUserAttributes', (args) => ({
        UserAttributes: Object.entries(args[0] as object).map(([Name, Value]) => ({ Name, Value })),
      })),
    },
    {
      name: 'sendAttributeVerificationCode',
      signedIn: true,
      args: fc.tuple(stringish),
      valid: (value) => isString(value),
      call: (c, value) => c.sendAttributeVerificationCode(value as never),
      expectValid: one('GetUserAttributeVerificationCode', (args) => ({ AttributeName: args[0] })),
    },
    {
      name: 'verifyAttribute',
      signedIn: true,
      args: fc.tuple(input({ name: stringish, code: stringish })),
      valid: (value) => only(value, ['name', 'code']) && isString(value.name) && isString(value.code),
      call: (c, value) => c.verifyAttribute(value as never),
      expectValid: one('VerifyUserAttribute', (args) => ({
        AttributeName: field(args, 'name'),
        Code: field(args, 'code'),
      })),
    },
    {
      name: 'deleteAttributes',
      signedIn: true,
      args: fc.tuple(
        fc.oneof(
          fc.array(stringish, { maxLength: 3 }),
          fc.sparseArray(validString, { maxLength: 4 }),
          fc.array(validString, { minLength: 1, maxLength: 3 }),
          ANY,
        ),
      ),
      valid: (value) =>
        Array.isArray(value) &&
        value.length > 0 &&
        Array.from({ length: value.length }, (_, index) => index in value && isString(value[index])).every(
          Boolean,
        ),
      call: (c, value) => c.deleteAttributes(value as never),
      expectValid: one('DeleteUserAttributes', (args) => ({ UserAttributeNames: args[0] })),
    },
    {
      name: 'changePassword',
      signedIn: true,
      args: fc.tuple(input({ oldPassword: stringish, newPassword: stringish })),
      valid: (value) =>
        only(value, ['oldPassword', 'newPassword']) &&
        isString(value.oldPassword) &&
        isString(value.newPassword),
      call: (c, value) => c.changePassword(value as never),
      expectValid: one('ChangePassword', (args) => ({
        PreviousPassword: field(args, 'oldPassword'),
        ProposedPassword: field(args, 'newPassword'),
      })),
    },
    {
      name: 'forgotPassword',
      args: fc.tuple(input({ username: stringish })),
      valid: (value) => only(value, ['username']) && isString(value.username),
      call: (c, value) => c.forgotPassword(value as never),
      expectValid: one('ForgotPassword', (args) => ({ Username: field(args, 'username') })),
    },
    {
      name: 'confirmForgotPassword',
      args: fc.tuple(input({ username: stringish, code: stringish, newPassword: stringish })),
      valid: (value) =>
        only(value, ['username', 'code', 'newPassword']) &&
        isString(value.username) &&
        isString(value.code) &&
        isString(value.newPassword),
      call: (c, value) => c.confirmForgotPassword(value as never),
      expectValid: one('ConfirmForgotPassword', (args) => ({
        Username: field(args, 'username'),
        ConfirmationCode: field(args, 'code'),
        Password: field(args, 'newPassword'),
      })),
    },
    {
      name: 'verifyTotpSetup',
      signedIn: true,
      args: fc.tuple(input({ code: stringish, friendlyDeviceName: stringish })),
      valid: (value) =>
        only(value, ['code', 'friendlyDeviceName']) &&
        isString(value.code) &&
        optional(value.friendlyDeviceName, isString),
      call: (c, value) => c.verifyTotpSetup(value as never),
      expectValid: one('VerifySoftwareToken', (args) => ({ UserCode: field(args, 'code') })),
    },
    {
      name: 'setMfaPreference',
      signedIn: true,
      args: fc.tuple(input({ totp: MFA, sms: MFA })),
      valid: (value) =>
        only(value, ['totp', 'sms']) &&
        (value.totp !== undefined || value.sms !== undefined) &&
        optional(value.totp, oneOf('PREFERRED', 'ENABLED', 'DISABLED')) &&
        optional(value.sms, oneOf('PREFERRED', 'ENABLED', 'DISABLED')),
      call: (c, value) => c.setMfaPreference(value as never),
      expectValid: one('SetUserMFAPreference'),
    },
    {
      name: 'signOut',
      signedIn: true,
      args: fc.tuple(fc.oneof(input({ global: fc.oneof(fc.boolean(), ANY) }), fc.constant(undefined))),
      valid: (value) => value === undefined || (only(value, ['global']) && optional(value.global, isBoolean)),
      call: (c, value) => c.signOut(value as never),
      expectValid: (requests, result, value) => {
        expect(result.ok).toBe(true);
        const global = (value as { global?: boolean } | undefined)?.global === true;
        expect(requests.map((request) => request.target)).toEqual([global ? 'GlobalSignOut' : 'RevokeToken']);
      },
    },
  ];

  it.each(SPECS)(
    `$name: InvalidParameterException with zero requests, or the documented behaviour (${RUNS.perMethod} cases)`,
    async (spec) => {
      let valid = 0;
      await check(`parameters → ${spec.name}`, spec.args, RUNS.perMethod, async (args) => {
        const storage: TokenStorage = mapStorage();
        if (spec.signedIn) seedSession(fake, storage, 'ann');
        const client = makeClient(fake, storage, { maxAttempts: 1 });
        fake.requests.length = 0;

        const result = await outcome(Promise.resolve().then(() => spec.call(client, ...args)));
        const requests = [...fake.requests];

        if (!result.ok) expect(result.error).toBeInstanceOf(CognitoError);
        if (spec.valid(...args)) {
          valid++;
          spec.expectValid(requests, result, ...args);
        } else {
          expect(result.ok ? 'resolved' : (result.error as CognitoError).code).toBe(
            'InvalidParameterException',
          );
          expect(requests).toEqual([]);
        }
      });
      // Both branches were exercised.
      expect(valid).toBeGreaterThan(0);
      expect(valid).toBeLessThan(RUNS.perMethod);
    },
  );

  it(`on(event, listener): a synchronous InvalidParameterException, or a working subscription (${RUNS.perMethod} cases)`, async () => {
    const client = makeClient(fake, mapStorage());
    const events = fc.oneof(
      fc.constantFrom('signedIn', 'signedOut', 'tokenRefreshed', 'sessionExpired'),
      stringish,
    );
    const listeners = fc.oneof(
      fc.constant(() => undefined),
      ANY,
    );
    await check('parameters → on', fc.tuple(events, listeners), RUNS.perMethod, async ([event, listener]) => {
      const valid =
        oneOf('signedIn', 'signedOut', 'tokenRefreshed', 'sessionExpired')(event) &&
        typeof listener === 'function';
      let thrown: unknown;
      let off: unknown;
      try {
        off = client.on(event as never, listener as never);
      } catch (error) {
        thrown = error;
      }
      if (valid) {
        expect(thrown).toBeUndefined();
        expect(typeof off).toBe('function');
        (off as () => void)();
      } else {
        expect(thrown).toBeInstanceOf(CognitoError);
        expect((thrown as CognitoError).code).toBe('InvalidParameterException');
      }
    });
  });

  it(`new CognitoClient(options): a synchronous InvalidParameterException, or a client (${RUNS.perMethod} cases)`, async () => {
    const KEYS = [
      'userPoolId',
      'clientId',
      'endpoint',
      'storage',
      'authFlow',
      'refreshMarginSeconds',
      'requestTimeoutMs',
      'maxAttempts',
      'retryBaseDelayMs',
      'refreshTokenRotation',
      'totpIssuer',
    ];
    const number = fc.oneof(fc.integer({ min: -10, max: 700_000 }), fc.double(), ANY);
    const options = input({
      userPoolId: fc.oneof(
        fc.constantFrom('us-east-1_TestPool1', 'eu-west-1_Ab12', 'nounderscore', '_x'),
        stringish,
      ),
      clientId: stringish,
      endpoint: fc.oneof(
        fc.constantFrom('http://127.0.0.1:9229/', 'https://proxy.example/', 'ftp://x/', 'nope'),
        ANY,
      ),
      storage: fc.oneof(fc.constant(mapStorage()), fc.constant({ getItem() {} }), ANY),
      authFlow: fc.oneof(fc.constantFrom('USER_SRP_AUTH', 'USER_PASSWORD_AUTH', 'CUSTOM_AUTH', 'X'), ANY),
      refreshMarginSeconds: number,
      requestTimeoutMs: number,
      maxAttempts: number,
      retryBaseDelayMs: number,
      refreshTokenRotation: fc.oneof(fc.boolean(), ANY),
      totpIssuer: stringish,
    });
    const within = (min: number, max: number) => (value: unknown) =>
      typeof value === 'number' && Number.isFinite(value) && value >= min && value <= max;
    const isUrl = (value: unknown) => {
      if (!isString(value)) return false;
      try {
        return ['http:', 'https:'].includes(new URL(value).protocol);
      } catch {
        return false;
      }
    };
    const isStorage = (value: unknown) =>
      value !== null &&
      typeof value === 'object' &&
      ['getItem', 'setItem', 'removeItem'].every(
        (name) => typeof (value as Record<string, unknown>)[name] === 'function',
      );
    await check('parameters → new CognitoClient', options, RUNS.perMethod, async (value) => {
      const valid =
        only(value, KEYS) &&
        isString(value.userPoolId) &&
        /^[\w-]+_[0-9A-Za-z]+$/.test(value.userPoolId) &&
        isString(value.clientId) &&
        optional(value.endpoint, isUrl) &&
        optional(value.storage, isStorage) &&
        optional(value.authFlow, oneOf('USER_SRP_AUTH', 'USER_PASSWORD_AUTH', 'CUSTOM_AUTH')) &&
        optional(value.refreshMarginSeconds, within(0, 86_400)) &&
        optional(value.requestTimeoutMs, within(1, 600_000)) &&
        optional(value.maxAttempts, within(1, 10)) &&
        optional(value.retryBaseDelayMs, within(0, 60_000)) &&
        optional(value.refreshTokenRotation, isBoolean) &&
        optional(value.totpIssuer, isString);
      let thrown: unknown;
      try {
        expect(new CognitoClient(value as never)).toBeInstanceOf(CognitoClient);
      } catch (error) {
        thrown = error;
      }
      if (valid) expect(thrown).toBeUndefined();
      else expect(thrown).toMatchObject({ name: 'CognitoError', code: 'InvalidParameterException' });
    });
  });
});

// The fake identity pool against the Cognito Identity API reference: wire shapes of GetId and
// GetCredentialsForIdentity, and the checks the service makes on Logins, identity ids and guests.
import { describe, expect, it } from 'vitest';
import { FakeCognito } from './fake-cognito.js';
import { FakeIdentityPool, IDENTITY_ID_PATTERN } from './identity-pool.js';
import { decodeJwtPayload, signJwt } from './jwt.js';

/**
 * From the API reference (docs.aws.amazon.com/cognitoidentity/latest/APIReference/API_GetId.html,
 * API_GetCredentialsForIdentity.html, API_Credentials.html): members, and the errors each may return
 * (plus the common SerializationException / UnknownOperationException of JSON 1.1 services).
 */
const REFERENCE = {
  GetId: {
    request: ['AccountId', 'IdentityPoolId', 'Logins'],
    response: ['IdentityId'],
    errors: [
      'ExternalServiceException',
      'InternalErrorException',
      'InvalidParameterException',
      'LimitExceededException',
      'NotAuthorizedException',
      'ResourceConflictException',
      'ResourceNotFoundException',
      'TooManyRequestsException',
    ],
  },
  GetCredentialsForIdentity: {
    request: ['CustomRoleArn', 'IdentityId', 'Logins'],
    response: ['Credentials', 'IdentityId'],
    errors: [
      'ExternalServiceException',
      'InternalErrorException',
      'InvalidIdentityPoolConfigurationException',
      'InvalidParameterException',
      'NotAuthorizedException',
      'ResourceConflictException',
      'ResourceNotFoundException',
      'TooManyRequestsException',
    ],
  },
  Credentials: ['AccessKeyId', 'Expiration', 'SecretKey', 'SessionToken'],
} as const;
const COMMON_ERRORS = ['SerializationException', 'UnknownOperationException'];

type Operation = 'GetId' | 'GetCredentialsForIdentity';

function setUp(options: ConstructorParameters<typeof FakeIdentityPool>[1] = {}) {
  const fake = new FakeCognito();
  const ann = fake.addUser({ username: 'ann', password: 'Passw0rd!' });
  const idp = new FakeIdentityPool(fake, options);
  const idToken = fake.issueTokens('ann').IdToken;
  const logins = (token = idToken) => ({ [idp.providerName]: token });
  // Every answer is checked against the reference before a test reads it.
  const call = async (target: Operation, body: object) => {
    for (const member of Object.keys(body)) expect(REFERENCE[target].request).toContain(member);
    const response = await idp.handle(target, body);
    const json = JSON.parse(response.body);
    expect(response.headers['content-type']).toBe('application/x-amz-json-1.1');
    if (response.status === 200) {
      expect(Object.keys(json).sort()).toEqual([...REFERENCE[target].response].sort());
      expect(json.IdentityId).toMatch(IDENTITY_ID_PATTERN);
      expect(json.IdentityId.length).toBeLessThanOrEqual(55);
    } else {
      expect([...REFERENCE[target].errors, ...COMMON_ERRORS]).toContain(json.__type);
      expect(response.headers['x-amzn-errortype']).toBe(`${json.__type}:`);
      expect(Object.keys(json).sort()).toEqual(['__type', 'message']);
    }
    return { status: response.status, json };
  };
  const error = async (target: Operation, body: object) => {
    const { status, json } = await call(target, body);
    expect(status).toBe(400);
    return `${json.__type}: ${json.message}`;
  };
  return { fake, idp, ann, idToken, logins, call, error };
}

/** An ID token of the fake's user pool, signed with its key, with claims changed. */
function forged(token: string, changes: Record<string, unknown>): string {
  return signJwt({ ...decodeJwtPayload(token), ...changes });
}

describe('wire shapes (API reference)', () => {
  it('GetId answers { IdentityId } in the <region>:<GUID> format, the same id for the same user', async () => {
    const { idp, call, logins } = setUp();
    const first = await call('GetId', { IdentityPoolId: idp.identityPoolId, Logins: logins() });
    const second = await call('GetId', { IdentityPoolId: idp.identityPoolId, Logins: logins() });
    expect(first.json.IdentityId).toMatch(
      /^us-east-1:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
    );
    expect(second.json.IdentityId).toBe(first.json.IdentityId);
  });

  it('GetCredentialsForIdentity answers { IdentityId, Credentials } with an epoch-seconds number as Expiration', async () => {
    const { idp, call, logins } = setUp({ credentialsTtlSeconds: 3600 });
    const { json: id } = await call('GetId', { IdentityPoolId: idp.identityPoolId, Logins: logins() });
    const before = Math.floor(Date.now() / 1000);
    const { json } = await call('GetCredentialsForIdentity', { IdentityId: id.IdentityId, Logins: logins() });
    expect(json.IdentityId).toBe(id.IdentityId);
    expect(Object.keys(json.Credentials).sort()).toEqual([...REFERENCE.Credentials]);
    expect(json.Credentials.AccessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
    for (const member of ['SecretKey', 'SessionToken'])
      expect(typeof json.Credentials[member]).toBe('string');
    expect(typeof json.Credentials.Expiration).toBe('number');
    expect(json.Credentials.Expiration - before).toBeGreaterThanOrEqual(3600);
    expect(json.Credentials.Expiration - before).toBeLessThanOrEqual(3601);
  });

  it('answers an unknown target with UnknownOperationException and a non-object body with SerializationException', async () => {
    const { idp } = setUp();
    const unknown = await idp.dispatch('AWSCognitoIdentityService.GetOpenIdToken', '{}');
    const broken = await idp.dispatch('AWSCognitoIdentityService.GetId', '[1]');
    const types = [unknown, broken].map((o) => o.kind === 'response' && JSON.parse(o.response.body).__type);
    expect(types).toEqual(['UnknownOperationException', 'SerializationException']);
  });
});

describe('what the identity pool checks', () => {
  it('the IdentityPoolId: missing is a validation error, another pool is not found', async () => {
    const { error } = setUp();
    expect(await error('GetId', {})).toMatch(
      /^InvalidParameterException: 1 validation error detected: Value null at 'identityPoolId'/,
    );
    expect(await error('GetId', { IdentityPoolId: 'us-east-1:00000000-0000-0000-0000-000000000000' })).toBe(
      "ResourceNotFoundException: IdentityPool 'us-east-1:00000000-0000-0000-0000-000000000000' not found.",
    );
  });

  it('the Logins key: only cognito-idp.<region>.amazonaws.com/<userPoolId>', async () => {
    const { idp, fake, idToken, error } = setUp();
    expect(idp.providerName).toBe(`cognito-idp.us-east-1.amazonaws.com/${fake.userPoolId}`);
    for (const key of [
      `cognito-idp.eu-west-1.amazonaws.com/${fake.userPoolId}`,
      fake.userPoolId,
      'accounts.google.com',
    ])
      expect(await error('GetId', { IdentityPoolId: idp.identityPoolId, Logins: { [key]: idToken } })).toBe(
        'NotAuthorizedException: Token is not from a supported provider of this identity pool.',
      );
  });

  it.each([
    [
      'a bad signature',
      (t: string) => `${t.slice(0, -4)}AAAA`,
      'Invalid login token. Not a valid OpenId Connect identity token.',
    ],
    ['an access token', 'access', 'Invalid login token. Not a valid OpenId Connect identity token.'],
    [
      'token_use access',
      { token_use: 'access' },
      'Invalid login token. Not a valid OpenId Connect identity token.',
    ],
    [
      'another issuer',
      { iss: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Other' },
      "Invalid login token. Issuer doesn't match providerName",
    ],
    [
      'an app client the pool does not list',
      { aud: 'other-client' },
      'Invalid login token. Incorrect token audience.',
    ],
  ] as const)('the ID token: %s is refused', async (_name, change, message) => {
    const { fake, idToken, logins, idp, error } = setUp();
    const token =
      change === 'access'
        ? fake.issueTokens('ann').AccessToken
        : typeof change === 'function'
          ? change(idToken)
          : forged(idToken, change);
    expect(await error('GetId', { IdentityPoolId: idp.identityPoolId, Logins: logins(token) })).toBe(
      `NotAuthorizedException: ${message}`,
    );
  });

  it('the ID token’s expiry, on the pool’s clock', async () => {
    let now = Date.now();
    const { idToken, logins, idp, error, call } = setUp({ now: () => now });
    const exp = decodeJwtPayload(idToken)?.exp as number;
    now = (exp - 1) * 1000;
    expect((await call('GetId', { IdentityPoolId: idp.identityPoolId, Logins: logins() })).status).toBe(200);
    now = exp * 1000;
    expect(await error('GetId', { IdentityPoolId: idp.identityPoolId, Logins: logins() })).toBe(
      `NotAuthorizedException: Invalid login token. Token expired: ${exp} >= ${exp}`,
    );
  });

  it('identity ids: malformed is a validation error, unknown or deleted is not found', async () => {
    const { idp, logins, call, error } = setUp();
    expect(await error('GetCredentialsForIdentity', { IdentityId: 'not-an-id', Logins: logins() })).toMatch(
      /^InvalidParameterException: 1 validation error detected: Value 'not-an-id' at 'identityId'/,
    );
    const unknown = 'us-east-1:00000000-0000-0000-0000-000000000000';
    expect(await error('GetCredentialsForIdentity', { IdentityId: unknown, Logins: logins() })).toBe(
      `ResourceNotFoundException: Identity '${unknown}' not found.`,
    );
    const { json } = await call('GetId', { IdentityPoolId: idp.identityPoolId, Logins: logins() });
    idp.deleteIdentity(json.IdentityId);
    expect(await error('GetCredentialsForIdentity', { IdentityId: json.IdentityId, Logins: logins() })).toBe(
      `ResourceNotFoundException: Identity '${json.IdentityId}' not found.`,
    );
  });

  it('an authenticated identity: forbidden without its login, refused with another user’s', async () => {
    const { idp, fake, logins, call, error } = setUp();
    fake.addUser({ username: 'bob', password: 'Passw0rd!' });
    const { json } = await call('GetId', { IdentityPoolId: idp.identityPoolId, Logins: logins() });
    expect(await error('GetCredentialsForIdentity', { IdentityId: json.IdentityId })).toBe(
      `NotAuthorizedException: Access to Identity '${json.IdentityId}' is forbidden.`,
    );
    expect(
      await error('GetCredentialsForIdentity', {
        IdentityId: json.IdentityId,
        Logins: logins(fake.issueTokens('bob').IdToken),
      }),
    ).toBe(
      "NotAuthorizedException: Logins don't match. Please include at least one valid login for this identity or identity pool.",
    );
  });

  it('guests: refused unless the pool allows unauthenticated identities', async () => {
    const closed = setUp();
    expect(await closed.error('GetId', { IdentityPoolId: closed.idp.identityPoolId })).toBe(
      'NotAuthorizedException: Unauthenticated access is not supported for this identity pool.',
    );
    const open = setUp({ allowUnauthenticated: true });
    const { json } = await open.call('GetId', { IdentityPoolId: open.idp.identityPoolId, Logins: {} });
    const creds = await open.call('GetCredentialsForIdentity', { IdentityId: json.IdentityId });
    expect(creds.status).toBe(200);
    expect(open.idp.issued.at(-1)?.sub).toBeUndefined();
    open.idp.allowUnauthenticated = false;
    expect(await open.error('GetCredentialsForIdentity', { IdentityId: json.IdentityId })).toBe(
      'NotAuthorizedException: Unauthenticated access is not supported for this identity pool.',
    );
  });

  it('a guest identity sent with a login becomes the user’s, or is merged into the user’s existing one', async () => {
    const { idp, ann, logins, call } = setUp({ allowUnauthenticated: true });
    const guest = (await call('GetId', { IdentityPoolId: idp.identityPoolId })).json.IdentityId;
    const linked = await call('GetCredentialsForIdentity', { IdentityId: guest, Logins: logins() });
    expect(linked.json.IdentityId).toBe(guest);
    expect(idp.identity(guest)?.sub).toBe(ann.sub);

    const second = (await call('GetId', { IdentityPoolId: idp.identityPoolId })).json.IdentityId;
    const merged = await call('GetCredentialsForIdentity', { IdentityId: second, Logins: logins() });
    expect(merged.json.IdentityId).toBe(guest);
    expect(idp.identity(second)).toBeUndefined();
  });
});

describe('test controls', () => {
  it('counts requests by target and injects faults on the next ones', async () => {
    const { idp, logins } = setUp();
    idp.failNext('GetId', {
      status: 400,
      body: JSON.stringify({ __type: 'TooManyRequestsException', message: 'Rate exceeded' }),
    });
    const throttled = await idp.handle('GetId', { IdentityPoolId: idp.identityPoolId, Logins: logins() });
    const passed = await idp.handle('GetId', { IdentityPoolId: idp.identityPoolId, Logins: logins() });
    idp.failNext('*', { networkError: true });
    await expect(idp.handle('GetId', {})).rejects.toThrow('fetch failed');
    expect([throttled.status, passed.status, idp.count('GetId'), idp.count()]).toEqual([400, 200, 3, 3]);
  });
});

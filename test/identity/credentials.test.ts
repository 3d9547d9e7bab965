// getAwsCredentials() and getIdentityId() for a signed-in user: the requests sent, the shape
// returned, what is cached where, and input checks.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { CognitoClient, CognitoError } from '../../src/index.js';
import { fileStorage } from '../../src/node.js';
import { cleanUp, mapStorage, rejection } from '../faults/support.js';
import { identityClient, idKey, PASSWORD, sent, startPools } from './support.js';

beforeAll(() => nock.disableNetConnect());
afterEach(() => cleanUp(undefined));

function makeFileClient(pools: ReturnType<typeof startPools>, file: string): CognitoClient {
  return new CognitoClient({
    userPoolId: pools.fake.userPoolId,
    clientId: pools.fake.clientId,
    storage: fileStorage(file),
    authFlow: 'USER_PASSWORD_AUTH',
    identityPoolId: pools.idp.identityPoolId,
  });
}

async function signedIn(pools = startPools(), storage = mapStorage()) {
  const client = identityClient(pools, storage);
  const result = await client.signIn({ username: 'ann', password: PASSWORD });
  if (!result.isSignedIn) throw new Error('not signed in');
  pools.fake.requests.length = 0;
  return { ...pools, client, storage, session: result.session };
}

describe('getAwsCredentials, signed in', () => {
  it('sends GetId then GetCredentialsForIdentity with the user pool login, unsigned, and returns the SDK shape', async () => {
    const { client, idp, session, fake } = await signedIn();
    const credentials = await client.getAwsCredentials();

    const logins = { [`cognito-idp.us-east-1.amazonaws.com/${fake.userPoolId}`]: session.idToken };
    const identityId = idp.identityOf(session.userSub)?.id;
    expect(sent({ fake, idp })).toEqual([
      ['GetId', { IdentityPoolId: idp.identityPoolId, Logins: logins }],
      ['GetCredentialsForIdentity', { IdentityId: identityId, Logins: logins }],
    ]);
    for (const request of idp.requests) {
      expect(request.headers['x-amz-target']).toBe(`AWSCognitoIdentityService.${request.target}`);
      expect(request.headers['content-type']).toBe('application/x-amz-json-1.1');
      expect(request.headers.authorization).toBeUndefined();
    }
    const issued = idp.issued[0];
    expect(credentials).toEqual({
      accessKeyId: issued?.accessKeyId,
      secretAccessKey: issued?.secretKey,
      sessionToken: issued?.sessionToken,
      expiration: new Date((issued?.expiration ?? 0) * 1000),
      identityId,
    });
    expect(issued?.sub).toBe(session.userSub);
    expect(fake.count()).toBe(0);
  });

  it('answers 50 concurrent callers with one GetId and one GetCredentialsForIdentity', async () => {
    const { client, idp } = await signedIn();
    const all = await Promise.all(Array.from({ length: 50 }, () => client.getAwsCredentials()));
    expect(idp.count('GetId')).toBe(1);
    expect(idp.count('GetCredentialsForIdentity')).toBe(1);
    expect(new Set(all.map((c) => c.accessKeyId)).size).toBe(1);
  });

  it('serves cached credentials without a request until refreshMarginSeconds before they expire', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const { client, idp } = await signedIn();
    const first = await client.getAwsCredentials();
    vi.setSystemTime(first.expiration.getTime() - 61_000);
    expect((await client.getAwsCredentials()).accessKeyId).toBe(first.accessKeyId);
    expect(idp.count()).toBe(2);

    vi.setSystemTime(first.expiration.getTime() - 60_000);
    const second = await client.getAwsCredentials();
    expect(second.accessKeyId).not.toBe(first.accessKeyId);
    expect(idp.count('GetId')).toBe(1);
    expect(idp.count('GetCredentialsForIdentity')).toBe(2);
  });

  it('keeps short-lived credentials for half their lifetime when that is less than the margin', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const { client, idp } = await signedIn(startPools({ credentialsTtlSeconds: 40 }));
    const first = await client.getAwsCredentials();
    vi.setSystemTime(Date.now() + 19_000);
    await client.getAwsCredentials();
    expect(idp.count('GetCredentialsForIdentity')).toBe(1);
    vi.setSystemTime(Date.now() + 1_000);
    expect((await client.getAwsCredentials()).accessKeyId).not.toBe(first.accessKeyId);
    expect(idp.count('GetCredentialsForIdentity')).toBe(2);
  });

  it('fetches again with forceRefresh, without a GetId', async () => {
    const { client, idp } = await signedIn();
    const first = await client.getAwsCredentials();
    const forced = await client.getAwsCredentials({ forceRefresh: true });
    expect(forced.accessKeyId).not.toBe(first.accessKeyId);
    expect([idp.count('GetId'), idp.count('GetCredentialsForIdentity')]).toEqual([1, 2]);
  });

  it('returns a copy: a caller that changes its object does not change the next caller’s', async () => {
    const { client } = await signedIn();
    const first = (await client.getAwsCredentials()) as { accessKeyId: string };
    const id = first.accessKeyId;
    first.accessKeyId = 'changed';
    expect((await client.getAwsCredentials()).accessKeyId).toBe(id);
  });

  it('keeps the identity id in the storage per user and pool, so a reload sends no GetId', async () => {
    const pools = startPools();
    const { client, storage, idp, session } = await signedIn(pools);
    const { identityId } = await client.getAwsCredentials();
    expect(storage.map.get(idKey(pools, 'ann'))).toBe(identityId);
    expect(idp.identityOf(session.userSub)?.id).toBe(identityId);

    const reloaded = identityClient(pools, storage);
    idp.requests.length = 0;
    expect((await reloaded.getAwsCredentials()).identityId).toBe(identityId);
    expect(sent(pools).map(([target]) => target)).toEqual(['GetCredentialsForIdentity']);
  });

  it('keeps it in a fileStorage too: a second process on the same file sends no GetId', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cognito-kit-identity-'));
    try {
      const pools = startPools();
      const file = join(dir, 'session.json');
      const first = makeFileClient(pools, file);
      await first.signIn({ username: 'ann', password: PASSWORD });
      const { identityId } = await first.getAwsCredentials();
      pools.idp.requests.length = 0;

      const second = makeFileClient(pools, file);
      expect((await second.getAwsCredentials()).identityId).toBe(identityId);
      expect(sent(pools).map(([target]) => target)).toEqual(['GetCredentialsForIdentity']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects StorageException when the identity id cannot be stored; the session stays', async () => {
    const { client, storage, idp } = await signedIn();
    const setItem = storage.setItem;
    storage.setItem = (key, value) => {
      if (key.includes('cognitoKit.identityId')) throw new Error('quota exceeded');
      return setItem(key, value);
    };
    const error = (await rejection(client.getAwsCredentials())) as CognitoError;
    expect([error.code, error.retryable, (error.cause as Error).message]).toEqual([
      'StorageException',
      false,
      'quota exceeded',
    ]);
    expect(sent({ idp } as never).map(([t]) => t)).toEqual(['GetId']);
    expect(await client.getCurrentUser()).toEqual(expect.objectContaining({ username: 'ann' }));
  });

  it('takes the ID token from getSession: refreshed first when due', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const { client, fake, idp, session } = await signedIn();
    vi.setSystemTime(Date.now() + 2 * 3600_000);
    await client.getAwsCredentials();
    expect(fake.refreshCount()).toBe(1);
    const fresh = await client.getSession();
    expect(fresh?.idToken).not.toBe(session.idToken);
    const logins = idp.requests.map((r) => Object.values(r.body.Logins as Record<string, string>)[0]);
    expect(logins).toEqual([fresh?.idToken, fresh?.idToken]);
  });

  it('getIdentityId reads the stored id without a request', async () => {
    const pools = startPools();
    const { client, storage, idp } = await signedIn(pools);
    const { identityId } = await client.getAwsCredentials();
    const other = identityClient(pools, storage);
    idp.requests.length = 0;
    expect(await other.getIdentityId()).toBe(identityId);
    expect(await client.getIdentityId()).toBe(identityId);
    expect(idp.count()).toBe(0);
  });

  it('getIdentityId without a stored id fetches it with the credentials, which are then cached', async () => {
    const { client, idp } = await signedIn();
    const identityId = await client.getIdentityId();
    expect(sent({ idp } as never).map(([t]) => t)).toEqual(['GetId', 'GetCredentialsForIdentity']);
    expect((await client.getAwsCredentials()).identityId).toBe(identityId);
    expect(idp.count()).toBe(2);
  });
});

describe('checks before any request', () => {
  it('rejects both methods with InvalidParameterException without identityPoolId', async () => {
    const pools = startPools();
    const client = new CognitoClient({
      userPoolId: pools.fake.userPoolId,
      clientId: pools.fake.clientId,
      storage: mapStorage(),
    });
    for (const call of [() => client.getAwsCredentials(), () => client.getIdentityId()]) {
      const error = await rejection(call());
      expect(error).toBeInstanceOf(CognitoError);
      expect((error as CognitoError).code).toBe('InvalidParameterException');
    }
    expect(pools.idp.count() + pools.fake.count()).toBe(0);
  });

  it.each([[{ forceRefresh: 'yes' }], [{ force: true }], [null]])(
    'rejects getAwsCredentials(%j) with InvalidParameterException',
    async (options) => {
      const { client, idp } = await signedIn();
      const error = await rejection(client.getAwsCredentials(options as never));
      expect((error as CognitoError).code).toBe('InvalidParameterException');
      expect(idp.count()).toBe(0);
    },
  );

  it('rejects with NotSignedInException when nobody is signed in and guests are not allowed', async () => {
    const pools = startPools({ allowUnauthenticated: true });
    const client = identityClient(pools);
    for (const call of [() => client.getAwsCredentials(), () => client.getIdentityId()]) {
      expect(((await rejection(call())) as CognitoError).code).toBe('NotSignedInException');
    }
    expect(pools.idp.count()).toBe(0);
  });

  it.each([
    [{ identityPoolId: 'us-east-1_notapool' }],
    [{ identityPoolId: 'us-east-1:not-a-guid' }],
    [{ identityPoolId: '' }],
    [{ identityPoolId: 42 }],
    [{ allowGuestAccess: true }],
    [{ identityEndpoint: 'http://127.0.0.1:1/' }],
    [{ identityPoolId: 'us-east-1:1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d', allowGuestAccess: 'yes' }],
    [{ identityPoolId: 'us-east-1:1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d', identityEndpoint: 'ftp://x/' }],
  ])('the constructor rejects %j with InvalidParameterException', (options) => {
    const make = () =>
      new CognitoClient({ userPoolId: 'us-east-1_AbC', clientId: 'c', ...(options as object) });
    expect(make).toThrow(CognitoError);
    try {
      make();
    } catch (error) {
      expect((error as CognitoError).code).toBe('InvalidParameterException');
    }
  });

  it('sends to identityEndpoint when given, else to the identity pool region’s endpoint', async () => {
    const pools = startPools({ identityPoolId: 'eu-west-1:1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d' });
    const urls: string[] = [];
    const realFetch = globalThis.fetch;
    vi.spyOn(globalThis, 'fetch').mockImplementation((input, init) => {
      urls.push(String(input));
      return realFetch(input, init);
    });
    nock('https://cognito-identity.eu-west-1.amazonaws.com')
      .post('/')
      .reply(400, { __type: 'ResourceNotFoundException', message: 'x' });
    nock('https://identity.test').post('/').reply(400, { __type: 'ResourceNotFoundException', message: 'x' });
    for (const options of [{}, { identityEndpoint: 'https://identity.test/' }]) {
      const client = identityClient(pools, mapStorage(), options);
      await client.signIn({ username: 'ann', password: PASSWORD });
      await rejection(client.getAwsCredentials());
    }
    expect(urls.filter((url) => !url.includes('cognito-idp'))).toEqual([
      'https://cognito-identity.eu-west-1.amazonaws.com/',
      'https://identity.test/',
    ]);
  });
});

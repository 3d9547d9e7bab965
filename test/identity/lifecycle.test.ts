// Whose credentials: sign-in and sign-out (also by another client on the same storage) drop them
// at once; guests get unauthenticated credentials; a guest identity is linked on sign-in.
import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CognitoError } from '../../src/index.js';
import { cleanUp, mapStorage, rejection, until } from '../faults/support.js';
import { identityClient, idKey, PASSWORD, sent, startPools } from './support.js';

beforeAll(() => nock.disableNetConnect());
afterEach(() => cleanUp(undefined));

const loginsKey = (pools: ReturnType<typeof startPools>) =>
  `cognito-idp.us-east-1.amazonaws.com/${pools.fake.userPoolId}`;

describe('sign-in and sign-out', () => {
  it('drops cached credentials on sign-out: the next call rejects NotSignedInException without a request', async () => {
    const pools = startPools();
    const client = identityClient(pools);
    await client.signIn({ username: 'ann', password: PASSWORD });
    await client.getAwsCredentials();
    await client.signOut();
    pools.idp.requests.length = 0;
    expect(((await rejection(client.getAwsCredentials())) as CognitoError).code).toBe('NotSignedInException');
    expect(pools.idp.count()).toBe(0);
  });

  it('gives the next user their own identity and credentials; the first user’s id stays stored', async () => {
    const pools = startPools();
    const storage = mapStorage();
    const client = identityClient(pools, storage);
    await client.signIn({ username: 'ann', password: PASSWORD });
    const ann = await client.getAwsCredentials();
    const bobSignIn = await client.signIn({ username: 'bob', password: PASSWORD });
    if (!bobSignIn.isSignedIn) throw new Error('bob not signed in');
    pools.idp.requests.length = 0;
    const bob = await client.getAwsCredentials();
    expect(bob.identityId).not.toBe(ann.identityId);
    expect(bob.accessKeyId).not.toBe(ann.accessKeyId);
    expect(pools.idp.identity(bob.identityId)?.sub).toBe(bobSignIn.session.userSub);
    expect(sent(pools)).toEqual([
      [
        'GetId',
        {
          IdentityPoolId: pools.idp.identityPoolId,
          Logins: { [loginsKey(pools)]: bobSignIn.session.idToken },
        },
      ],
      [
        'GetCredentialsForIdentity',
        { IdentityId: bob.identityId, Logins: { [loginsKey(pools)]: bobSignIn.session.idToken } },
      ],
    ]);
    expect(storage.map.get(idKey(pools, 'ann'))).toBe(ann.identityId);
    expect(storage.map.get(idKey(pools, 'bob'))).toBe(bob.identityId);
  });

  it('sees a sign-out or sign-in by another client on the same storage on its next call', async () => {
    const pools = startPools();
    const storage = mapStorage();
    const mine = identityClient(pools, storage);
    const other = identityClient(pools, storage);
    await mine.signIn({ username: 'ann', password: PASSWORD });
    const ann = await mine.getAwsCredentials();

    await other.signOut();
    expect(((await rejection(mine.getAwsCredentials())) as CognitoError).code).toBe('NotSignedInException');

    await other.signIn({ username: 'bob', password: PASSWORD });
    const bob = await mine.getAwsCredentials();
    expect(bob.identityId).not.toBe(ann.identityId);
    expect(pools.idp.identity(bob.identityId)?.sub).toBe(pools.fake.getUser('bob')?.sub);
  });

  it('drops credentials that were in flight during a sign-out: the next sign-in fetches new ones', async () => {
    const pools = startPools();
    const client = identityClient(pools);
    await client.signIn({ username: 'ann', password: PASSWORD });
    await client.getIdentityId();
    await client.signOut();
    await client.signIn({ username: 'ann', password: PASSWORD });
    pools.idp.requests.length = 0;
    pools.idp.failNext('GetCredentialsForIdentity', { delayMs: 30 });
    const late = client.getAwsCredentials();
    await until(() => pools.idp.count() === 1);
    await client.signOut();
    await late;
    await client.signIn({ username: 'ann', password: PASSWORD });
    await client.getAwsCredentials();
    expect(pools.idp.count('GetCredentialsForIdentity')).toBe(2);
  });
});

describe('guests (allowGuestAccess)', () => {
  it('gets unauthenticated credentials: GetId and GetCredentialsForIdentity without Logins; a reload sends no GetId', async () => {
    const pools = startPools({ allowUnauthenticated: true });
    const storage = mapStorage();
    const guest = identityClient(pools, storage, { allowGuestAccess: true });
    const credentials = await guest.getAwsCredentials();
    expect(sent(pools)).toEqual([
      ['GetId', { IdentityPoolId: pools.idp.identityPoolId }],
      ['GetCredentialsForIdentity', { IdentityId: credentials.identityId }],
    ]);
    expect(pools.idp.identity(credentials.identityId)?.sub).toBeUndefined();
    expect(storage.map.get(idKey(pools))).toBe(credentials.identityId);

    pools.idp.requests.length = 0;
    const reloaded = identityClient(pools, storage, { allowGuestAccess: true });
    expect(await reloaded.getIdentityId()).toBe(credentials.identityId);
    await reloaded.getAwsCredentials();
    expect(sent(pools).map(([target]) => target)).toEqual(['GetCredentialsForIdentity']);
  });

  it('links the guest identity on sign-in: no GetId, the guest id sent with Logins, the answer stored for the user', async () => {
    const pools = startPools({ allowUnauthenticated: true });
    const storage = mapStorage();
    const client = identityClient(pools, storage, { allowGuestAccess: true });
    const guest = await client.getAwsCredentials();
    const signedIn = await client.signIn({ username: 'ann', password: PASSWORD });
    if (!signedIn.isSignedIn) throw new Error('not signed in');
    pools.idp.requests.length = 0;

    const ann = await client.getAwsCredentials();
    expect(sent(pools)).toEqual([
      [
        'GetCredentialsForIdentity',
        { IdentityId: guest.identityId, Logins: { [loginsKey(pools)]: signedIn.session.idToken } },
      ],
    ]);
    expect(ann.identityId).toBe(guest.identityId);
    expect(ann.accessKeyId).not.toBe(guest.accessKeyId);
    expect(pools.idp.identity(ann.identityId)?.sub).toBe(signedIn.session.userSub);
    expect(storage.map.get(idKey(pools, 'ann'))).toBe(ann.identityId);
    expect(storage.map.has(idKey(pools))).toBe(false);

    // Signed out again, the visitor is a new guest.
    await client.signOut();
    const next = await client.getAwsCredentials();
    expect(next.identityId).not.toBe(ann.identityId);
    expect(pools.idp.requests.at(-2)?.body).toEqual({ IdentityPoolId: pools.idp.identityPoolId });
  });

  it('replaces the guest id with the pool’s answer when the user already has an identity', async () => {
    const pools = startPools({ allowUnauthenticated: true });
    const elsewhere = identityClient(pools);
    await elsewhere.signIn({ username: 'ann', password: PASSWORD });
    const existing = await elsewhere.getIdentityId();

    const storage = mapStorage();
    const client = identityClient(pools, storage, { allowGuestAccess: true });
    const guest = await client.getIdentityId();
    await client.signIn({ username: 'ann', password: PASSWORD });
    pools.idp.requests.length = 0;
    const ann = await client.getAwsCredentials();
    expect(
      sent(pools).map(([target, body]) => [target, (body as { IdentityId?: string }).IdentityId]),
    ).toEqual([['GetCredentialsForIdentity', guest]]);
    expect(ann.identityId).toBe(existing);
    expect(storage.map.get(idKey(pools, 'ann'))).toBe(existing);
    expect(storage.map.has(idKey(pools))).toBe(false);
  });

  it('does not hand out a stored guest id once allowGuestAccess is off', async () => {
    const pools = startPools({ allowUnauthenticated: true });
    const storage = mapStorage();
    await identityClient(pools, storage, { allowGuestAccess: true }).getIdentityId();
    const strict = identityClient(pools, storage);
    expect(((await rejection(strict.getIdentityId())) as CognitoError).code).toBe('NotSignedInException');
    expect(((await rejection(strict.getAwsCredentials())) as CognitoError).code).toBe('NotSignedInException');
  });

  it('rejects NotAuthorizedException when the pool does not allow guests, and stores nothing', async () => {
    const pools = startPools({ allowUnauthenticated: false });
    const storage = mapStorage();
    const client = identityClient(pools, storage, { allowGuestAccess: true });
    const error = (await rejection(client.getAwsCredentials())) as CognitoError;
    expect([error.code, error.message, error.retryable]).toEqual([
      'NotAuthorizedException',
      'Unauthenticated access is not supported for this identity pool.',
      false,
    ]);
    expect(sent(pools).map(([target]) => target)).toEqual(['GetId']);
    expect(storage.snapshot()).toEqual({});
  });
});

// Faults on the way to AWS credentials: what is retried, what is refreshed, what is dropped, and
// what the caller sees; exact request counts.
import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CognitoError } from '../../src/index.js';
import { cognitoError } from '../fake-cognito/index.js';
import { cleanUp, HTML_503, mapStorage, rejection } from '../faults/support.js';
import { identityClient, idKey, PASSWORD, sent, startPools } from './support.js';

beforeAll(() => nock.disableNetConnect());
afterEach(() => cleanUp(undefined));

const HOURS_2 = 2 * 3600_000;

async function signedIn(pools = startPools(), options = {}) {
  const storage = mapStorage();
  const client = identityClient(pools, storage, options);
  await client.signIn({ username: 'ann', password: PASSWORD });
  pools.fake.requests.length = 0;
  return { ...pools, client, storage };
}

const targets = (pools: Parameters<typeof sent>[0]) => sent(pools).map(([target]) => target);

describe('transient faults', () => {
  it('retries a dropped connection and answers with the second attempt', async () => {
    const pools = await signedIn();
    pools.idp.failNext('GetCredentialsForIdentity', { networkError: true });
    const credentials = await pools.client.getAwsCredentials();
    expect(targets(pools)).toEqual(['GetId', 'GetCredentialsForIdentity', 'GetCredentialsForIdentity']);
    expect(credentials.accessKeyId).toBe(pools.idp.issued[0]?.accessKeyId);
  });

  it('rejects NetworkError after maxAttempts, caches nothing and keeps the identity id', async () => {
    const pools = await signedIn(startPools(), { maxAttempts: 2 });
    pools.idp.failNext('GetCredentialsForIdentity', { networkError: true }, 2);
    const error = (await rejection(pools.client.getAwsCredentials())) as CognitoError;
    expect([error.code, error.retryable]).toEqual(['NetworkError', true]);
    expect(targets(pools)).toEqual(['GetId', 'GetCredentialsForIdentity', 'GetCredentialsForIdentity']);
    const identityId = pools.storage.map.get(idKey(pools, 'ann'));
    expect(identityId).toBe(pools.idp.requests[1]?.body.IdentityId);

    pools.idp.requests.length = 0;
    expect((await pools.client.getAwsCredentials()).identityId).toBe(identityId);
    expect(targets(pools)).toEqual(['GetCredentialsForIdentity']);
  });

  it('retries throttling (TooManyRequestsException) with backoff', async () => {
    const pools = await signedIn();
    pools.idp.failNext('GetId', cognitoError('TooManyRequestsException', 'Rate exceeded'), 2);
    await pools.client.getAwsCredentials();
    expect(targets(pools)).toEqual(['GetId', 'GetId', 'GetId', 'GetCredentialsForIdentity']);
  });

  it('rejects TooManyRequestsException when throttling outlasts maxAttempts; the 50 callers share the one failure', async () => {
    const pools = await signedIn();
    pools.idp.failNext('GetId', cognitoError('TooManyRequestsException', 'Rate exceeded'), 3);
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, () => pools.client.getAwsCredentials()),
    );
    expect(new Set(results.map((r) => r.status === 'rejected' && (r.reason as CognitoError).code))).toEqual(
      new Set(['TooManyRequestsException']),
    );
    expect(targets(pools)).toEqual(['GetId', 'GetId', 'GetId']);
  });

  it('rejects UnexpectedResponseException for a proxy’s HTML page', async () => {
    const pools = await signedIn(startPools(), { maxAttempts: 1 });
    pools.idp.failNext('GetId', HTML_503);
    expect(((await rejection(pools.client.getAwsCredentials())) as CognitoError).code).toBe(
      'UnexpectedResponseException',
    );
  });

  it('rejects TimeoutError for a pool that does not answer within requestTimeoutMs', async () => {
    const pools = await signedIn(startPools(), { maxAttempts: 1, requestTimeoutMs: 50 });
    pools.idp.failNext('GetCredentialsForIdentity', { hang: true });
    const error = (await rejection(pools.client.getAwsCredentials())) as CognitoError;
    pools.idp.releaseHung();
    expect(error.code).toBe('TimeoutError');
  });

  it('rejects UnexpectedResponseException for credentials without a session token', async () => {
    const pools = await signedIn();
    pools.idp.failNext('GetCredentialsForIdentity', {
      status: 200,
      body: JSON.stringify({
        IdentityId: 'us-east-1:0000',
        Credentials: { AccessKeyId: 'ASIAX', SecretKey: 'k', Expiration: 1 },
      }),
    });
    const error = (await rejection(pools.client.getAwsCredentials())) as CognitoError;
    expect([error.code, error.cause]).toEqual(['UnexpectedResponseException', undefined]);
  });
});

describe('an expired ID token', () => {
  it('refreshes the session once and retries once when the pool says the token expired', async () => {
    let skew = 0;
    // The user pool and identity pool run 2 h ahead of this client, which measured no drift at sign-in.
    const pools = await signedIn(startPools({}, { now: () => Date.now() + skew }));
    skew = HOURS_2;
    const before = await pools.client.getSession();
    const credentials = await pools.client.getAwsCredentials();
    const after = await pools.client.getSession();

    expect(pools.fake.refreshCount()).toBe(1);
    expect(after?.idToken).not.toBe(before?.idToken);
    const tokens = pools.idp.requests.map((r) => Object.values(r.body.Logins as Record<string, string>)[0]);
    expect(targets(pools)).toEqual(['GetId', 'GetId', 'GetCredentialsForIdentity']);
    expect(tokens).toEqual([before?.idToken, after?.idToken, after?.idToken]);
    expect(credentials.identityId).toBe(pools.idp.identityOf(after?.userSub ?? '')?.id);
  });

  it('rejects NotAuthorizedException "Invalid login token. Token expired" after exactly one refresh; the session stays', async () => {
    // Only the identity pool's clock is ahead: the refreshed token is expired for it too.
    const pools = await signedIn(startPools({ now: () => Date.now() + HOURS_2 }));
    const error = (await rejection(pools.client.getAwsCredentials())) as CognitoError;
    expect(error.code).toBe('NotAuthorizedException');
    expect(error.message).toMatch(/^Invalid login token\. Token expired: \d+ >= \d+$/);
    expect(pools.fake.refreshCount()).toBe(1);
    expect(targets(pools)).toEqual(['GetId', 'GetId']);
    expect(await pools.client.getCurrentUser()).not.toBeNull();
  });

  it('rejects NotSignedInException when the refresh finds the session revoked', async () => {
    const pools = await signedIn();
    pools.fake.revokeRefreshTokens('ann');
    pools.idp.failNext(
      'GetId',
      cognitoError('NotAuthorizedException', 'Invalid login token. Token expired: 2 >= 1'),
    );
    expect(((await rejection(pools.client.getAwsCredentials())) as CognitoError).code).toBe(
      'NotSignedInException',
    );
    expect(targets(pools)).toEqual(['GetId']);
  });
});

describe('an identity id the pool no longer knows', () => {
  it('is dropped and fetched again once (GetId), then stored', async () => {
    const pools = await signedIn();
    const { identityId } = await pools.client.getAwsCredentials();
    pools.idp.deleteIdentity(identityId);
    pools.idp.requests.length = 0;

    const again = await pools.client.getAwsCredentials({ forceRefresh: true });
    expect(targets(pools)).toEqual(['GetCredentialsForIdentity', 'GetId', 'GetCredentialsForIdentity']);
    expect(again.identityId).not.toBe(identityId);
    expect(pools.storage.map.get(idKey(pools, 'ann'))).toBe(again.identityId);
  });

  it('rejects ResourceNotFoundException when the new id is refused too: one GetId, no loop', async () => {
    const pools = await signedIn();
    await pools.client.getAwsCredentials();
    pools.idp.requests.length = 0;
    pools.idp.failNext(
      'GetCredentialsForIdentity',
      cognitoError('ResourceNotFoundException', "Identity 'x' not found."),
      2,
    );
    const error = (await rejection(pools.client.getAwsCredentials({ forceRefresh: true }))) as CognitoError;
    expect(error.code).toBe('ResourceNotFoundException');
    expect(targets(pools)).toEqual(['GetCredentialsForIdentity', 'GetId', 'GetCredentialsForIdentity']);
  });
});

describe('the pool refuses the login', () => {
  it('rejects NotAuthorizedException for an app client the pool does not list (after one refresh)', async () => {
    const pools = await signedIn(startPools({ clientIds: ['another-client'] }));
    const error = (await rejection(pools.client.getAwsCredentials())) as CognitoError;
    expect([error.code, error.message]).toEqual([
      'NotAuthorizedException',
      'Invalid login token. Incorrect token audience.',
    ]);
    expect(targets(pools)).toEqual(['GetId', 'GetId']);
    expect(pools.fake.refreshCount()).toBe(1);
  });
});

// The proof with an independent client: the real AWS SDK v3 S3 client, configured with
// `credentials: () => client.getAwsCredentials()`, signs its requests with our credentials (its
// SigV4 signature checks out with the secret key the identity pool issued), and once they expire
// its next call fetches new ones through us. Everything runs over real HTTP on 127.0.0.1.
import { createHash, createHmac } from 'node:crypto';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CognitoClient, memoryStorage } from '../../src/index.js';
import {
  FakeCognito,
  FakeIdentityPool,
  startFakeCognitoServer,
  startFakeIdentityServer,
} from '../fake-cognito/index.js';
import { type S3Request, startS3StandIn } from '../helpers/s3-stand-in.js';

const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();
const sha256 = (data: string) => createHash('sha256').update(data).digest('hex');
const encode = (text: string) =>
  encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** Recomputes a request's SigV4 signature (AWS's documented algorithm) with `secretKey`. */
function sigV4(request: S3Request, secretKey: string): string {
  const authorization = String(request.headers.authorization);
  const [, scope = '', signedHeaders = ''] =
    /Credential=[^/]+\/([^,]+), SignedHeaders=([^,]+), Signature=/.exec(authorization) ?? [];
  const [date = '', region = '', service = ''] = scope.split('/');
  const url = new URL(request.url, 'http://s3.test');
  const query = [...url.searchParams]
    .map(([k, v]) => `${encode(k)}=${encode(v)}`)
    .sort()
    .join('&');
  const names = signedHeaders.split(';');
  const canonicalHeaders = names
    .map((name) => `${name}:${String(request.headers[name]).trim().replace(/\s+/g, ' ')}\n`)
    .join('');
  const canonical = [
    request.method,
    url.pathname,
    query,
    canonicalHeaders,
    signedHeaders,
    String(request.headers['x-amz-content-sha256']),
  ].join('\n');
  const amzDate = String(request.headers['x-amz-date']);
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonical)].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${secretKey}`, date), region), service), 'aws4_request');
  return hmac(key, toSign).toString('hex');
}

describe('an AWS SDK v3 S3 client with credentials: () => client.getAwsCredentials()', () => {
  const stops: (() => Promise<void>)[] = [];
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
  });
  afterEach(async () => {
    vi.useRealTimers();
    for (const stop of stops.splice(0)) await stop();
  });

  it('signs with our access key id and session token, and comes back to us when they expire', async () => {
    const fake = new FakeCognito();
    fake.addUser({ username: 'ann', password: 'Passw0rd!' });
    const idp = new FakeIdentityPool(fake, { credentialsTtlSeconds: 3600 });
    const userPoolServer = await startFakeCognitoServer(fake);
    const identityServer = await startFakeIdentityServer(idp);
    const s3Server = await startS3StandIn();
    stops.push(userPoolServer.close, identityServer.close, s3Server.close);

    const client = new CognitoClient({
      userPoolId: fake.userPoolId,
      clientId: fake.clientId,
      endpoint: userPoolServer.url,
      identityPoolId: idp.identityPoolId,
      identityEndpoint: identityServer.url,
      storage: memoryStorage(),
      authFlow: 'USER_PASSWORD_AUTH',
    });
    await client.signIn({ username: 'ann', password: 'Passw0rd!' });
    const s3 = new S3Client({
      region: 'us-east-1',
      endpoint: s3Server.url,
      forcePathStyle: true,
      maxAttempts: 1,
      credentials: () => client.getAwsCredentials(),
    });
    const put = (key: string) => s3.send(new PutObjectCommand({ Bucket: 'photos', Key: key, Body: 'hello' }));

    await put('a.txt');
    await put('b.txt');
    const first = idp.issued[0];
    expect(idp.count('GetCredentialsForIdentity')).toBe(1);
    for (const request of s3Server.received) {
      expect(request.method).toBe('PUT');
      expect(request.headers.authorization).toMatch(
        new RegExp(
          `^AWS4-HMAC-SHA256 Credential=${first?.accessKeyId}/\\d{8}/us-east-1/s3/aws4_request, SignedHeaders=[a-z0-9;-]*x-amz-security-token[a-z0-9;-]*, Signature=[0-9a-f]{64}$`,
        ),
      );
      expect(request.headers['x-amz-security-token']).toBe(first?.sessionToken);
      const signature = /Signature=([0-9a-f]{64})$/.exec(String(request.headers.authorization))?.[1];
      expect(sigV4(request, first?.secretKey ?? '')).toBe(signature);
      expect(sigV4(request, 'not-the-secret-key')).not.toBe(signature);
    }
    expect(s3Server.received.map((r) => new URL(r.url, 'http://s3.test').pathname)).toEqual([
      '/photos/a.txt',
      '/photos/b.txt',
    ]);

    // An hour later the credentials (and the user-pool tokens) have expired.
    vi.setSystemTime(Date.now() + 3600_000);
    await put('c.txt');
    const second = idp.issued[1];
    expect(idp.count('GetCredentialsForIdentity')).toBe(2);
    expect(idp.count('GetId')).toBe(1);
    expect(fake.refreshCount()).toBe(1);
    const last = s3Server.received[2];
    expect(String(last?.headers.authorization)).toContain(`Credential=${second?.accessKeyId}/`);
    expect(last?.headers['x-amz-security-token']).toBe(second?.sessionToken);
    expect(sigV4(last as S3Request, second?.secretKey ?? '')).toBe(
      /Signature=([0-9a-f]{64})$/.exec(String(last?.headers.authorization))?.[1],
    );
  });
});

/**
 * `npm run demo:identity`: AWS credentials from an identity pool through cognito-kit, step by
 * step, with the requests each step sent.
 *
 * It starts, on 127.0.0.1, the fake user pool and the fake identity pool of the test suite (real
 * HTTP, the identity pool checking the ID token's signature, issuer, audience and expiry like AWS)
 * and a stand-in for S3 that records the SigV4 headers the real AWS SDK v3 S3 client sends. A guest
 * gets credentials, signs in (the guest identity is linked: no GetId), 50 callers share cached
 * credentials, a "reload" sends no GetId, the S3 client signs with our credentials and comes back
 * to us when they expire (the demo's credentials live 6 seconds), and sign-out returns to a guest.
 * Everything is stopped at the end, whatever happens; a failed step ends the run with exit code 1.
 * Nothing secret is printed: access key ids are cut short, secrets shown as lengths.
 */
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { type AwsCredentials, CognitoClient, memoryStorage } from '../src/index.js';
import {
  FakeCognito,
  FakeIdentityPool,
  startFakeCognitoServer,
  startFakeIdentityServer,
} from '../test/fake-cognito/index.js';
import { startS3StandIn } from '../test/helpers/s3-stand-in.js';
import { bold, check, dim, StepPrinter } from './lib/steps.js';

const PASSWORD = `Demo-${Math.random().toString(36).slice(2)}-1a!`;
const CREDENTIAL_SECONDS = 6;
const { step } = new StepPrinter({ labelWidth: 46, msWidth: 5 });

const shortKey = (credentials: AwsCredentials) => `${credentials.accessKeyId.slice(0, 8)}…`;
const shortId = (id: string) => `${id.slice(0, 18)}…`;

async function main(): Promise<void> {
  const stops: (() => Promise<void>)[] = [];
  let failed = false;
  console.log(bold('cognito-kit demo: AWS credentials from an identity pool (local fakes over HTTP)\n'));
  try {
    const fake = new FakeCognito();
    fake.addUser({ username: 'ann', password: PASSWORD, attributes: { email: 'ann@example.com' } });
    const idp = new FakeIdentityPool(fake, {
      allowUnauthenticated: true,
      credentialsTtlSeconds: CREDENTIAL_SECONDS,
    });
    const servers = await step('start user pool, identity pool, S3', async () => {
      const userPool = await startFakeCognitoServer(fake);
      const identity = await startFakeIdentityServer(idp);
      const s3 = await startS3StandIn();
      stops.push(userPool.close, identity.close, s3.close);
      return [{ userPool, identity, s3 }, `identity pool ${idp.identityPoolId} at ${identity.url}`];
    });
    const storage = memoryStorage();
    const options = {
      userPoolId: fake.userPoolId,
      clientId: fake.clientId,
      endpoint: servers.userPool.url,
      identityPoolId: idp.identityPoolId,
      identityEndpoint: servers.identity.url,
      allowGuestAccess: true,
      authFlow: 'USER_PASSWORD_AUTH' as const,
      storage,
    };
    const client = new CognitoClient(options);
    const sent = () => {
      const targets = idp.requests.splice(0).map((r) => r.target);
      return targets.length ? targets.join(' + ') : 'no request';
    };

    const guest = await step('guest credentials', async () => {
      const credentials = await client.getAwsCredentials();
      return [
        credentials,
        `${sent()} → guest ${shortId(credentials.identityId)}, key ${shortKey(credentials)}`,
      ];
    });

    await step('sign in', async () => {
      const result = await client.signIn({ username: 'ann', password: PASSWORD });
      check(result.isSignedIn, 'signed in');
      return [result, `ann (sub ${result.session.userSub.slice(0, 8)}…); cached guest credentials dropped`];
    });

    const ann = await step('user credentials (guest identity linked)', async () => {
      const credentials = await client.getAwsCredentials();
      const requests = sent();
      check(requests === 'GetCredentialsForIdentity', 'linking sends no GetId');
      check(credentials.identityId === guest.identityId, 'the guest identity became the user’s');
      return [
        credentials,
        `${requests} with the guest id + Logins → same identity, key ${shortKey(credentials)}`,
      ];
    });

    await step('50 concurrent getAwsCredentials()', async () => {
      const all = await Promise.all(Array.from({ length: 50 }, () => client.getAwsCredentials()));
      const requests = sent();
      check(requests === 'no request' && all.every((c) => c.accessKeyId === ann.accessKeyId), 'cached');
      return [all, `${requests}: all 50 from the cache`];
    });

    await step('reload: a new client, same storage', async () => {
      const reloaded = new CognitoClient(options);
      const credentials = await reloaded.getAwsCredentials();
      const requests = sent();
      check(requests === 'GetCredentialsForIdentity', 'no GetId after a reload');
      return [credentials, `${requests} (identity id read from the storage, no GetId)`];
    });

    const s3 = new S3Client({
      region: 'us-east-1',
      endpoint: servers.s3.url,
      forcePathStyle: true,
      maxAttempts: 1,
      credentials: () => client.getAwsCredentials(),
    });
    const put = (key: string) => s3.send(new PutObjectCommand({ Bucket: 'demo', Key: key, Body: 'hello' }));
    const signedWith = () => {
      const headers = servers.s3.received.at(-1)?.headers ?? {};
      const keyId = /Credential=([A-Z0-9]+)\//.exec(String(headers.authorization))?.[1] ?? '';
      return { keyId, token: String(headers['x-amz-security-token'] ?? '') };
    };

    await step('S3 PutObject with the AWS SDK v3', async () => {
      await put('a.txt');
      const { keyId, token } = signedWith();
      check(keyId === ann.accessKeyId && token === ann.sessionToken, 'signed with our credentials');
      return [
        null,
        `${sent()}; SigV4 Credential=${keyId.slice(0, 8)}…, X-Amz-Security-Token = ours (${token.length} chars)`,
      ];
    });

    await step(`credentials expire (${CREDENTIAL_SECONDS} s life)`, async () => {
      const wait = ann.expiration.getTime() - Date.now() - 2_000;
      await new Promise((resolve) => setTimeout(resolve, Math.max(wait, 0) + 200));
      await put('b.txt');
      const requests = sent();
      const { keyId } = signedWith();
      check(requests === 'GetCredentialsForIdentity' && keyId !== ann.accessKeyId, 'renewed through us');
      return [null, `the SDK asked us again: ${requests}, S3 now signed with ${keyId.slice(0, 8)}…`];
    });

    await step('sign out, then guest again', async () => {
      await client.signOut();
      const credentials = await client.getAwsCredentials();
      check(credentials.identityId !== ann.identityId, 'a new guest');
      return [credentials, `${sent()} → new guest ${shortId(credentials.identityId)}`];
    });
  } catch {
    failed = true;
  } finally {
    for (const stop of stops) await stop();
    console.log(dim(`\nservers stopped${failed ? '; the demo FAILED' : ''}`));
  }
  if (failed) process.exitCode = 1;
}

await main();

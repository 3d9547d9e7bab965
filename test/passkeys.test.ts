// Listing and deleting passkeys (no WebAuthn needed), with the exact requests; registering and
// signing in with one run in a real browser (test/browser/passkeys.test.ts).
import nock from 'nock';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type CognitoClient, isCognitoError, memoryStorage } from '../src/index.js';
import type { FakeCognito } from './fake-cognito/index.js';
import { makeClient, startFake } from './helpers/fake-client.js';

const PASSWORD = 'Correct-Horse-1';
let fake: FakeCognito;
let client: CognitoClient;

function passkey(id: string, createdAt: number) {
  return {
    id,
    publicKey: new Uint8Array([1, 2, 3]),
    counter: 0,
    transports: ['internal'],
    attachment: 'platform',
    friendlyName: `Key ${id}`,
    relyingPartyId: 'localhost',
    createdAt,
  };
}

beforeAll(() => nock.disableNetConnect());
beforeEach(async () => {
  fake = startFake();
  fake.addUser({ username: 'ann', password: PASSWORD, attributes: { email: 'ann@example.com' } });
  fake.getUser('ann')?.passkeys.push(passkey('a1', 1_700_000_000_000), passkey('b2', 1_700_000_100_000));
  client = makeClient(fake, memoryStorage());
  await client.signIn({ username: 'ann', password: PASSWORD });
  fake.requests.length = 0;
});
afterEach(() => nock.cleanAll());

describe('listPasskeys', () => {
  it('maps ListWebAuthnCredentials, a page at a time', async () => {
    const first = await client.listPasskeys({ limit: 1 });
    expect(first.passkeys).toEqual([
      {
        credentialId: 'a1',
        friendlyName: 'Key a1',
        relyingPartyId: 'localhost',
        createdAt: new Date(1_700_000_000_000),
        authenticatorAttachment: 'platform',
        authenticatorTransports: ['internal'],
      },
    ]);
    expect(first.nextToken).toEqual(expect.any(String));
    const second = await client.listPasskeys({ limit: 1, nextToken: first.nextToken as string });
    expect(second.passkeys.map((item) => item.credentialId)).toEqual(['b2']);
    expect(second).not.toHaveProperty('nextToken');
    expect(fake.requests.map((request) => request.body)).toEqual([
      { AccessToken: expect.any(String), MaxResults: 1 },
      { AccessToken: expect.any(String), MaxResults: 1, NextToken: first.nextToken },
    ]);
    expect(fake.requests.map((request) => request.target)).toEqual([
      'ListWebAuthnCredentials',
      'ListWebAuthnCredentials',
    ]);
  });

  it.each([[{ limit: 0 }], [{ limit: 21 }], [{ limit: 1.5 }], [{ nextToken: '' }], [{ unknown: 1 }]])(
    'rejects %j before any request',
    async (input) => {
      const error = await client.listPasskeys(input as never).catch((reason: unknown) => reason);
      expect(isCognitoError(error, 'InvalidParameterException')).toBe(true);
      expect(fake.requests).toEqual([]);
    },
  );

  it('needs a signed-in user', async () => {
    const error = await makeClient(fake, memoryStorage())
      .listPasskeys()
      .catch((reason: unknown) => reason);
    expect(isCognitoError(error, 'NotSignedInException')).toBe(true);
    expect(fake.requests).toEqual([]);
  });
});

describe('deletePasskey', () => {
  it('sends DeleteWebAuthnCredential; an unknown id is ResourceNotFoundException', async () => {
    await client.deletePasskey({ credentialId: 'a1' });
    expect(fake.requests.map((r) => [r.target, r.body])).toEqual([
      ['DeleteWebAuthnCredential', { AccessToken: expect.any(String), CredentialId: 'a1' }],
    ]);
    expect((await client.listPasskeys()).passkeys.map((item) => item.credentialId)).toEqual(['b2']);
    const error = await client.deletePasskey({ credentialId: 'a1' }).catch((reason: unknown) => reason);
    expect(isCognitoError(error, 'ResourceNotFoundException')).toBe(true);
  });

  it('rejects a missing credentialId before any request', async () => {
    const error = await client.deletePasskey({} as never).catch((reason: unknown) => reason);
    expect(isCognitoError(error, 'InvalidParameterException')).toBe(true);
    expect(fake.requests).toEqual([]);
  });
});

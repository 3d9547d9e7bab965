// A fake user pool and a fake identity pool behind nock, and clients wired to both.
import type { CognitoClient, CognitoClientOptions } from '../../src/index.js';
import {
  type FakeCognitoOptions,
  FakeIdentityPool,
  type FakeIdentityPoolOptions,
} from '../fake-cognito/index.js';
import { type MapStorage, makeClient, mapStorage, PASSWORD, startFake } from '../faults/support.js';

export { PASSWORD };

/** ann and bob (both with {@link PASSWORD}) in a user pool that is the identity pool's provider. */
export function startPools(identity: FakeIdentityPoolOptions = {}, userPool: FakeCognitoOptions = {}) {
  const fake = startFake(userPool);
  fake.addUser({ username: 'ann', password: PASSWORD, attributes: { email: 'ann@example.com' } });
  fake.addUser({ username: 'bob', password: PASSWORD });
  const idp = new FakeIdentityPool(fake, identity);
  idp.intercept();
  return { fake, idp };
}

/** A client of both pools on `storage`. */
export function identityClient(
  pools: ReturnType<typeof startPools>,
  storage: MapStorage = mapStorage(),
  options: Partial<CognitoClientOptions> = {},
): CognitoClient {
  return makeClient(pools.fake, storage, { identityPoolId: pools.idp.identityPoolId, ...options });
}

/** The storage key of a user's identity id (`undefined`: the guest's). */
export function idKey(pools: ReturnType<typeof startPools>, username?: string): string {
  const prefix = `CognitoIdentityServiceProvider.${pools.fake.clientId}`;
  return username
    ? `${prefix}.${username}.cognitoKit.identityId.${pools.idp.identityPoolId}`
    : `${prefix}.cognitoKit.guestIdentityId.${pools.idp.identityPoolId}`;
}

/** Requests to the identity pool as `[target, body]`, for exact assertions. */
export function sent(pools: ReturnType<typeof startPools>): [string, unknown][] {
  return pools.idp.requests.map((request) => [request.target, request.body]);
}

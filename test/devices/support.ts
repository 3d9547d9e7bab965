// The set-up the device tests share: a fake pool with device tracking, clients on one storage
// (one browser, many page loads), and readers for what the fake received and what is stored.
import nock from 'nock';
import { type CognitoClientOptions, memoryStorage, type TokenStorage } from '../../src/index.js';
import { FakeCognito, type FakeCognitoOptions } from '../fake-cognito/index.js';
import { makeClient } from '../helpers/fake-client.js';

export const PASSWORD = 'Correct-Horse-1';

export function deviceSetup(
  fakeOptions: FakeCognitoOptions = {},
  clientOptions: Partial<CognitoClientOptions> = {},
) {
  nock.cleanAll();
  const fake = new FakeCognito({ deviceTracking: 'always', ...fakeOptions });
  fake.intercept();
  const storage = memoryStorage();
  const client = (options: Partial<CognitoClientOptions> = {}, on: TokenStorage = storage) =>
    makeClient(fake, on, { ...clientOptions, ...options });
  const prefix = `CognitoIdentityServiceProvider.${fake.clientId}`;
  /** A stored value under the library's layout, `<prefix>.<username>.<field>`. */
  const stored = (username: string, field: string) =>
    storage.getItem(`${prefix}.${username}.${field}`) as string | null;
  /** Every stored device field of `username`. */
  const deviceKeys = (username: string) => ({
    deviceKey: stored(username, 'deviceKey'),
    deviceGroupKey: stored(username, 'deviceGroupKey'),
    randomPasswordKey: stored(username, 'randomPasswordKey'),
  });
  /** What was sent, as [target or ChallengeName, body] in order. */
  const sent = () =>
    fake.requests.map(
      (r) => (r.target === 'RespondToAuthChallenge' ? r.body.ChallengeName : r.target) as string,
    );
  return { fake, storage, client, prefix, stored, deviceKeys, sent };
}

// Regression tests for the review findings fixed in "Fix races and edge cases found in review".
// Each test failed on the code before that fix. (Being moved to the files of their behaviours.)
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { CognitoError } from '../src/index.js';
import { cognitoError } from './fake-cognito/index.js';
import { asyncStorage, trackRequests } from './helpers/async-storage.js';
import { makeClient, startFake } from './helpers/fake-client.js';

const _PASSWORD = 'Correct-Horse-1';

async function rejectionOf(promise: Promise<unknown>): Promise<CognitoError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!(error instanceof CognitoError)) throw new Error(`expected a CognitoError, got ${String(error)}`);
  return error;
}

beforeAll(() => {
  nock.disableNetConnect();
  trackRequests();
});
afterEach(() => nock.cleanAll());
afterAll(() => vi.unstubAllGlobals());

describe('finding 7: redaction of secrets Cognito echoes back', () => {
  it('redacts a secret that contains another one whole, tail included', async () => {
    const fake = startFake();
    fake.addUser({ username: 'ann', password: 'Summer-2024' });
    const client = makeClient(fake, asyncStorage(0).storage);
    await client.signIn({ username: 'ann', password: 'Summer-2024' });
    fake.failNext(
      'ChangePassword',
      cognitoError(
        'InvalidPasswordException',
        "Value 'Summer-2024-Extra!' at 'proposedPassword' failed; it is too close to 'Summer-2024'",
      ),
    );

    const error = await rejectionOf(
      client.changePassword({ oldPassword: 'Summer-2024', newPassword: 'Summer-2024-Extra!' }),
    );

    expect(error.code).toBe('InvalidPasswordException');
    expect(error.message).toBe(
      "Value '[redacted]' at 'proposedPassword' failed; it is too close to '[redacted]'",
    );
    for (const shown of [error.message, String(error), error.stack ?? '']) {
      expect(shown).not.toContain('Summer-2024');
      expect(shown).not.toContain('-Extra!');
    }
  });
});

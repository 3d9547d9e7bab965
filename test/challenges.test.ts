// Answering sign-in challenges beyond the happy paths in sign-in.test.ts: answers that race each
// other, and a TOTP set-up that meets a mistyped code or a lost response.
import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CognitoError } from '../src/index.js';
import { totpMatches } from './fake-cognito/handlers/mfa.js';
import { asyncStorage } from './helpers/async-storage.js';
import { makeClient, signedInSession, startFake } from './helpers/fake-client.js';
import { totp } from './helpers/totp.js';

const PASSWORD = 'Correct-Horse-1';

/** The rejection of `promise`, which must be a CognitoError. */
async function rejectionOf(promise: Promise<unknown>): Promise<CognitoError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!(error instanceof CognitoError)) throw new Error(`expected a CognitoError, got ${String(error)}`);
  return error;
}

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());

describe('two concurrent answers to NEW_PASSWORD_REQUIRED (a double click)', () => {
  it('the losing answer does not delete the next (TOTP) challenge, which then signs in', async () => {
    const fake = startFake();
    const { totpSecret } = fake.addUser({
      username: 'ann',
      password: 'Temp-Pass-1',
      status: 'FORCE_CHANGE_PASSWORD',
      totp: true,
    });
    const client = makeClient(fake, asyncStorage(0).storage);
    const first = await client.signIn({ username: 'ann', password: 'Temp-Pass-1' });
    expect(first.isSignedIn ? 'DONE' : first.nextStep.signInStep).toBe(
      'CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED',
    );
    // A double click: the answer Cognito handles second (the loser) comes back last.
    fake.failNext('RespondToAuthChallenge', { delayMs: 100 });
    const answers = await Promise.allSettled([
      client.confirmSignIn({ challengeResponse: 'New-Pass-123' }),
      client.confirmSignIn({ challengeResponse: 'New-Pass-123' }),
    ]);

    const won = answers.flatMap((answer) => (answer.status === 'fulfilled' ? [answer.value] : []));
    const lost = answers.flatMap((answer) => (answer.status === 'rejected' ? [answer.reason] : []));
    expect(won.map((result) => (result.isSignedIn ? 'DONE' : result.nextStep.signInStep))).toEqual([
      'CONFIRM_SIGN_IN_WITH_TOTP_CODE',
    ]);
    expect(lost.map((error) => (error as CognitoError).code)).toEqual(['NotAuthorizedException']);

    const session = signedInSession(
      await client.confirmSignIn({ challengeResponse: totp(totpSecret ?? '') }),
    );
    expect(session.username).toBe('ann');
    await expect(client.getSession()).resolves.toBe(session);
  });
});

describe('TOTP set-up during sign-in (MFA_SETUP)', () => {
  /** A six-digit code the fake cannot accept for `secret` now. */
  function wrongCode(secret: string): string {
    for (let n = 0; ; n++) {
      const code = String(n).padStart(6, '0');
      if (!totpMatches(secret, code, Date.now()) && !totpMatches(secret, code, Date.now() + 30_000))
        return code;
    }
  }

  async function atTotpSetup(options: Parameters<typeof makeClient>[2] = {}) {
    const fake = startFake({ mfa: 'ON' });
    fake.addUser({ username: 'bob', password: PASSWORD });
    const client = makeClient(fake, asyncStorage(0).storage, options);
    const result = await client.signIn({ username: 'bob', password: PASSWORD });
    if (result.isSignedIn || result.nextStep.signInStep !== 'CONTINUE_SIGN_IN_WITH_TOTP_SETUP') {
      throw new Error('expected the TOTP set-up step');
    }
    fake.requests.length = 0;
    return { fake, client, secret: result.nextStep.secretCode };
  }

  it('a mistyped code gives EnableSoftwareTokenMFAException and keeps the set-up: the right code signs in', async () => {
    const { fake, client, secret } = await atTotpSetup();

    const error = await rejectionOf(client.confirmSignIn({ challengeResponse: wrongCode(secret) }));
    expect(error.code).toBe('EnableSoftwareTokenMFAException');

    const session = signedInSession(await client.confirmSignIn({ challengeResponse: totp(secret) }));
    expect(session.username).toBe('bob');
    expect(fake.requests.map((request) => request.target)).toEqual([
      'VerifySoftwareToken',
      'VerifySoftwareToken',
      'RespondToAuthChallenge',
    ]);
  });

  it('verified, then RespondToAuthChallenge fails on the network: the retry with the same code signs in without verifying again', async () => {
    const { fake, client, secret } = await atTotpSetup({ maxAttempts: 1 });
    const code = totp(secret);
    fake.failNext('RespondToAuthChallenge', { networkError: true });

    const error = await rejectionOf(client.confirmSignIn({ challengeResponse: code }));
    expect([error.code, error.retryable]).toEqual(['NetworkError', true]);

    const session = signedInSession(await client.confirmSignIn({ challengeResponse: code }));
    expect(session.username).toBe('bob');
    expect(fake.count('VerifySoftwareToken')).toBe(1);
    expect(fake.requests.map((request) => request.target)).toEqual([
      'VerifySoftwareToken',
      'RespondToAuthChallenge',
      'RespondToAuthChallenge',
    ]);
  });
});

// A fake Cognito behind nock and clients wired to it: the set-up most unit tests share.
import nock from 'nock';
import {
  CognitoClient,
  type CognitoClientOptions,
  type Session,
  type SignInResult,
  type TokenStorage,
} from '../../src/index.js';
import { FakeCognito, type FakeCognitoOptions } from '../fake-cognito/index.js';

/** A fresh fake Cognito answering every request to its endpoint through nock. */
export function startFake(options: FakeCognitoOptions = {}): FakeCognito {
  nock.cleanAll();
  const fake = new FakeCognito(options);
  fake.intercept();
  return fake;
}

/** A client of `fake` on `storage`; password flow and no backoff unless overridden. */
export function makeClient(
  fake: FakeCognito,
  storage: TokenStorage,
  options: Partial<CognitoClientOptions> = {},
): CognitoClient {
  return new CognitoClient({
    userPoolId: fake.userPoolId,
    clientId: fake.clientId,
    storage,
    authFlow: 'USER_PASSWORD_AUTH',
    retryBaseDelayMs: 0,
    ...options,
  });
}

/** The session of a finished sign-in; throws (failing the test) on any other step. */
export function signedInSession(result: SignInResult): Session {
  if (!result.isSignedIn) throw new Error(`expected DONE, got ${result.nextStep.signInStep}`);
  return result.session;
}

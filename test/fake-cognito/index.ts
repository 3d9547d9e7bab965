/**
 * An in-process fake of Amazon Cognito's user-pool JSON protocol (SRP included) for unit tests.
 *
 * @example
 * const fake = new FakeCognito({ code: '123456' });
 * fake.intercept(); // nock: POST https://cognito-idp.us-east-1.amazonaws.com/
 * fake.addUser({ username: 'alice', password: 'Passw0rd!', attributes: { email: 'alice@example.com' } });
 * const client = new CognitoClient({ userPoolId: fake.userPoolId, clientId: fake.clientId });
 *
 * Notes for test authors:
 * - TOTP codes are checked against the fake's clock: with `now` injected, use `totp(secret, now())`.
 * - `failNext(t, { delayMs })` waits on a real `setTimeout`; advance fake timers if you use them.
 * - `startFakeCognitoServer` is real HTTP: with `nock.disableNetConnect()` also call
 *   `nock.enableNetConnect('127.0.0.1')`.
 * - In an email-alias pool the internal username (and `sentCodes[].username`) is the sub;
 *   `getUser`, `lastCode` and `revokeRefreshTokens` accept the email as well.
 */
export type { CodePurpose, SentCode } from './codes.js';
export { CognitoFault } from './errors.js';
export {
  type AddUserInput,
  cognitoError,
  FakeCognito,
  type FakeResponse,
  type Fault,
  type Outcome,
  type RecordedRequest,
} from './fake-cognito.js';
export {
  FakeIdentityPool,
  type FakeIdentityPoolOptions,
  IDENTITY_ID_PATTERN,
  type IssuedCredentials,
} from './identity-pool.js';
export { startFakeIdentityServer } from './identity-server.js';
export { decodeJwtPayload, jwks, verifyJwt } from './jwt.js';
export type { FakeCognitoOptions, PasswordPolicy } from './pool.js';
export { computeSecretHash } from './secret-hash.js';
export { type ServedResponse, startFakeCognitoServer } from './server.js';
export type { AuthenticationResult } from './tokens.js';
export {
  type MfaKind,
  type StoredPasskey,
  storedPasskey,
  type UserRecord,
  type UserStatus,
} from './users.js';

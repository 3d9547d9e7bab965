import {
  AuthenticationDetails,
  CognitoUser,
  CognitoUserPool,
  type CognitoUserSession,
  type ICognitoStorage,
} from 'amazon-cognito-identity-js';
import nock from 'nock';
import { FakeCognito } from '../../test/fake-cognito/index.js';
import { mapStorage } from './tokens.js';

export const PASSWORD = 'Bench-Passw0rd!';

// nock patches http and fetch as soon as it is imported; every request would then pass through its
// interceptor, which costs CPU in the figures that use a real server. Keep it off until asked for.
if (nock.isActive()) nock.restore();

/**
 * A FakeCognito answering through nock, with the network otherwise shut. `done()` undoes all of
 * it, including nock's patching of http and fetch.
 */
export function nockFake(): { fake: FakeCognito; done(): void } {
  if (!nock.isActive()) nock.activate();
  nock.disableNetConnect();
  const fake = new FakeCognito();
  const scope = fake.intercept();
  return {
    fake,
    done() {
      scope.persist(false);
      nock.cleanAll();
      nock.enableNetConnect();
      nock.restore();
    },
  };
}

/**
 * Signs `username` in with the raw library (USER_SRP_AUTH unless told). A CognitoUser does not
 * inherit its pool's storage, so `storage` must be the one the pool was given.
 */
export function rawSignIn(
  pool: CognitoUserPool,
  storage: ICognitoStorage,
  username: string,
  password: string,
  flow: 'USER_SRP_AUTH' | 'USER_PASSWORD_AUTH' = 'USER_SRP_AUTH',
): Promise<CognitoUserSession> {
  const user = new CognitoUser({ Username: username, Pool: pool, Storage: storage });
  user.setAuthenticationFlowType(flow);
  return new Promise((resolve, reject) => {
    user.authenticateUser(new AuthenticationDetails({ Username: username, Password: password }), {
      onSuccess: (session) => resolve(session),
      onFailure: (error: unknown) => reject(error),
      newPasswordRequired: () => reject(new Error('raw sign-in: unexpected NEW_PASSWORD_REQUIRED')),
      mfaRequired: () => reject(new Error('raw sign-in: unexpected MFA')),
      totpRequired: () => reject(new Error('raw sign-in: unexpected TOTP')),
    });
  });
}

/** The REFRESH_TOKEN(_AUTH) / GetTokensFromRefreshToken requests that carried `refreshToken`. */
export function refreshRequestsWith(fake: FakeCognito, refreshToken: string): number {
  return fake.requests.filter((request) => {
    const body = request.body as
      | { AuthParameters?: { REFRESH_TOKEN?: string }; RefreshToken?: string }
      | undefined;
    return body?.AuthParameters?.REFRESH_TOKEN === refreshToken || body?.RefreshToken === refreshToken;
  }).length;
}

/**
 * A raw-library pool on its own Map storage with `username` signed in through the password flow:
 * the starting point of the refresh figures.
 */
export async function rawSignedIn(fake: FakeCognito, username: string) {
  const storage = mapStorage();
  const pool = new CognitoUserPool({
    UserPoolId: fake.userPoolId,
    ClientId: fake.clientId,
    Storage: storage,
  });
  const first = await rawSignIn(pool, storage, username, PASSWORD, 'USER_PASSWORD_AUTH');
  return { pool, storage, refreshToken: first.getRefreshToken().getToken() };
}

// Shared set-up of the server tests: a fake Cognito over real HTTP, and an ID-token verifier over
// its JWKS (what aws-jwt-verify does in production).
import { FakeCognito, type FakeCognitoOptions, startFakeCognitoServer } from '../fake-cognito/index.js';
import { verifyCognitoJwt } from '../helpers/verify-jwt.js';

export const PASSWORD = 'Correct-Horse-1';

/** A fake Cognito served on 127.0.0.1, the client options to reach it, and a token verifier. */
export async function fakeOverHttp(options: FakeCognitoOptions = {}) {
  const fake = new FakeCognito(options);
  const served = await startFakeCognitoServer(fake);
  const client = {
    userPoolId: fake.userPoolId,
    clientId: fake.clientId,
    endpoint: served.url,
    authFlow: 'USER_PASSWORD_AUTH' as const,
    retryBaseDelayMs: 0,
  };
  return { fake, client, verify: idTokenVerifier(fake), close: served.close };
}

/** Verifies an ID token of `fake` (signature over its JWKS, issuer, audience, expiry by its clock). */
export function idTokenVerifier(fake: FakeCognito): (idToken: string) => Promise<Record<string, unknown>> {
  return (idToken) =>
    verifyCognitoJwt(idToken, {
      jwks: fake.jwks(),
      issuer: fake.pool.issuer,
      clientId: fake.clientId,
      tokenUse: 'id',
      now: fake.pool.now(),
    });
}

/** Serves an Express app on 127.0.0.1 and a free port. */
export async function listen(app: {
  listen(port: number, host: string, done: () => void): import('node:http').Server;
}) {
  let server: import('node:http').Server | undefined;
  await new Promise<void>((resolve) => {
    server = app.listen(0, '127.0.0.1', resolve);
  });
  const http = server as import('node:http').Server;
  const { port } = http.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        http.close(() => resolve());
        http.closeAllConnections();
      }),
  };
}

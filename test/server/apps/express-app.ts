// The Express recipe of docs/ssr-cookies.md, as the tests, the Chromium test and the demo run it:
// one CognitoClient per request over that request's cookies.
import express, { type NextFunction, type Request, type Response } from 'express';
import {
  CognitoClient,
  type CognitoClientOptions,
  isCognitoError,
  type RequestCookieStorageOptions,
  requestCookieStorage,
} from '../../../src/server.js';

/** What the app needs: the pool, cookie attributes, and how to verify an ID token. */
export interface AppConfig {
  client: Omit<CognitoClientOptions, 'storage'>;
  cookies?: Omit<RequestCookieStorageOptions, 'cookies' | 'setCookie'>;
  /** Verifies an ID token and returns its claims (aws-jwt-verify in production). */
  verify: (idToken: string) => Promise<Record<string, unknown>>;
}

/** A client for this request: reads its Cookie header, answers with Set-Cookie headers. */
function cognito(config: AppConfig, req: Request, res: Response): CognitoClient {
  const storage = requestCookieStorage({
    cookies: req.headers.cookie,
    setCookie: (header) => res.append('Set-Cookie', header),
    ...config.cookies,
  });
  return new CognitoClient({ ...config.client, storage });
}

export function createExpressApp(
  config: AppConfig,
  extend?: (app: express.Express) => void,
): express.Express {
  const app = express();
  extend?.(app);

  app.post('/api/sign-in', express.json(), async (req, res) => {
    const { username, password } = req.body as { username: string; password: string };
    const result = await cognito(config, req, res).signIn({ username, password });
    if (!result.isSignedIn) return void res.status(409).json({ nextStep: result.nextStep.signInStep });
    res.json({ sub: result.session.userSub });
  });

  // Reads the session (refreshed when due: the new tokens go out as Set-Cookie headers) and trusts
  // a claim only after verifying the token.
  app.get('/api/me', async (req, res) => {
    const session = await cognito(config, req, res).getSession();
    if (!session) return void res.status(401).json({ signedIn: false });
    const claims = await config.verify(session.idToken);
    // The access token is in the answer only so that tests can compare tokens across requests; a
    // real app never sends tokens to the page (above all with HttpOnly cookies).
    res.json({ signedIn: true, sub: claims.sub, accessToken: session.accessToken });
  });

  app.post('/api/refresh', async (req, res) => {
    const session = await cognito(config, req, res).getSession({ forceRefresh: true });
    res.status(session ? 200 : 401).json({ signedIn: session !== null });
  });

  app.post('/api/sign-out', async (req, res) => {
    await cognito(config, req, res).signOut();
    res.status(204).end();
  });

  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const status = isCognitoError(error, 'NotAuthorizedException') ? 401 : isCognitoError(error) ? 400 : 500;
    res.status(status).json({ error: isCognitoError(error) ? error.code : 'InternalError' });
  });
  return app;
}

// The page of test/browser/server-session.test.ts, bundled with esbuild from src/: a browser
// client on cookieStorage, driven from the test through window.app.
import { CognitoClient, cookieStorage } from '../../../src/index.js';

const config = JSON.parse(document.getElementById('config')?.textContent ?? '{}') as {
  userPoolId: string;
  clientId: string;
  endpoint: string;
};
const client = new CognitoClient({ ...config, authFlow: 'USER_PASSWORD_AUTH', storage: cookieStorage() });

const app = {
  async signIn(username: string, password: string): Promise<string | null> {
    const result = await client.signIn({ username, password });
    return result.isSignedIn ? result.session.accessToken : null;
  },
  async accessToken(): Promise<string | null> {
    return (await client.getSession())?.accessToken ?? null;
  },
  cookie: (): string => document.cookie,
  /** A same-origin request to the Express server, with the page's cookies. */
  async call(method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }> {
    const response = await fetch(path, {
      method,
      ...(body === undefined
        ? {}
        : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null };
  },
};
(window as unknown as { app: typeof app }).app = app;
document.body.dataset.ready = 'true';

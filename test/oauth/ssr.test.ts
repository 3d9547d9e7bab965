// SSR: the callback handled on the server, each HTTP request with its own client and a storage
// over that request's cookies (what requestCookieStorage does; a minimal one stands in here).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { TokenStorage } from '../../src/index.js';
import { type HostedUi, signInThroughLoginPage, startHostedUi } from '../helpers/hosted-ui.js';
import { hostedClient } from './support.js';

/** A TokenStorage over one request's Cookie header that answers with Set-Cookie headers. */
function cookieStorageFor(req: IncomingMessage, setCookies: string[]): TokenStorage {
  const jar = new Map<string, string>();
  for (const part of (req.headers.cookie ?? '').split(/;\s*/)) {
    const index = part.indexOf('=');
    if (index > 0)
      jar.set(decodeURIComponent(part.slice(0, index)), decodeURIComponent(part.slice(index + 1)));
  }
  return {
    getItem: (key) => jar.get(key) ?? null,
    setItem: (key, value) => {
      jar.set(key, value);
      setCookies.push(`${encodeURIComponent(key)}=${encodeURIComponent(value)}; Path=/; HttpOnly`);
    },
    removeItem: (key) => {
      jar.delete(key);
      setCookies.push(`${encodeURIComponent(key)}=; Path=/; Max-Age=0`);
    },
  };
}

let ui: HostedUi;
let app: ReturnType<typeof createServer>;
let appUrl: string;

beforeAll(async () => {
  app = createServer();
  await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', () => resolve()));
  appUrl = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
  ui = await startHostedUi({ redirectUris: [`${appUrl}/callback`], postLogoutRedirectUris: [`${appUrl}/`] });
  app.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const setCookies: string[] = [];
    const client = hostedClient(ui, cookieStorageFor(req, setCookies), {
      oauth: { redirectSignIn: [`${appUrl}/callback`], redirectSignOut: [`${appUrl}/`] },
    });
    const url = new URL(req.url ?? '/', appUrl);
    const answer = async (): Promise<[number, Record<string, string>, string]> => {
      if (url.pathname === '/login') return [302, { location: await client.getSignInUrl() }, ''];
      if (url.pathname === '/callback') {
        const result = await client.handleRedirect(url.href);
        return [302, { location: result ? '/' : '/login' }, ''];
      }
      const session = await client.getSession();
      return [200, { 'content-type': 'text/plain' }, session ? `hello ${session.username}` : 'signed out'];
    };
    answer().then(
      ([status, headers, body]) => res.writeHead(status, { ...headers, 'set-cookie': setCookies }).end(body),
      (error: { code?: string }) =>
        res.writeHead(400, { 'set-cookie': setCookies }).end(`error ${error.code}`),
    );
  });
});
afterAll(async () => {
  app.closeAllConnections();
  await new Promise<void>((resolve) => app.close(() => resolve()));
  await ui.close();
});

/** A browser's cookie jar for the app's origin. */
class Jar {
  readonly cookies = new Map<string, string>();
  take(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const index = pair.indexOf('=');
      const value = pair.slice(index + 1);
      if (/Max-Age=0/.test(line)) this.cookies.delete(pair.slice(0, index));
      else this.cookies.set(pair.slice(0, index), value);
    }
  }
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

it('completes the callback on the server with a per-request cookie storage; the next request is signed in', async () => {
  const jar = new Jar();
  const login = await fetch(`${appUrl}/login`, { redirect: 'manual' });
  jar.take(login);
  const authorize = login.headers.get('location') ?? '';
  expect(authorize.startsWith(`${ui.url}/oauth2/authorize?`)).toBe(true);
  // The pending sign-in lives in the browser's cookies, not in the server's memory.
  expect([...jar.cookies.keys()]).toEqual([
    encodeURIComponent(`CognitoIdentityServiceProvider.${ui.clientId}.cognitoKit.oauthPending`),
  ]);

  const callback = await signInThroughLoginPage(authorize);
  const landed = await fetch(callback, { redirect: 'manual', headers: { cookie: jar.header() } });
  jar.take(landed);
  expect(landed.status).toBe(302);
  expect(ui.requestsTo('/oauth2/token')).toHaveLength(1);

  const home = await fetch(`${appUrl}/`, { headers: { cookie: jar.header() } });
  expect(await home.text()).toBe('hello ann');

  // The same callback again (a reload of it) is refused without a second exchange.
  const replay = await fetch(callback, { redirect: 'manual', headers: { cookie: jar.header() } });
  expect(await replay.text()).toBe('error InvalidStateException');
  expect(ui.requestsTo('/oauth2/token')).toHaveLength(1);
});

// The Express recipe (docs/ssr-cookies.md) with real express 5 over real HTTP: sign-in, a
// verified claim, refresh when due, sign-out, an HttpOnly session and a confidential client.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BrowserJar } from '../helpers/cookie-jar.js';
import { createExpressApp } from './apps/express-app.js';
import { fakeOverHttp, listen, PASSWORD } from './support.js';

type Env = Awaited<ReturnType<typeof fakeOverHttp>> & { url: string; stop(): Promise<void> };
let env: Env;

async function start(cookies: Record<string, unknown> = {}, fakeOptions = {}, client = {}): Promise<Env> {
  const base = await fakeOverHttp({ usernameAttributes: ['email'], ...fakeOptions });
  const app = createExpressApp({
    client: { ...base.client, ...client },
    // A plain-http test server: Secure cookies would not come back over http://127.0.0.1.
    cookies: { secure: false, ...cookies },
    verify: base.verify,
  });
  const server = await listen(app);
  return {
    ...base,
    url: server.url,
    stop: async () => {
      await server.close();
      await base.close();
    },
  };
}

const json = (body: unknown) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

afterEach(async () => {
  vi.useRealTimers();
  await env?.stop();
});

describe('Express recipe', () => {
  beforeEach(async () => {
    env = await start();
  });

  it('signs in, answers a verified sub from the cookies, and signs out', async () => {
    const { sub } = env.fake.addUser({ username: 'ann@example.com', password: PASSWORD });
    const jar = new BrowserJar(env.url);
    const signIn = await jar.fetch(
      `${env.url}/api/sign-in`,
      json({ username: 'ann@example.com', password: PASSWORD }),
    );
    expect(signIn.status).toBe(200);
    expect(await signIn.json()).toEqual({ sub });
    const names = jar.names(env.url);
    expect(names).toEqual(
      expect.arrayContaining([
        `CognitoIdentityServiceProvider.${env.fake.clientId}.LastAuthUser`,
        `CognitoIdentityServiceProvider.${env.fake.clientId}.${sub}.refreshToken`,
      ]),
    );
    const requests = env.fake.count();
    const me = await jar.fetch(`${env.url}/api/me`);
    expect(await me.json()).toMatchObject({ signedIn: true, sub });
    expect(env.fake.count()).toBe(requests);

    expect((await jar.fetch(`${env.url}/api/sign-out`, { method: 'POST' })).status).toBe(204);
    expect(env.fake.count('RevokeToken')).toBe(1);
    expect(jar.names(env.url)).toEqual([]);
    expect((await jar.fetch(`${env.url}/api/me`)).status).toBe(401);
  });

  it('refreshes a due session once and sends the new tokens back as cookies', async () => {
    env.fake.addUser({ username: 'ann@example.com', password: PASSWORD });
    const jar = new BrowserJar(env.url);
    await jar.fetch(`${env.url}/api/sign-in`, json({ username: 'ann@example.com', password: PASSWORD }));
    const before = (await (await jar.fetch(`${env.url}/api/me`)).json()) as { accessToken: string };
    // The tokens live an hour; 59 min 50 s later they are inside the 60 s refresh margin.
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 3_590_000 });
    const due = (await (await jar.fetch(`${env.url}/api/me`)).json()) as { accessToken: string };
    expect(due.accessToken).not.toBe(before.accessToken);
    expect(env.fake.refreshCount()).toBe(1);
    const after = (await (await jar.fetch(`${env.url}/api/me`)).json()) as { accessToken: string };
    expect(after.accessToken).toBe(due.accessToken);
    expect(env.fake.refreshCount()).toBe(1);
  });

  it('answers 401 without a Cognito request when the request has no cookies', async () => {
    const response = await fetch(`${env.url}/api/me`);
    expect(response.status).toBe(401);
    expect(response.headers.getSetCookie()).toEqual([]);
    expect(env.fake.count()).toBe(0);
  });

  it('maps a wrong password to 401 NotAuthorizedException and sets no cookie', async () => {
    env.fake.addUser({ username: 'ann@example.com', password: PASSWORD });
    const response = await fetch(
      `${env.url}/api/sign-in`,
      json({ username: 'ann@example.com', password: 'Wrong-1-Horse' }),
    );
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: 'NotAuthorizedException' });
    expect(response.headers.getSetCookie()).toEqual([]);
  });
});

describe('Express recipe with server-only (HttpOnly) sessions and a confidential client', () => {
  it('signs in, refreshes and signs out on the server; the page never sees a token', async () => {
    const SECRET = 'express-secret-1f2e3d4c5b6a79881726354453627181';
    env = await start({ httpOnly: true }, { clientSecret: SECRET }, { clientSecret: SECRET });
    const { sub } = env.fake.addUser({ username: 'ann@example.com', password: PASSWORD });
    const jar = new BrowserJar(env.url);
    await jar.fetch(`${env.url}/api/sign-in`, json({ username: 'ann@example.com', password: PASSWORD }));
    expect(jar.names(env.url).length).toBeGreaterThan(3);
    expect(jar.documentCookie(env.url)).toBe('');
    expect((await jar.fetch(`${env.url}/api/refresh`, { method: 'POST' })).status).toBe(200);
    expect(env.fake.refreshCount()).toBe(1);
    expect(jar.documentCookie(env.url)).toBe('');
    expect(await (await jar.fetch(`${env.url}/api/me`)).json()).toMatchObject({ sub });
    await jar.fetch(`${env.url}/api/sign-out`, { method: 'POST' });
    expect(jar.names(env.url)).toEqual([]);
    expect(env.fake.requests.find((r) => r.target === 'RevokeToken')?.body.ClientSecret).toBe(SECRET);
  });
});

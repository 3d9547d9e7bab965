// The Fetch Request/Response recipe (Next.js route handlers, Remix, SvelteKit, Hono, workers),
// run under node:http: several Set-Cookie headers survive, sessions round-trip, sign-out clears.
import { afterEach, expect, it } from 'vitest';
import { BrowserJar } from '../helpers/cookie-jar.js';
import { createFetchHandler, serveFetchHandler } from './apps/fetch-handler.js';
import { fakeOverHttp, PASSWORD } from './support.js';

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
});

async function start() {
  const base = await fakeOverHttp();
  const served = await serveFetchHandler(
    createFetchHandler({ client: base.client, cookies: { secure: false }, verify: base.verify }),
  );
  stops.push(served.close, base.close);
  return { ...base, url: served.url };
}

const json = (body: unknown) => ({ method: 'POST', body: JSON.stringify(body) });

it('signs in through a Fetch handler, each token in its own Set-Cookie header', async () => {
  const env = await start();
  env.fake.addUser({ username: 'ann', password: PASSWORD });
  const response = await fetch(`${env.url}/sign-in`, json({ username: 'ann', password: PASSWORD }));
  expect(response.status).toBe(200);
  const names = response.headers
    .getSetCookie()
    .map((header) => decodeURIComponent(header.split('=')[0] ?? ''));
  const prefix = `CognitoIdentityServiceProvider.${env.fake.clientId}`;
  expect(names).toEqual(
    expect.arrayContaining([
      `${prefix}.ann.idToken`,
      `${prefix}.ann.accessToken`,
      `${prefix}.ann.refreshToken`,
      `${prefix}.LastAuthUser`,
    ]),
  );
  for (const header of response.headers.getSetCookie())
    expect(header).toMatch(/; path=\/; expires=[^;]+; samesite=Lax$/);
});

it('reads a verified sub on the next request without a Cognito request, and signs out', async () => {
  const env = await start();
  const { sub } = env.fake.addUser({ username: 'ann', password: PASSWORD });
  const jar = new BrowserJar(env.url);
  await jar.fetch(`${env.url}/sign-in`, json({ username: 'ann', password: PASSWORD }));
  const count = env.fake.count();
  expect(await (await jar.fetch(`${env.url}/me`)).json()).toEqual({ signedIn: true, sub });
  expect(env.fake.count()).toBe(count);
  expect((await jar.fetch(`${env.url}/sign-out`, { method: 'POST' })).status).toBe(204);
  expect(jar.names(env.url)).toEqual([]);
  expect((await jar.fetch(`${env.url}/me`)).status).toBe(401);
});

it('refuses a tampered ID token cookie: the claim is trusted only after verification', async () => {
  const env = await start();
  env.fake.addUser({ username: 'ann', password: PASSWORD });
  const mallory = env.fake.addUser({ username: 'mallory', password: PASSWORD });
  const jar = new BrowserJar(env.url);
  await jar.fetch(`${env.url}/sign-in`, json({ username: 'ann', password: PASSWORD }));
  // An attacker edits the sub of both tokens in their own cookies (kept consistent, so the kit
  // uses them as they are); the signatures no longer match.
  for (const kind of ['idToken', 'accessToken']) {
    const name = `CognitoIdentityServiceProvider.${env.fake.clientId}.ann.${kind}`;
    const cookie = jar.jar.getCookiesSync(env.url).find((c) => decodeURIComponent(c.key) === name);
    const [header, payload, signature] = decodeURIComponent(cookie?.value ?? '').split('.');
    const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString());
    const forged = Buffer.from(JSON.stringify({ ...claims, sub: mallory.sub })).toString('base64url');
    jar.receive([
      `${encodeURIComponent(name)}=${encodeURIComponent(`${header}.${forged}.${signature}`)}; path=/`,
    ]);
  }
  const response = await jar.fetch(`${env.url}/me`);
  expect(response.status).toBe(400);
  expect(await response.text()).not.toContain(mallory.sub);
});

// @vitest-environment jsdom
// A session signed in on either side is read on the other: the browser's cookieStorage (jsdom's
// document.cookie) and the server's requestCookieStorage write the same names, encodings and
// attributes.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CognitoClient as BrowserClient, cookieStorage } from '../../src/index.js';
import { requestCookieStorage, CognitoClient as ServerClient } from '../../src/server.js';
import type { FakeCognito } from '../fake-cognito/index.js';
import { startFake } from '../helpers/fake-client.js';

const URL = 'https://app.example.com/';
const PASSWORD = 'Correct-Horse-1';
const dom = (
  globalThis as unknown as {
    jsdom: {
      reconfigure(settings: { url: string }): void;
      cookieJar: {
        removeAllCookiesSync(): void;
        setCookieSync(header: string, url: string): void;
        getCookieStringSync(url: string): string;
      };
    };
  }
).jsdom;

let fake: FakeCognito;
beforeEach(() => {
  dom.reconfigure({ url: URL });
  fake = startFake();
  fake.addUser({ username: 'ann@example.com', password: PASSWORD });
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.useRealTimers();
  dom.cookieJar.removeAllCookiesSync();
});

const options = { domain: 'example.com', path: '/', sameSite: 'strict', expires: 30 } as const;
const clientOptions = () => ({
  userPoolId: fake.userPoolId,
  clientId: fake.clientId,
  authFlow: 'USER_PASSWORD_AUTH' as const,
  retryBaseDelayMs: 0,
});

/** A server request carrying the browser's cookies; its Set-Cookie headers land in the browser. */
function serverRequest(extra: Record<string, unknown> = {}) {
  const sent: string[] = [];
  const storage = requestCookieStorage({
    cookies: dom.cookieJar.getCookieStringSync(URL),
    setCookie: (header) => sent.push(header),
    ...options,
    ...extra,
  });
  const deliver = () => {
    for (const header of sent) dom.cookieJar.setCookieSync(header, URL);
  };
  return { client: new ServerClient({ ...clientOptions(), storage }), sent, deliver };
}

it('writes byte-identical cookies on both sides for the same options', () => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(Date.UTC(2026, 5, 1));
  const browserWrites: string[] = [];
  const descriptor = Object.getOwnPropertyDescriptor(Document.prototype, 'cookie');
  vi.spyOn(document, 'cookie', 'set').mockImplementation(function (this: Document, value: string) {
    browserWrites.push(value);
    descriptor?.set?.call(this, value);
  });
  const key = 'CognitoIdentityServiceProvider.abc.ann@example.com (x).idToken';
  cookieStorage(options).setItem(key, 'eyJ.ü=;');
  cookieStorage(options).removeItem(key);
  const serverWrites: string[] = [];
  const server = requestCookieStorage({ cookies: null, setCookie: (h) => serverWrites.push(h), ...options });
  server.setItem(key, 'eyJ.ü=;');
  server.removeItem(key);
  expect(serverWrites).toEqual(browserWrites);
  expect(serverWrites).toHaveLength(2);
});

describe('sessions cross between browser and server', () => {
  it('reads on the server a session the browser signed in, without a request', async () => {
    const browser = new BrowserClient({ ...clientOptions(), storage: cookieStorage(options) });
    const signedIn = await browser.signIn({ username: 'ann@example.com', password: PASSWORD });
    if (!signedIn.isSignedIn) throw new Error('not signed in');
    const before = fake.count();
    const { client, sent } = serverRequest();
    const session = await client.getSession();
    expect(session?.accessToken).toBe(signedIn.session.accessToken);
    expect(session?.userSub).toBe(signedIn.session.userSub);
    expect(fake.count()).toBe(before);
    expect(sent).toEqual([]);
  });

  it('reads in the browser a session the server signed in, and the server sees the browser sign out', async () => {
    const first = serverRequest();
    const signedIn = await first.client.signIn({ username: 'ann@example.com', password: PASSWORD });
    if (!signedIn.isSignedIn) throw new Error('not signed in');
    first.deliver();
    const browser = new BrowserClient({ ...clientOptions(), storage: cookieStorage(options) });
    const before = fake.count();
    expect((await browser.getSession())?.accessToken).toBe(signedIn.session.accessToken);
    expect(fake.count()).toBe(before);
    await browser.signOut();
    expect(await serverRequest().client.getSession()).toBeNull();
  });

  it('lets the browser read tokens the server refreshed, and drop a session the server signed out', async () => {
    const browser = new BrowserClient({ ...clientOptions(), storage: cookieStorage(options) });
    await browser.signIn({ username: 'ann@example.com', password: PASSWORD });
    const refresh = serverRequest();
    const refreshed = await refresh.client.getSession({ forceRefresh: true });
    refresh.deliver();
    expect((await browser.getSession())?.accessToken).toBe(refreshed?.accessToken);
    expect(fake.refreshCount()).toBe(1);
    const signOut = serverRequest();
    await signOut.client.signOut();
    signOut.deliver();
    expect(await browser.getSession()).toBeNull();
    expect(document.cookie).toBe('');
  });

  it('hides an httpOnly session from document.cookie and from the browser client', async () => {
    const first = serverRequest({ httpOnly: true });
    await first.client.signIn({ username: 'ann@example.com', password: PASSWORD });
    first.deliver();
    expect(dom.cookieJar.getCookieStringSync(URL)).toContain('.refreshToken=');
    expect(document.cookie).toBe('');
    const browser = new BrowserClient({ ...clientOptions(), storage: cookieStorage(options) });
    expect(await browser.getSession()).toBeNull();
    expect((await serverRequest({ httpOnly: true }).client.getSession())?.username).toBe(
      fake.getUser('ann@example.com')?.username,
    );
  });
});

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { isCognitoError } from '../../src/errors.js';
import { CognitoClient, requestCookieStorage } from '../../src/server.js';
import type { FakeCognito } from '../fake-cognito/index.js';
import { BrowserJar } from '../helpers/cookie-jar.js';
import { startFake } from '../helpers/fake-client.js';
import { thrown } from '../helpers/thrown.js';

const KEY = 'CognitoIdentityServiceProvider.client123.ann@example.com.idToken';
const NAME = encodeURIComponent(KEY);
const EXPIRED = 'Thu, 01 Jan 1970 00:00:00 GMT';
const PASSWORD = 'Correct-Horse-1';

/** A storage over `cookies`, recording the Set-Cookie headers it sends. */
function request(cookies: string | null, options: Record<string, unknown> = {}) {
  const sent: string[] = [];
  const storage = requestCookieStorage({ cookies, setCookie: (header) => sent.push(header), ...options });
  return { storage, sent };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('requestCookieStorage reading a request', () => {
  it('reads our cookies from the Cookie header, decoded, and ignores the others', () => {
    const { storage, sent } = request(`theme=dark; ${NAME}=eyJ.a%3Db; other="x"`);
    expect(storage.getItem(KEY)).toBe('eyJ.a=b');
    expect(storage.getItem('theme')).toBe('dark');
    expect(storage.getItem('missing')).toBeNull();
    expect(sent).toEqual([]);
  });

  it('accepts a request without a Cookie header (null or undefined)', () => {
    expect(request(null).storage.getItem(KEY)).toBeNull();
    expect(request(undefined as unknown as null).storage.getItem(KEY)).toBeNull();
  });

  it('reads a key carried twice with one value, under either name encoding', () => {
    // js-cookie (amazon-cognito-identity-js) leaves "@" unencoded in names.
    expect(request(`${KEY}=same; ${NAME}=same`).storage.getItem(KEY)).toBe('same');
    expect(request(`${NAME}=same; ${NAME}=same`).storage.getItem(KEY)).toBe('same');
  });

  it('trusts neither of two different values for one key, as the browser adapter does', () => {
    // A sibling subdomain can set a cookie of our name for the parent domain; the browser then sends
    // both, in an order the server cannot interpret. Planted tokens must not sign the request in.
    for (const header of [
      `${NAME}=ours; ${NAME}=planted`,
      `${NAME}=planted; ${NAME}=ours`,
      `${KEY}=old; ${NAME}=new`,
      `${NAME}=new; ${KEY}=old`,
      `${KEY}=first; ${KEY}=second`,
    ]) {
      expect(request(header).storage.getItem(KEY), header).toBeNull();
    }
  });
});

describe('requestCookieStorage writing Set-Cookie headers', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.UTC(2026, 0, 1));
  });

  it('writes the browser adapter defaults: path=/, 30 days, Secure, SameSite=Lax', () => {
    const { storage, sent } = request(null);
    storage.setItem(KEY, 'eyJ.token');
    expect(sent).toEqual([
      `${NAME}=eyJ.token; path=/; expires=${new Date(Date.UTC(2026, 0, 31)).toUTCString()}; secure; samesite=Lax`,
    ]);
  });

  it('writes every attribute asked for, and HttpOnly in httpOnly mode', () => {
    const { storage, sent } = request(null, {
      domain: 'example.com',
      path: '/app',
      sameSite: 'strict',
      expires: 0,
      secure: false,
      httpOnly: true,
    });
    storage.setItem(KEY, 'v');
    expect(sent).toEqual([`${NAME}=v; path=/app; domain=example.com; httponly; samesite=Strict`]);
  });

  it('forces Secure with SameSite=None, as browsers demand', () => {
    const { storage, sent } = request(null, { sameSite: 'none', secure: false, expires: 0 });
    storage.setItem('k', 'v');
    expect(sent).toEqual(['k=v; path=/; secure; samesite=None']);
  });

  it('shows its own write to a later read of the same request', () => {
    const { storage } = request(`${NAME}=old`);
    storage.setItem(KEY, 'new');
    expect(storage.getItem(KEY)).toBe('new');
    storage.removeItem(KEY);
    expect(storage.getItem(KEY)).toBeNull();
  });

  it('expires a same-key cookie written under another name encoding, so it cannot shadow the new one', () => {
    const { storage, sent } = request(`${KEY}=old`, { expires: 0 });
    storage.setItem(KEY, 'new');
    expect(sent).toEqual([
      `${NAME}=new; path=/; secure; samesite=Lax`,
      `${KEY}=; path=/; expires=${EXPIRED}; secure; samesite=Lax`,
    ]);
  });

  it('removes a cookie with the same path and domain and an expiry in the past', () => {
    const { storage, sent } = request(`${NAME}=v; theme=dark`, { domain: 'example.com', path: '/app' });
    storage.removeItem(KEY);
    storage.removeItem('never-there');
    expect(sent).toEqual([
      `${NAME}=; path=/app; domain=example.com; expires=${EXPIRED}; secure; samesite=Lax`,
    ]);
  });

  it('refuses a cookie over 4,096 bytes with a StorageException naming the key, not the value, and sends nothing', () => {
    const { storage, sent } = request(null);
    const value = `SECRET-${'x'.repeat(4096)}`;
    const error = thrown(() => storage.setItem(KEY, value));
    expect(isCognitoError(error, 'StorageException')).toBe(true);
    expect((error as Error).message).toContain(KEY);
    expect((error as Error).message).not.toContain('SECRET');
    expect(sent).toEqual([]);
    expect(storage.getItem(KEY)).toBeNull();
  });

  it('accepts a cookie of exactly 4,096 bytes', () => {
    const { storage, sent } = request(null);
    storage.setItem('k', 'x'.repeat(4094));
    expect(sent[0]?.startsWith(`k=${'x'.repeat(4094)};`)).toBe(true);
  });
});

describe('requestCookieStorage options', () => {
  it.each([
    [{ bogus: 1 }, 'Unknown requestCookieStorage option "bogus"'],
    [{ setCookie: undefined }, 'setCookie must be a function'],
    [{ cookies: 42 }, 'cookies must be the Cookie header'],
    [{ httpOnly: 'yes' }, 'httpOnly must be a boolean'],
    [{ sameSite: 'loose' }, 'sameSite must be'],
    [{ path: 'app' }, 'path must start with "/"'],
    [{ expires: -1 }, 'expires must be a non-negative number'],
  ])('rejects %j with InvalidParameterException', (bad, message) => {
    const error = thrown(() => requestCookieStorage({ cookies: null, setCookie: () => {}, ...bad } as never));
    expect(isCognitoError(error, 'InvalidParameterException')).toBe(true);
    expect((error as Error).message).toContain(message);
  });
});

describe('a client per request over requestCookieStorage', () => {
  let fake: FakeCognito;
  beforeEach(() => {
    fake = startFake();
    fake.addUser({ username: 'ann@example.com', password: PASSWORD });
  });

  /** One request: a client over the jar's cookies; the response's Set-Cookie headers go back to the jar. */
  async function handle<T>(
    jar: BrowserJar,
    work: (client: CognitoClient) => Promise<T>,
    options: Record<string, unknown> = {},
  ): Promise<{ value: T; sent: string[] }> {
    const sent: string[] = [];
    const storage = requestCookieStorage({
      cookies: jar.header(),
      setCookie: (h) => sent.push(h),
      ...options,
    });
    const client = new CognitoClient({
      userPoolId: fake.userPoolId,
      clientId: fake.clientId,
      storage,
      authFlow: 'USER_PASSWORD_AUTH',
      retryBaseDelayMs: 0,
    });
    const value = await work(client);
    jar.receive(sent);
    return { value, sent };
  }

  it('signs in on one request, reads the session on the next without a request, signs out on a third', async () => {
    const jar = new BrowserJar();
    const signIn = await handle(jar, (c) => c.signIn({ username: 'ann@example.com', password: PASSWORD }));
    expect(signIn.value.isSignedIn).toBe(true);
    expect(jar.names().filter((n) => n.endsWith('.refreshToken'))).toHaveLength(1);
    const before = fake.count();
    const read = await handle(jar, (c) => c.getSession());
    expect(read.value?.userSub).toBe(fake.getUser('ann@example.com')?.sub);
    expect(read.sent).toEqual([]);
    expect(fake.count()).toBe(before);
    await handle(jar, (c) => c.signOut());
    expect(jar.names().filter((n) => n.startsWith('CognitoIdentityServiceProvider.'))).toEqual([]);
    expect((await handle(jar, (c) => c.getSession())).value).toBeNull();
  });

  it('signs a request out, never in as another user, when a sibling subdomain plants its cookies', async () => {
    fake.addUser({ username: 'mallory@example.com', password: PASSWORD });
    const victim = new BrowserJar();
    await handle(victim, (c) => c.signIn({ username: 'ann@example.com', password: PASSWORD }));
    const attacker = new BrowserJar();
    const planted = await handle(attacker, (c) =>
      c.signIn({ username: 'mallory@example.com', password: PASSWORD }),
    );
    // evil.example.com sets mallory's cookies for the whole parent domain in the victim's browser:
    // the app's requests now carry both users' LastAuthUser cookies.
    victim.receive(
      planted.sent.map((header) => `${header}; domain=example.com`),
      'https://evil.example.com/',
    );
    const lastUser = encodeURIComponent(`CognitoIdentityServiceProvider.${fake.clientId}.LastAuthUser`);
    expect(
      victim
        .header()
        .split('; ')
        .filter((c) => c.startsWith(`${lastUser}=`)),
    ).toHaveLength(2);
    const before = fake.count();
    const read = await handle(victim, (c) => c.getSession());
    expect(read.value).toBeNull();
    expect(fake.count()).toBe(before);
  });

  it('refreshes a due session once and sends the new tokens as cookies the next request reads', async () => {
    const jar = new BrowserJar();
    const first = await handle(jar, (c) => c.signIn({ username: 'ann@example.com', password: PASSWORD }));
    const oldAccess = first.value.isSignedIn ? first.value.session.accessToken : '';
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 3_590_000);
    const refreshed = await handle(jar, (c) => c.getSession());
    expect(fake.refreshCount()).toBe(1);
    expect(refreshed.value?.accessToken).not.toBe(oldAccess);
    const next = await handle(jar, (c) => c.getSession());
    expect(next.value?.accessToken).toBe(refreshed.value?.accessToken);
    expect(fake.refreshCount()).toBe(1);
  });

  it('keeps HttpOnly sessions out of document.cookie while the server signs in, refreshes and signs out', async () => {
    const jar = new BrowserJar();
    const http = { httpOnly: true };
    await handle(jar, (c) => c.signIn({ username: 'ann@example.com', password: PASSWORD }), http);
    expect(jar.names().some((n) => n.endsWith('.accessToken'))).toBe(true);
    expect(jar.documentCookie()).toBe('');
    const session = await handle(jar, (c) => c.getSession({ forceRefresh: true }), http);
    expect(session.value?.username).toBe(fake.getUser('ann@example.com')?.username);
    expect(fake.refreshCount()).toBe(1);
    expect(jar.documentCookie()).toBe('');
    await handle(jar, (c) => c.signOut(), http);
    expect(jar.names()).toEqual([]);
  });
});

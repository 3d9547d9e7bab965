// @vitest-environment jsdom
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { isCognitoError } from '../../src/errors.js';
import { cookieStorage } from '../../src/storage/cookie.js';
import { thrown } from '../helpers/thrown.js';

/** vitest exposes the JSDOM instance as a global; only the parts used here are typed. */
const dom = (
  globalThis as unknown as {
    jsdom: { reconfigure(settings: { url: string }): void; cookieJar: { removeAllCookiesSync(): void } };
  }
).jsdom;

const KEY = 'CognitoIdentityServiceProvider.client123.ann@example.com.idToken';
const EXPIRED = 'Thu, 01 Jan 1970 00:00:00 GMT';

/** Records every string assigned to document.cookie while still applying it. */
function recordCookieWrites(): string[] {
  const writes: string[] = [];
  const descriptor = Object.getOwnPropertyDescriptor(Document.prototype, 'cookie');
  vi.spyOn(document, 'cookie', 'set').mockImplementation(function (this: Document, value: string) {
    writes.push(value);
    descriptor?.set?.call(this, value);
  });
  return writes;
}

/** Sets a cookie the way another script on the page would. */
function setRawCookie(text: string): void {
  // biome-ignore lint/suspicious/noDocumentCookie: simulating cookies written by other code
  document.cookie = text;
}

afterEach(() => {
  vi.restoreAllMocks();
  dom.cookieJar.removeAllCookiesSync();
});

describe('cookieStorage on http://localhost', () => {
  beforeEach(() => dom.reconfigure({ url: 'http://localhost/' }));

  it('round-trips a value in a cookie with path=/, SameSite=Lax, 30 days of life and no Secure', () => {
    const writes = recordCookieWrites();
    const storage = cookieStorage();
    storage.setItem(KEY, 'eyJ.token');
    expect(storage.getItem(KEY)).toBe('eyJ.token');
    const written = writes[0] ?? '';
    expect(written.startsWith(`${encodeURIComponent(KEY)}=eyJ.token; path=/;`)).toBe(true);
    expect(written).toContain('; samesite=Lax');
    expect(written).not.toContain('secure');
    const expires = Date.parse(/expires=([^;]+)/.exec(written)?.[1] ?? '');
    expect(Math.abs(expires - (Date.now() + 30 * 86_400_000))).toBeLessThan(5_000);
  });

  it('treats http://127.0.0.1 as local too', () => {
    dom.reconfigure({ url: 'http://127.0.0.1:5173/app' });
    const writes = recordCookieWrites();
    cookieStorage().setItem('k', 'v');
    expect(writes[0]).not.toContain('secure');
  });

  it('writes session cookies with expires: 0 and applies domain and path', () => {
    const writes = recordCookieWrites();
    const storage = cookieStorage({ expires: 0, path: '/', domain: 'localhost', sameSite: 'strict' });
    storage.setItem('k', 'v');
    expect(writes[0]).toBe('k=v; path=/; domain=localhost; samesite=Strict');
    expect(storage.getItem('k')).toBe('v');
  });

  it('reads only the exact key', () => {
    setRawCookie('k2=wrong');
    setRawCookie('xk=wrong');
    setRawCookie('other=k=wrong');
    const storage = cookieStorage();
    expect(storage.getItem('k')).toBeNull();
    setRawCookie('k=right');
    expect(storage.getItem('k')).toBe('right');
  });

  it('never touches foreign cookies when writing or removing', () => {
    setRawCookie('theme=dark');
    setRawCookie('analytics=a%20b%3Dc');
    setRawCookie('broken=%E0%A4%A');
    const before = document.cookie;
    const writes = recordCookieWrites();
    const storage = cookieStorage();
    storage.setItem('mine', 'v');
    storage.removeItem('mine');
    storage.removeItem('absent');
    expect(document.cookie).toBe(before);
    for (const write of writes) expect(write).toMatch(/^(mine|absent)=/);
  });

  it('removes only its own key, with the same path and domain', () => {
    const storage = cookieStorage({ domain: 'localhost' });
    storage.setItem('a', '1');
    storage.setItem('b', '2');
    const writes = recordCookieWrites();
    storage.removeItem('a');
    expect(writes).toEqual([`a=; path=/; domain=localhost; expires=${EXPIRED}; samesite=Lax`]);
    expect(storage.getItem('a')).toBeNull();
    expect(storage.getItem('b')).toBe('2');
    expect(() => storage.removeItem('a')).not.toThrow();
  });

  it('encodes odd characters in keys and values and reads them back', () => {
    const storage = cookieStorage();
    const key = 'user+tag@example.com; x=(y), "z" é 🔑';
    const value = 'a;b=c, d"e\\f g%20h é 🔑';
    storage.setItem(key, value);
    expect(storage.getItem(key)).toBe(value);
    expect(document.cookie).not.toMatch(/[ "\\,()]|é/);
    expect(document.cookie.split('; ')).toHaveLength(1);
  });

  it('round-trips any key and value (property)', () => {
    const storage = cookieStorage();
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }),
        fc.string({ unit: 'grapheme', maxLength: 200 }),
        (key, value) => {
          fc.pre(key !== 'foreign');
          setRawCookie('foreign=untouched');
          storage.setItem(key, value);
          const read = storage.getItem(key);
          storage.removeItem(key);
          return read === value && storage.getItem(key) === null && document.cookie === 'foreign=untouched';
        },
      ),
      { numRuns: 300 },
    );
  });

  it('refuses an empty key with StorageException', () => {
    expect(
      isCognitoError(
        thrown(() => cookieStorage().setItem('', 'v')),
        'StorageException',
      ),
    ).toBe(true);
  });

  it('refuses a cookie over 4,096 bytes with StorageException naming the key only, keeping the old value', () => {
    const storage = cookieStorage();
    storage.setItem('big', 'old');
    const value = `secret-${'x'.repeat(5_000)}`;
    const error = thrown(() => storage.setItem('big', value));
    expect(isCognitoError(error, 'StorageException')).toBe(true);
    expect((error as Error).message).toContain('"big"');
    expect((error as Error).message).toContain('4096');
    expect((error as Error).message).not.toContain('secret-');
    expect(storage.getItem('big')).toBe('old');
  });

  it('counts encoded bytes: name=value of exactly 4,096 bytes is stored, one more is refused', () => {
    const storage = cookieStorage();
    storage.setItem('k', 'x'.repeat(4096 - 2));
    expect(storage.getItem('k')).toHaveLength(4094);
    // 'é' is 2 UTF-8 bytes, 6 once percent-encoded.
    const error = thrown(() => storage.setItem('k', 'é'.repeat(683)));
    expect(isCognitoError(error, 'StorageException')).toBe(true);
    expect(storage.getItem('k')).toHaveLength(4094);
  });

  it('reads and replaces a cookie named the js-cookie way (amazon-cognito-identity-js)', () => {
    const key = 'CognitoIdentityServiceProvider.c.a+b@x.com.idToken';
    setRawCookie(`${encodeURIComponent(key).replace('%2B', '+')}=old`);
    const storage = cookieStorage();
    expect(storage.getItem(key)).toBe('old');
    storage.setItem(key, 'new');
    expect(storage.getItem(key)).toBe('new');
    expect(document.cookie).not.toContain('old');
    storage.removeItem(key);
    expect(storage.getItem(key)).toBeNull();
    expect(document.cookie).toBe('');
  });

  it.each([
    ['a path this page is not under', { path: '/admin' }],
    ['a domain this page is not on', { domain: 'example.com' }],
  ])('reports a cookie the browser does not store (%s), keeping the old value', (_, options) => {
    setRawCookie('k=old');
    const storage = cookieStorage(options);
    const error = thrown(() => storage.setItem('k', 'new-token'));
    expect(isCognitoError(error, 'StorageException')).toBe(true);
    expect((error as Error).message).toContain('"k"');
    expect((error as Error).message).not.toContain('new-token');
    expect(cookieStorage().getItem('k')).toBe('old');
  });

  it('offers a lock that runs the task (no Web Locks in jsdom)', async () => {
    await expect(cookieStorage().lock?.('refresh', async () => 'ran')).resolves.toBe('ran');
  });
});

describe('cookieStorage on https://example.com', () => {
  beforeEach(() => dom.reconfigure({ url: 'https://example.com/' }));

  it('marks cookies Secure by default and reads them back', () => {
    const writes = recordCookieWrites();
    const storage = cookieStorage();
    storage.setItem('k', 'v');
    expect(writes[0]).toContain('; secure');
    expect(storage.getItem('k')).toBe('v');
  });

  it('forces Secure with sameSite none, even when secure: false is asked', () => {
    const writes = recordCookieWrites();
    cookieStorage({ sameSite: 'none', secure: false }).setItem('k', 'v');
    expect(writes[0]).toMatch(/; secure; samesite=None$/);
  });

  it('honours secure: false', () => {
    const writes = recordCookieWrites();
    cookieStorage({ secure: false }).setItem('k', 'v');
    expect(writes[0]).not.toContain('secure');
  });
});

describe('cookieStorage on plain http (not localhost)', () => {
  beforeEach(() => dom.reconfigure({ url: 'http://example.com/' }));

  it('reports the Secure cookie the browser drops on http, keeping the old value', () => {
    setRawCookie('k=old');
    const storage = cookieStorage();
    const error = thrown(() => storage.setItem('k', 'new-token'));
    expect(isCognitoError(error, 'StorageException')).toBe(true);
    expect((error as Error).message).not.toContain('new-token');
    expect(storage.getItem('k')).toBe('old');
  });

  it('works there with secure: false', () => {
    const storage = cookieStorage({ secure: false });
    storage.setItem('k', 'v');
    expect(storage.getItem('k')).toBe('v');
  });
});

describe('cookieStorage options', () => {
  it.each([
    ['an unknown sameSite', { sameSite: 'bogus' }],
    ['a negative expires', { expires: -1 }],
    ['a non-numeric expires', { expires: '7' }],
    ['an infinite expires', { expires: Number.POSITIVE_INFINITY }],
    ['a path without a leading slash', { path: 'app' }],
    ['a path with a semicolon', { path: '/;secure' }],
    ['a domain with a space', { domain: 'a b' }],
    ['an empty domain', { domain: '' }],
    ['a non-boolean secure', { secure: 'yes' }],
    ['an unknown option', { httpOnly: true }],
  ])('rejects %s with InvalidParameterException', (_, options) => {
    const error = thrown(() => cookieStorage(options as never));
    expect(isCognitoError(error, 'InvalidParameterException')).toBe(true);
  });
});

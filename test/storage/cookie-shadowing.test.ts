// @vitest-environment jsdom
// A cookie of the same name set for a parent domain or another path (a sibling subdomain, the raw
// library's CookieStorage with a Domain) must neither hide a new sign-in nor survive a sign-out.
// jsdom lists cookies like browsers do: longer paths first, then older first. The same scenarios run
// in real Chromium with two hosts of one parent domain in test/browser/cookie-shadowing.test.ts.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type CognitoError, isCognitoError } from '../../src/errors.js';
import { cookieStorage } from '../../src/storage/cookie.js';
import { cookieDomains, cookiePaths } from '../../src/storage/cookie-format.js';

const dom = (
  globalThis as unknown as {
    jsdom: { reconfigure(settings: { url: string }): void; cookieJar: { removeAllCookiesSync(): void } };
  }
).jsdom;

const KEY = 'CognitoIdentityServiceProvider.client123.LastAuthUser';
const NAME = encodeURIComponent(KEY);

function plant(text: string): void {
  // biome-ignore lint/suspicious/noDocumentCookie: a sibling subdomain's script
  document.cookie = text;
}

function thrown(run: () => unknown): CognitoError {
  try {
    run();
  } catch (error) {
    expect(isCognitoError(error)).toBe(true);
    return error as CognitoError;
  }
  throw new Error('expected a throw');
}

/** Makes document.cookie ignore writes matching `pattern`, like a cookie the page cannot touch. */
function ignoreWrites(pattern: RegExp): string[] {
  const writes: string[] = [];
  const descriptor = Object.getOwnPropertyDescriptor(Document.prototype, 'cookie');
  vi.spyOn(document, 'cookie', 'set').mockImplementation(function (this: Document, value: string) {
    writes.push(value);
    if (!pattern.test(value)) descriptor?.set?.call(this, value);
  });
  return writes;
}

beforeEach(() => dom.reconfigure({ url: 'http://app.example.com/account/settings' }));
afterEach(() => {
  vi.restoreAllMocks();
  dom.cookieJar.removeAllCookiesSync();
});

describe('a same-named cookie of a parent domain or another path', () => {
  it('does not hide a new value: the write clears it and reads back its own value', () => {
    plant(`${NAME}=mallory; domain=example.com; path=/`);
    const storage = cookieStorage({ secure: false });
    expect(storage.getItem(KEY)).toBe('mallory');
    storage.setItem(KEY, 'ann');
    expect(storage.getItem(KEY)).toBe('ann');
    expect(document.cookie).toBe(`${NAME}=ann`);
  });

  it('does not hide a new value from a longer path, listed first', () => {
    plant(`${NAME}=mallory; path=/account`);
    plant(`${NAME}=eve; domain=example.com; path=/account/`);
    const storage = cookieStorage({ secure: false });
    storage.setItem(KEY, 'ann');
    expect(storage.getItem(KEY)).toBe('ann');
    expect(document.cookie).toBe(`${NAME}=ann`);
  });

  it('does not hide a new value when the storage itself has a domain', () => {
    plant(`${NAME}=mallory; path=/`);
    const storage = cookieStorage({ secure: false, domain: 'example.com' });
    storage.setItem(KEY, 'ann');
    expect(storage.getItem(KEY)).toBe('ann');
    expect(document.cookie).toBe(`${NAME}=ann`);
  });

  it('is removed by removeItem along with ours, so nothing of that name survives', () => {
    const storage = cookieStorage({ secure: false });
    storage.setItem(KEY, 'ann');
    plant(`${NAME}=mallory; domain=example.com; path=/account/`);
    plant(`${encodeURIComponent(KEY).replace('%40', '@')}=eve; domain=app.example.com; path=/`);
    storage.removeItem(KEY);
    expect(storage.getItem(KEY)).toBeNull();
    expect(document.cookie).toBe('');
  });

  it('planted after our write makes getItem answer null rather than guess', () => {
    const storage = cookieStorage({ secure: false });
    storage.setItem(KEY, 'ann');
    plant(`${NAME}=mallory; domain=example.com; path=/`);
    expect(storage.getItem(KEY)).toBeNull();
    // The same value twice is no conflict.
    plant(`${NAME}=ann; domain=example.com; path=/`);
    expect(storage.getItem(KEY)).toBe('ann');
  });

  it('leaves foreign cookies of other names alone while clearing', () => {
    plant('theme=dark; domain=example.com; path=/');
    plant(`${NAME}=mallory; domain=example.com; path=/`);
    const storage = cookieStorage({ secure: false });
    storage.setItem(KEY, 'ann');
    storage.removeItem(KEY);
    expect(document.cookie).toBe('theme=dark');
  });
});

describe('a same-named cookie the page cannot expire', () => {
  it('fails setItem with StorageException naming the key, and getItem trusts neither value', () => {
    plant(`${NAME}=mallory; domain=example.com; path=/`);
    const writes = ignoreWrites(/domain=example\.com/);
    const storage = cookieStorage({ secure: false });
    const error = thrown(() => storage.setItem(KEY, 'ann-token'));
    expect(error.code).toBe('StorageException');
    expect(error.message).toContain(`"${KEY}"`);
    expect(error.message).not.toContain('ann-token');
    expect(error.message).not.toContain('mallory');
    expect(storage.getItem(KEY)).toBeNull();
    // The host and every parent domain, at every path prefix of /account/settings, were tried.
    const expired = writes.filter((write) => write.includes('expires=Thu, 01 Jan 1970'));
    for (const domain of ['', '; domain=app.example.com', '; domain=example.com', '; domain=com']) {
      for (const path of ['/', '/account', '/account/', '/account/settings']) {
        expect(expired).toContain(`${NAME}=; path=${path}${domain}; expires=Thu, 01 Jan 1970 00:00:00 GMT`);
      }
    }
  });

  it('fails removeItem with StorageException when a cookie of that name remains', () => {
    const storage = cookieStorage({ secure: false });
    storage.setItem(KEY, 'ann');
    plant(`${NAME}=mallory; domain=example.com; path=/`);
    ignoreWrites(/domain=example\.com/);
    const error = thrown(() => storage.removeItem(KEY));
    expect(error.code).toBe('StorageException');
    expect(error.message).toContain(`"${KEY}"`);
    expect(error.message).not.toContain('mallory');
    expect(document.cookie).toBe(`${NAME}=mallory`);
  });
});

describe('the domains and paths a visible cookie can have', () => {
  it('lists host-only, the host and every parent domain', () => {
    expect(cookieDomains('a.b.example.com')).toEqual([
      undefined,
      'a.b.example.com',
      'b.example.com',
      'example.com',
      'com',
    ]);
    expect(cookieDomains('127.0.0.1')).toEqual([undefined, '127.0.0.1']);
    expect(cookieDomains('[::1]')).toEqual([undefined, '[::1]']);
  });

  it('lists every path that path-matches the page', () => {
    expect(cookiePaths('/')).toEqual(['/']);
    expect(cookiePaths('/a/b/c')).toEqual(['/', '/a', '/a/', '/a/b', '/a/b/', '/a/b/c']);
    expect(cookiePaths('/a/')).toEqual(['/', '/a', '/a/']);
    expect(cookiePaths('/a;b/c')).toEqual(['/']);
  });
});

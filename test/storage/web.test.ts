// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { isCognitoError } from '../../src/errors.js';
import { defaultBrowserStorage, webStorage } from '../../src/storage/web.js';
import { webLock } from '../../src/storage/web-lock.js';

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
  localStorage.clear();
  sessionStorage.clear();
});

/** A Storage whose setItem always fails like a full quota or Safari's private mode. */
function fullStorage(): Storage {
  const error = new DOMException('The quota has been exceeded.', 'QuotaExceededError');
  return {
    length: 0,
    clear: () => undefined,
    key: () => null,
    getItem: () => null,
    removeItem: () => undefined,
    setItem: () => {
      throw error;
    },
  };
}

describe('webStorage', () => {
  it.each([
    ['localStorage', () => localStorage],
    ['sessionStorage', () => sessionStorage],
  ])('round-trips values through %s synchronously', (_, backing) => {
    const storage = webStorage(backing());
    expect(storage.getItem('k')).toBeNull();
    expect(storage.setItem('k', 'v1')).toBeUndefined();
    expect(backing().getItem('k')).toBe('v1');
    expect(storage.getItem('k')).toBe('v1');
    storage.removeItem('k');
    expect(backing().getItem('k')).toBeNull();
  });

  it('turns a failing setItem (quota) into StorageException with the cause, without the value', () => {
    const storage = webStorage(fullStorage());
    let caught: unknown;
    try {
      storage.setItem('CognitoIdentityServiceProvider.client.user.idToken', 'eyJ.secret-token');
    } catch (error) {
      caught = error;
    }
    expect(isCognitoError(caught, 'StorageException')).toBe(true);
    const error = caught as Error;
    expect(error.message).toContain('CognitoIdentityServiceProvider.client.user.idToken');
    expect(error.message).not.toContain('secret-token');
    expect((error.cause as DOMException).name).toBe('QuotaExceededError');
  });

  it('offers a lock that runs the task where navigator.locks is missing (jsdom)', async () => {
    expect('locks' in navigator).toBe(false);
    await expect(webStorage(localStorage).lock?.('x', async () => 42)).resolves.toBe(42);
  });
});

describe('defaultBrowserStorage', () => {
  it('returns a localStorage adapter in a browser window', () => {
    const storage = defaultBrowserStorage();
    expect(storage).toBeDefined();
    storage?.setItem('k', 'v');
    expect(localStorage.getItem('k')).toBe('v');
  });

  it('leaves no probe key behind', () => {
    defaultBrowserStorage();
    expect(localStorage.length).toBe(0);
  });

  it('returns undefined when localStorage refuses a write', () => {
    vi.spyOn(Storage.prototype, 'setItem').mockImplementation(() => {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    });
    expect(defaultBrowserStorage()).toBeUndefined();
  });

  it('returns undefined when reading window.localStorage throws (storage disabled)', () => {
    vi.spyOn(window, 'localStorage', 'get').mockImplementation(() => {
      throw new DOMException('Access is denied', 'SecurityError');
    });
    expect(defaultBrowserStorage()).toBeUndefined();
  });
});

describe('webLock with the Web Locks API', () => {
  it('runs the task under the prefixed lock name and passes its result through', async () => {
    const request = vi.fn((_name: string, _options: LockOptions, callback: () => Promise<unknown>) =>
      callback(),
    );
    vi.stubGlobal('navigator', { locks: { request } });
    await expect(webLock('refresh', async () => 'done')).resolves.toBe('done');
    expect(request).toHaveBeenCalledWith('cognito-kit:refresh', expect.anything(), expect.any(Function));
    expect(request.mock.calls[0]?.[1].signal).toBeInstanceOf(AbortSignal);
  });
});

import { afterEach, describe, expect, it, vi } from 'vitest';
import { defaultBrowserStorage } from '../../src/storage/web.js';
import { webLock } from '../../src/storage/web-lock.js';

type Callback = () => Promise<unknown> | unknown;

/** A LockManager that queues exclusive requests per name and honours `signal`, like browsers do. */
function fakeLockManager() {
  const queues = new Map<string, Array<() => void>>();
  const held = new Set<string>();
  const next = (name: string) => {
    const waiter = queues.get(name)?.shift();
    if (waiter) waiter();
    else held.delete(name);
  };
  return {
    request(name: string, options: { signal?: AbortSignal }, callback: Callback): Promise<unknown> {
      return new Promise((resolve, reject) => {
        const grant = () => {
          Promise.resolve()
            .then(callback)
            .then(resolve, reject)
            .finally(() => next(name));
        };
        if (!held.has(name)) {
          held.add(name);
          grant();
          return;
        }
        const queue = queues.get(name) ?? [];
        queues.set(name, queue);
        queue.push(grant);
        options.signal?.addEventListener('abort', () => {
          queue.splice(queue.indexOf(grant), 1);
          reject(new DOMException('aborted', 'AbortError'));
        });
      });
    },
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

afterEach(() => {
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

describe('webLock', () => {
  it('just runs the task where there is no navigator.locks (plain Node)', async () => {
    await expect(webLock('x', async () => 'ran')).resolves.toBe('ran');
  });

  it('runs the task anyway after the timeout when the lock is never granted, and aborts the request', async () => {
    let signal: AbortSignal | undefined;
    const request = vi.fn((_name: string, options: { signal: AbortSignal }) => {
      signal = options.signal;
      return new Promise(() => undefined); // never granted, never rejects: ignores the signal
    });
    vi.stubGlobal('navigator', { locks: { request } });
    vi.useFakeTimers();
    const task = vi.fn(async () => 'ran');
    const outcome = webLock('stuck', task);
    await vi.advanceTimersByTimeAsync(9_999);
    expect(task).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    await expect(outcome).resolves.toBe('ran');
    expect(signal?.aborted).toBe(true);
  });

  it('does not run the task twice when a grant arrives after the timeout', async () => {
    let grant: Callback | undefined;
    vi.stubGlobal('navigator', {
      locks: {
        request: (_name: string, _options: unknown, callback: Callback) => {
          grant = callback;
          return new Promise(() => undefined);
        },
      },
    });
    const task = vi.fn(async () => 'ran');
    vi.useFakeTimers();
    const outcome = webLock('late', task);
    await vi.advanceTimersByTimeAsync(10_000);
    await outcome;
    expect(await grant?.()).toBeUndefined();
    expect(task).toHaveBeenCalledTimes(1);
  });

  it('serializes two holders of the same name', async () => {
    vi.stubGlobal('navigator', { locks: fakeLockManager() });
    const log: string[] = [];
    const holder = (id: string) => async () => {
      log.push(`start ${id}`);
      await sleep(20);
      log.push(`end ${id}`);
    };
    await Promise.all([webLock('same', holder('a')), webLock('same', holder('b'))]);
    expect(log).toEqual(['start a', 'end a', 'start b', 'end b']);
  });

  it('falls back to running unlocked when a holder keeps the lock past the timeout', async () => {
    vi.stubGlobal('navigator', { locks: fakeLockManager() });
    let releaseFirst: () => void = () => undefined;
    const first = webLock(
      'busy',
      () =>
        new Promise<void>((resolve) => {
          releaseFirst = resolve;
        }),
    );
    vi.useFakeTimers();
    const second = webLock('busy', async () => 'second');
    await vi.advanceTimersByTimeAsync(10_000);
    await expect(second).resolves.toBe('second');
    releaseFirst();
    await first;
  });

  it('passes the task rejection through and runs it once', async () => {
    vi.stubGlobal('navigator', { locks: fakeLockManager() });
    const failure = new Error('refresh failed');
    const task = vi.fn(async () => {
      throw failure;
    });
    await expect(webLock('fails', task)).rejects.toBe(failure);
    expect(task).toHaveBeenCalledTimes(1);
  });

  it('runs the task when the lock manager itself fails', async () => {
    vi.stubGlobal('navigator', {
      locks: { request: () => Promise.reject(new DOMException('opaque origin', 'SecurityError')) },
    });
    await expect(webLock('broken', async () => 'ran')).resolves.toBe('ran');
    vi.stubGlobal('navigator', {
      locks: {
        request: () => {
          throw new TypeError('bad');
        },
      },
    });
    await expect(webLock('throwing', async () => 'ran')).resolves.toBe('ran');
  });
});

describe('defaultBrowserStorage outside a browser', () => {
  it('returns undefined in plain Node', () => {
    expect(typeof window).toBe('undefined');
    expect(defaultBrowserStorage()).toBeUndefined();
  });

  it('returns undefined even where Node exposes a localStorage global (Node 22+)', () => {
    const values = new Map<string, string>();
    vi.stubGlobal('localStorage', {
      getItem: (k: string) => values.get(k) ?? null,
      setItem: (k: string, v: string) => values.set(k, v),
      removeItem: (k: string) => values.delete(k),
    });
    expect(defaultBrowserStorage()).toBeUndefined();
  });
});

import { mkdir, readdir, readFile, stat, utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isCognitoError } from '../../src/errors.js';
import { fileStorage } from '../../src/storage/file.js';
import { deadPid, makeTempDir } from './fixtures/temp-dir.js';

const posix = process.platform !== 'win32';
let dir: string;
let remove: () => Promise<void>;
let file: string;

beforeEach(async () => {
  ({ dir, remove } = await makeTempDir());
  file = join(dir, 'tokens.json');
});
afterEach(() => remove());

async function readJson(path: string): Promise<unknown> {
  return JSON.parse(await readFile(path, 'utf8'));
}

/** Awaits what a storage method returned and hands back the error it rejected with. */
async function rejection(pending: unknown): Promise<unknown> {
  try {
    await pending;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

async function writeLockFile(path: string, holder: { pid: number; host?: string }, ageMs = 0): Promise<void> {
  await writeFile(path, JSON.stringify({ host: hostname(), token: 'someone', time: Date.now(), ...holder }));
  const when = new Date(Date.now() - ageMs);
  await utimes(path, when, when);
}

describe('fileStorage', () => {
  it('round-trips values through one JSON object file, asynchronously', async () => {
    const storage = fileStorage(file);
    const pending = storage.getItem('a');
    expect(pending).toBeInstanceOf(Promise);
    expect(await pending).toBeNull();
    await storage.setItem('a', '1');
    await storage.setItem('b', '2');
    await storage.setItem('a', '3');
    expect(await storage.getItem('a')).toBe('3');
    expect(await readJson(file)).toEqual({ a: '3', b: '2' });
    await storage.removeItem('a');
    await storage.removeItem('missing');
    expect(await storage.getItem('a')).toBeNull();
    expect(await readJson(file)).toEqual({ b: '2' });
  });

  it('shares values between two adapters on the same path', async () => {
    await fileStorage(file).setItem('k', 'v');
    expect(await fileStorage(file).getItem('k')).toBe('v');
  });

  it.runIf(posix)(
    'writes the file with mode 0600 and creates missing directories with mode 0700',
    async () => {
      const nested = join(dir, 'config', 'my-cli', 'tokens.json');
      await fileStorage(nested).setItem('k', 'v');
      expect((await stat(nested)).mode & 0o777).toBe(0o600);
      expect((await stat(join(dir, 'config', 'my-cli'))).mode & 0o777).toBe(0o700);
    },
  );

  it.runIf(posix)('replaces a world-readable file with a 0600 one', async () => {
    await writeFile(file, '{"old":"x"}', { mode: 0o644 });
    await fileStorage(file).setItem('k', 'v');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await readJson(file)).toEqual({ old: 'x', k: 'v' });
  });

  it.each([
    ['garbage', 'not json {'],
    ['an empty file', ''],
    ['a JSON array', '["a"]'],
    ['JSON null', 'null'],
    ['a JSON string', '"a"'],
  ])('reads %s as signed out, and the next write repairs the file', async (_, content) => {
    await writeFile(file, content);
    const storage = fileStorage(file);
    expect(await storage.getItem('a')).toBeNull();
    await storage.setItem('k', 'v');
    expect(await readJson(file)).toEqual({ k: 'v' });
  });

  it('ignores non-string values and drops them on the next write', async () => {
    await writeFile(file, JSON.stringify({ a: 1, b: 'x', c: null, d: { e: 'f' } }));
    const storage = fileStorage(file);
    expect(await storage.getItem('a')).toBeNull();
    expect(await storage.getItem('b')).toBe('x');
    await storage.removeItem('missing');
    expect(await readJson(file)).toEqual({ b: 'x' });
  });

  it('keeps prototype names as ordinary keys', async () => {
    const storage = fileStorage(file);
    expect(await storage.getItem('__proto__')).toBeNull();
    expect(await storage.getItem('toString')).toBeNull();
    await storage.setItem('__proto__', 'x');
    expect(await fileStorage(file).getItem('__proto__')).toBe('x');
  });

  it('loses no key when 100 setItem calls race in one process', async () => {
    const storage = fileStorage(file);
    const other = fileStorage(file);
    await Promise.all(
      Array.from({ length: 100 }, (_, i) => (i % 2 ? storage : other).setItem(`key${i}`, `value${i}`)),
    );
    const content = (await readJson(file)) as Record<string, string>;
    expect(Object.keys(content)).toHaveLength(100);
    expect(content.key42).toBe('value42');
  });

  it('removes temporary files left by a writer killed mid-write', async () => {
    await writeFile(`${file}.12345.abcdef012345.tmp`, '{"half');
    await writeFile(join(dir, 'unrelated.12345.abcdef.tmp'), 'keep');
    await fileStorage(file).setItem('k', 'v');
    expect((await readdir(dir)).sort()).toEqual(['tokens.json', 'unrelated.12345.abcdef.tmp']);
  });

  it('leaves no lock or temporary file behind', async () => {
    const storage = fileStorage(file);
    await storage.setItem('k', 'v');
    await storage.lock?.('refresh', async () => storage.setItem('k', 'w'));
    expect(await readdir(dir)).toEqual(['tokens.json']);
  });

  it('reads without waiting for a held write lock', async () => {
    await fileStorage(file).setItem('k', 'v');
    await writeLockFile(`${file}.lock`, { pid: process.pid });
    expect(await fileStorage(file).getItem('k')).toBe('v');
  });

  it('fails a write with StorageException after lockTimeoutMs while a live process holds the lock, keeping the file', async () => {
    await fileStorage(file).setItem('k', 'old');
    await writeLockFile(`${file}.lock`, { pid: process.pid });
    const started = Date.now();
    const error = await rejection(fileStorage(file, { lockTimeoutMs: 150 }).setItem('k', 'new'));
    expect(isCognitoError(error, 'StorageException')).toBe(true);
    expect((error as Error).message).toMatch(/lock/);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(await readJson(file)).toEqual({ k: 'old' });
  });

  it('steals a lock whose process is dead', async () => {
    await writeLockFile(`${file}.lock`, { pid: await deadPid() });
    await fileStorage(file, { lockTimeoutMs: 1000 }).setItem('k', 'v');
    expect(await readJson(file)).toEqual({ k: 'v' });
  });

  it('steals a lock untouched for longer than staleLockMs, even from a live process', async () => {
    await writeLockFile(`${file}.lock`, { pid: process.pid }, 5_000);
    await fileStorage(file, { lockTimeoutMs: 1000, staleLockMs: 1000 }).setItem('k', 'v');
    expect(await readJson(file)).toEqual({ k: 'v' });
  });

  it('does not judge the pid of a lock held on another host', async () => {
    await writeLockFile(`${file}.lock`, { pid: await deadPid(), host: 'another-host' });
    const error = await rejection(fileStorage(file, { lockTimeoutMs: 100 }).setItem('k', 'v'));
    expect(isCognitoError(error, 'StorageException')).toBe(true);
  });

  it('reports a directory at its path as StorageException naming the path and the reason', async () => {
    await mkdir(file);
    const storage = fileStorage(file);
    const read = await rejection(storage.getItem('k'));
    expect(isCognitoError(read, 'StorageException')).toBe(true);
    const write = await rejection(storage.setItem('k', 'secret-value'));
    expect(isCognitoError(write, 'StorageException')).toBe(true);
    expect((write as Error).message).not.toContain('secret-value');
    expect((write as Error).message).toBe(
      `Refusing the token file ${file}: it is a directory, not a regular file`,
    );
  });

  it.each([
    ['an empty path', () => fileStorage('')],
    ['an unknown option', () => fileStorage('x', { lockTimeout: 5 } as never)],
    ['a negative lockTimeoutMs', () => fileStorage('x', { lockTimeoutMs: -1 })],
    ['a non-numeric staleLockMs', () => fileStorage('x', { staleLockMs: '5' as never })],
    ['a zero staleLockMs', () => fileStorage('x', { staleLockMs: 0 })],
  ])('rejects %s with InvalidParameterException', (_, create) => {
    expect(create).toThrow(expect.objectContaining({ code: 'InvalidParameterException' }));
  });
});

describe('fileStorage lock(name)', () => {
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  it('serializes holders of one name and passes results and errors through', async () => {
    const storage = fileStorage(file);
    const log: string[] = [];
    const holder = (id: string) => async () => {
      log.push(`start ${id}`);
      await sleep(10);
      log.push(`end ${id}`);
      return id;
    };
    const results = await Promise.all([
      storage.lock?.('refresh', holder('a')),
      storage.lock?.('refresh', holder('b')),
    ]);
    expect(results).toEqual(['a', 'b']);
    expect(log).toEqual(['start a', 'end a', 'start b', 'end b']);
    const failure = new Error('refresh failed');
    await expect(storage.lock?.('refresh', () => Promise.reject(failure))).rejects.toBe(failure);
  });

  it('does not deadlock with the write lock taken inside the task', async () => {
    const storage = fileStorage(file);
    await storage.lock?.('refresh', async () => {
      await storage.setItem('k', 'v');
      await storage.removeItem('other');
    });
    expect(await storage.getItem('k')).toBe('v');
  });

  it('uses one lock file per sanitized name next to the token file', async () => {
    const storage = fileStorage(file);
    let files: string[] = [];
    await storage.lock?.('../../etc/passwd:x', async () => {
      files = await readdir(dir);
    });
    expect(files).toEqual(['tokens.json.______etc_passwd_x.lock']);
  });

  it('runs the task anyway once lockTimeoutMs passes while another live holder keeps the lock', async () => {
    await writeLockFile(`${file}.refresh.lock`, { pid: process.pid });
    const storage = fileStorage(file, { lockTimeoutMs: 100 });
    await expect(storage.lock?.('refresh', async () => 'ran')).resolves.toBe('ran');
  });
});

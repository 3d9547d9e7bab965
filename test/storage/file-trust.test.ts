// fileStorage trusts nothing it finds at its paths: a FIFO, a symlink, a directory, a file of
// another user or one others can write. Each is refused with StorageException naming the path and
// the reason; nothing hangs (a FIFO at the lock path waits at most lockTimeoutMs); and a stale-lock
// steal never deletes a fresh lock that took the stale one's place. Runs as root in CI: root can
// chown a file to `nobody`, which is how another local user's file is made here.
import { execFileSync } from 'node:child_process';
import { constants } from 'node:fs';
import { chmod, chown, lstat, mkdir, readFile, readlink, symlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type CognitoError, isCognitoError } from '../../src/errors.js';
import { fileStorage } from '../../src/storage/file.js';
import { type LockFileInfo, readLockFile, stealLockFile } from '../../src/storage/file-lock.js';
import { deadPid, makeTempDir } from './fixtures/temp-dir.js';

/** Runs `hook` once, just before the first call that removes or moves `path` (unlink or rename). */
const race = vi.hoisted(() => ({ path: '', hook: undefined as undefined | (() => Promise<void>) }));

vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>();
  const before = async (path: unknown) => {
    const hook = race.hook;
    if (hook && String(path) === race.path) {
      race.hook = undefined;
      await hook();
    }
  };
  return {
    ...actual,
    unlink: async (...args: Parameters<typeof actual.unlink>) => {
      await before(args[0]);
      return actual.unlink(...args);
    },
    rename: async (...args: Parameters<typeof actual.rename>) => {
      await before(args[0]);
      return actual.rename(...args);
    },
  };
});

const NOBODY = 65_534;

let dir: string;
let remove: () => Promise<void>;
let file: string;
const fifos: string[] = [];

beforeEach(async () => {
  ({ dir, remove } = await makeTempDir());
  file = join(dir, 'tokens.json');
});

afterEach(async () => {
  race.hook = undefined;
  // A reader still blocked on a FIFO (the code before this fix) is released by opening it for writing.
  const { open } = await vi.importActual<typeof import('node:fs/promises')>('node:fs/promises');
  for (const fifo of fifos.splice(0)) {
    await open(fifo, constants.O_WRONLY | constants.O_NONBLOCK).then(
      (handle) => handle.close(),
      () => undefined,
    );
  }
  await remove();
});

function mkfifo(path: string): void {
  execFileSync('mkfifo', ['-m', '0600', path]);
  fifos.push(path);
}

async function rejection(promise: unknown): Promise<CognitoError> {
  try {
    await promise;
  } catch (error) {
    expect(isCognitoError(error)).toBe(true);
    return error as CognitoError;
  }
  throw new Error('expected a rejection');
}

describe('what sits at the token path', () => {
  it('refuses a FIFO at once instead of hanging on it', async () => {
    mkfifo(file);
    const storage = fileStorage(file, { lockTimeoutMs: 500 });
    const read = await rejection(storage.getItem('k'));
    expect(read.code).toBe('StorageException');
    expect(read.message).toBe(`Refusing the token file ${file}: it is a FIFO, not a regular file`);
    const write = await rejection(storage.setItem('k', 'secret-token'));
    expect(write.message).toBe(read.message);
    expect((await lstat(file)).isFIFO()).toBe(true);
  }, 15_000);

  it('refuses a symbolic link, even to a good file, and leaves its target alone', async () => {
    const target = join(dir, 'elsewhere.json');
    await writeFile(target, JSON.stringify({ k: 'planted' }), { mode: 0o600 });
    await symlink(target, file);
    const storage = fileStorage(file);
    const read = await rejection(storage.getItem('k'));
    expect(read.code).toBe('StorageException');
    expect(read.message).toBe(`Refusing the token file ${file}: it is a symbolic link`);
    await rejection(storage.setItem('k', 'secret-token'));
    expect(await readlink(file)).toBe(target);
    expect(await readFile(target, 'utf8')).toBe(JSON.stringify({ k: 'planted' }));
  });

  it('refuses a file owned by another user (nobody) and keeps it as it was', async () => {
    const planted = JSON.stringify({ 'CognitoIdentityServiceProvider.c.LastAuthUser': 'mallory' });
    await writeFile(file, planted, { mode: 0o600 });
    await chown(file, NOBODY, NOBODY);
    const storage = fileStorage(file);
    const read = await rejection(storage.getItem('CognitoIdentityServiceProvider.c.LastAuthUser'));
    expect(read.code).toBe('StorageException');
    expect(read.message).toBe(
      `Refusing the token file ${file}: it is owned by uid ${NOBODY}, not by this user (uid ${process.getuid?.()})`,
    );
    const write = await rejection(storage.setItem('k', 'secret-token'));
    expect(write.message).toBe(read.message);
    expect(await readFile(file, 'utf8')).toBe(planted);
  });

  it.each([
    ['0620', 0o620, 'its group'],
    ['0602', 0o602, 'others'],
    ['0666', 0o666, 'its group'],
  ])('refuses a file of mode %s: writable by %s', async (octal, mode, who) => {
    await writeFile(file, JSON.stringify({ k: 'v' }));
    await chmod(file, mode);
    const read = await rejection(fileStorage(file).getItem('k'));
    expect(read.message).toBe(`Refusing the token file ${file}: it is writable by ${who} (mode ${octal})`);
  });

  it('still reads its own 0600 and 0644 files', async () => {
    await writeFile(file, JSON.stringify({ k: 'v' }));
    await chmod(file, 0o644);
    expect(await fileStorage(file).getItem('k')).toBe('v');
    await chmod(file, 0o600);
    expect(await fileStorage(file).getItem('k')).toBe('v');
  });
});

describe('what sits at the lock path', () => {
  it.each([
    ['a FIFO', (path: string) => Promise.resolve(mkfifo(path)), 'a FIFO, not a regular file'],
    ['a directory', (path: string) => mkdir(path).then(() => undefined), 'a directory, not a regular file'],
    [
      'a symlink to a file',
      (path: string) => writeFile(`${path}.target`, '{}').then(() => symlink(`${path}.target`, path)),
      'a symbolic link',
    ],
    ['a dangling symlink', (path: string) => symlink(join(dir, 'missing'), path), 'a symbolic link'],
  ])(
    'with %s there, a write gives up after lockTimeoutMs and leaves it alone',
    async (_, make, reason) => {
      const lockPath = `${file}.lock`;
      await make(lockPath);
      const before = await lstat(lockPath);
      const error = await rejection(
        fileStorage(file, { lockTimeoutMs: 300, staleLockMs: 50 }).setItem('k', 'v'),
      );
      expect(error.code).toBe('StorageException');
      expect(error.message).toBe(
        `Timed out waiting for the lock file ${lockPath} (${lockPath} is ${reason})`,
      );
      expect((await lstat(lockPath)).ino).toBe(before.ino);
      await expect(readFile(file)).rejects.toMatchObject({ code: 'ENOENT' });
    },
    15_000,
  );

  it('lock(name, task) runs the task after lockTimeoutMs with a FIFO at its lock path', async () => {
    const storage = fileStorage(file, { lockTimeoutMs: 300 });
    mkfifo(`${file}.refresh.lock`);
    await expect(storage.lock?.('refresh', async () => 'ran')).resolves.toBe('ran');
  }, 15_000);
});

describe('stealing a stale lock', () => {
  it('never deletes a fresh lock that replaced the stale one after it was judged stale', async () => {
    const lockPath = `${file}.lock`;
    await writeFile(lockPath, JSON.stringify({ pid: await deadPid(), host: hostname(), token: 'dead' }));
    const seen = (await readLockFile(lockPath)) as LockFileInfo;
    // Between the stealer's last look and its removal, the dead holder's lock is gone and a live
    // process creates its own (a new file, a new inode).
    race.path = lockPath;
    race.hook = async () => {
      const { rename: realRename } =
        await vi.importActual<typeof import('node:fs/promises')>('node:fs/promises');
      await writeFile(
        `${lockPath}.new`,
        JSON.stringify({ pid: process.pid, host: hostname(), token: 'fresh' }),
      );
      await realRename(`${lockPath}.new`, lockPath);
    };
    expect(await stealLockFile(lockPath, seen, 30_000)).toBe(false);
    expect(race.hook).toBeUndefined();
    expect((await readLockFile(lockPath))?.token).toBe('fresh');
  });

  it('takes the stale lock when nothing replaced it', async () => {
    const lockPath = `${file}.lock`;
    await writeFile(lockPath, JSON.stringify({ pid: await deadPid(), host: hostname(), token: 'dead' }));
    const seen = (await readLockFile(lockPath)) as LockFileInfo;
    expect(await stealLockFile(lockPath, seen, 30_000)).toBe(true);
    expect(await readLockFile(lockPath)).toBeNull();
    await fileStorage(file).setItem('k', 'v');
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ k: 'v' });
  });
});

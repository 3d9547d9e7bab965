import { createHash, randomBytes } from 'node:crypto';
import type { Stats } from 'node:fs';
import { open, readdir, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { CognitoError, invalidParameter } from '../errors.js';
import {
  describeFileType,
  errorCode,
  type LockFileOptions,
  openNoFollow,
  withLockFile,
} from './file-lock.js';
import type { TokenStorage } from './types.js';

const OPTION_NAMES: ReadonlySet<string> = new Set(['lockTimeoutMs', 'staleLockMs']);

/** Options of {@link fileStorage}. */
export interface FileStorageOptions {
  /**
   * How long a write (and {@link TokenStorage.lock}) waits for another process's lock. A write
   * that cannot get the lock in time fails; `lock` runs its task anyway.
   * @defaultValue `10000`
   */
  lockTimeoutMs?: number;
  /**
   * A lock file its holder has not touched for this long is taken to be abandoned and is stolen.
   * Locks of processes that died on this host are stolen at once.
   * @defaultValue `30000`
   */
  staleLockMs?: number;
}

/**
 * Creates a {@link TokenStorage} that keeps all keys in one JSON file, safe to share between
 * processes (CLI tools, workers, several servers on one machine). Node only: import it from
 * `cognito-kit/node`.
 *
 * Reads never lock: every write replaces the file atomically (a temporary file in the same
 * directory, fsync'ed, then renamed over it), so readers see the old or the new content, never a
 * mix, and a crash mid-write leaves the old content. Writes take the lock file `<path>.lock`
 * (created exclusively; a lock abandoned by a dead process or untouched for `staleLockMs` is stolen)
 * around read-modify-write, so concurrent writers never lose each other's keys. The file gets mode
 * `0600` and a missing parent directory is created with mode `0700`. A missing, unparsable or
 * malformed file reads as signed out; the next write repairs it. `lock(name, task)` serializes work
 * across processes with a lock file per name, `<path>.<name>.lock`; it is not reentrant.
 *
 * @param path - The token file, for example `~/.config/my-cli/tokens.json` (expanded by you).
 * @param options - Lock timing.
 * @defaultValue `{ lockTimeoutMs: 10000, staleLockMs: 30000 }`
 * @returns An asynchronous token store over the file.
 * @throws {@link CognitoError} `InvalidParameterException` at once for an empty path, an unknown
 * option or a negative or non-numeric timing. `StorageException` (with the system error as `cause`)
 * from a method when the file cannot be read or written (`EACCES`, `ENOSPC`, `EISDIR`…) or a write
 * times out waiting for the lock; the file then keeps its previous content.
 *
 * @example
 * ```ts
 * import { homedir } from 'node:os';
 * import { join } from 'node:path';
 * import { CognitoClient, fileStorage } from 'cognito-kit/node';
 *
 * const storage = fileStorage(join(homedir(), '.config', 'my-cli', 'tokens.json'));
 * const client = new CognitoClient({ userPoolId, clientId, storage });
 * ```
 */
export function fileStorage(path: string, options: FileStorageOptions = {}): TokenStorage {
  if (typeof path !== 'string' || path === '') {
    throw invalidParameter('fileStorage path must be a non-empty string');
  }
  const lockOptions = validateOptions(options);
  const target = resolve(path);
  let swept = false;

  const update = async (change: (values: Map<string, string>) => boolean): Promise<void> => {
    try {
      // Creating the lock file creates a missing directory (mode 0700) first.
      const written = await withLockFile(`${target}.lock`, lockOptions, async () => {
        const { values, clean } = await readValues(target);
        if (!change(values) && clean) return false;
        if (!swept) {
          swept = true;
          await removeLeftoverTempFiles(target);
        }
        await replaceFile(target, JSON.stringify(Object.fromEntries(values)));
        return true;
      });
      // Outside the lock: making the rename durable need not hold up other writers.
      if (written) await syncDirectory(dirname(target));
    } catch (error) {
      throw storageError(error, `Could not write the token file ${target}`);
    }
  };

  return {
    async getItem(key) {
      try {
        return (await readValues(target)).values.get(key) ?? null;
      } catch (error) {
        throw storageError(error, `Could not read the token file ${target}`);
      }
    },
    setItem: (key, value) =>
      update((values) => {
        if (values.get(key) === value) return false;
        values.set(key, value);
        return true;
      }),
    removeItem: (key) => update((values) => values.delete(key)),
    lock: (name, task) =>
      withLockFile(`${target}.${lockFileName(name)}.lock`, { ...lockOptions, runOnTimeout: true }, task),
  };
}

/**
 * Reads the file's string entries. `clean` is false when the file exists but is not a JSON object
 * of strings, so that the next write repairs it even if it changes nothing.
 */
async function readValues(target: string): Promise<{ values: Map<string, string>; clean: boolean }> {
  let text: string;
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await openNoFollow(target);
    const problem = untrustedFile(await handle.stat());
    if (problem !== undefined) {
      throw new CognitoError('StorageException', `Refusing the token file ${target}: ${problem}`, {
        retryable: false,
      });
    }
    text = await handle.readFile('utf8');
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return { values: new Map(), clean: true };
    if (errorCode(error) === 'ELOOP') {
      throw new CognitoError('StorageException', `Refusing the token file ${target}: it is a symbolic link`, {
        cause: error,
        retryable: false,
      });
    }
    throw error;
  } finally {
    await handle?.close().catch(() => undefined);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { values: new Map(), clean: false };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return { values: new Map(), clean: false };
  }
  const values = new Map<string, string>();
  let clean = true;
  for (const [key, value] of Object.entries(parsed)) {
    if (typeof value === 'string') values.set(key, value);
    else clean = false;
  }
  return { values, clean };
}

/**
 * Why a token file must not be used, or `undefined` when it is a regular file of this user that
 * nobody else can write: a file planted by another local user would hand its session to this one,
 * and one others can write can be changed under it.
 */
function untrustedFile(stats: Stats): string | undefined {
  if (!stats.isFile()) return `it is ${describeFileType(stats)}, not a regular file`;
  // Windows has no POSIX owners or modes.
  if (process.platform === 'win32' || typeof process.getuid !== 'function') return undefined;
  const uid = process.getuid();
  if (stats.uid !== uid) return `it is owned by uid ${stats.uid}, not by this user (uid ${uid})`;
  if ((stats.mode & 0o022) !== 0) {
    return `it is writable by ${stats.mode & 0o020 ? 'its group' : 'others'} (mode ${(stats.mode & 0o777).toString(8).padStart(4, '0')})`;
  }
  return undefined;
}

/** Replaces `target` atomically with `data`: readers and crashes see the old or the new file. */
async function replaceFile(target: string, data: string): Promise<void> {
  const temp = `${target}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(temp, 'wx', 0o600);
    // The umask may have narrowed the mode; the tokens must be readable by their owner only.
    await handle.chmod(0o600);
    await handle.writeFile(data, 'utf8');
    await handle.sync();
    await handle.close();
    handle = undefined;
    await rename(temp, target);
  } catch (error) {
    await handle?.close().catch(() => undefined);
    await unlink(temp).catch(() => undefined);
    throw error;
  }
}

/** Makes the rename durable. Best effort: not every platform can open or sync a directory. */
async function syncDirectory(directory: string): Promise<void> {
  try {
    const handle = await open(directory, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Windows and some file systems refuse; the data itself was synced before the rename.
  }
}

/**
 * Deletes temporary files of writers killed mid-write. Safe under the write lock: no other writer
 * can be between creating its temporary file and renaming it.
 */
async function removeLeftoverTempFiles(target: string): Promise<void> {
  const prefix = `${basename(target)}.`;
  const pattern = /^\d+\.[0-9a-f]+\.tmp$/;
  try {
    const names = await readdir(dirname(target));
    const leftovers = names.filter(
      (name) => name.startsWith(prefix) && pattern.test(name.slice(prefix.length)),
    );
    await Promise.all(leftovers.map((name) => unlink(join(dirname(target), name)).catch(() => undefined)));
  } catch {
    // Cleaning up is a courtesy; the write itself must go on.
  }
}

/** Turns a lock name into a safe, bounded file name part. */
function lockFileName(name: string): string {
  const safe = String(name).replace(/[^A-Za-z0-9_-]/g, '_');
  if (safe.length <= 80) return safe;
  return `${safe.slice(0, 40)}-${createHash('sha256').update(String(name)).digest('hex').slice(0, 16)}`;
}

function validateOptions(options: FileStorageOptions): LockFileOptions {
  if (typeof options !== 'object' || options === null) {
    throw invalidParameter('fileStorage options must be an object');
  }
  for (const name of Object.keys(options)) {
    if (!OPTION_NAMES.has(name)) throw invalidParameter(`Unknown fileStorage option "${name}"`);
  }
  const { lockTimeoutMs = 10_000, staleLockMs = 30_000 } = options;
  if (typeof lockTimeoutMs !== 'number' || Number.isNaN(lockTimeoutMs) || lockTimeoutMs < 0) {
    throw invalidParameter('fileStorage lockTimeoutMs must be a non-negative number of milliseconds');
  }
  // At 0 every lock would be stale at once, so nothing would ever be locked.
  if (typeof staleLockMs !== 'number' || Number.isNaN(staleLockMs) || staleLockMs <= 0) {
    throw invalidParameter('fileStorage staleLockMs must be a positive number of milliseconds');
  }
  return { timeoutMs: lockTimeoutMs, staleMs: staleLockMs };
}

function storageError(error: unknown, message: string): CognitoError {
  if (error instanceof CognitoError) return error;
  const code = errorCode(error);
  return new CognitoError('StorageException', code === undefined ? message : `${message} (${code})`, {
    cause: error,
    retryable: false,
  });
}

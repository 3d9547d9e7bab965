import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { link, mkdir, open, readdir, rename, unlink, utimes } from 'node:fs/promises';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { CognitoError } from '../errors.js';

// Cross-process lock files for fileStorage: `open(path, 'wx')` creates the lock only when nobody
// holds it. A holder touches its file while it works, so a lock whose file has not been touched for
// `staleMs`, or whose process (on this host) is gone, is stolen.

/** @internal How long to wait for a lock, and when a held lock counts as abandoned. */
export interface LockFileOptions {
  /** Give up (or, with `runOnTimeout`, run without the lock) after this many milliseconds. */
  timeoutMs: number;
  /** A lock file untouched for this many milliseconds is stolen. */
  staleMs: number;
  /** Run the task without the lock instead of rejecting when `timeoutMs` passes. */
  runOnTimeout?: boolean;
}

/** @internal What a lock file says about its holder, plus the file's identity. */
export interface LockFileInfo {
  pid: number | undefined;
  host: string | undefined;
  token: string | undefined;
  dev: number;
  ino: number;
  size: number;
  mtimeMs: number;
}

/** A holder fills its lock file right after creating it; one still empty after this long never will be. */
const UNFILLED_LOCK_MS = 2_000;

/** The longest delay `setTimeout` takes; longer ones fire at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Lock paths of this process, each with the promise its last queued user settles. */
const queues = new Map<string, Promise<void>>();

/**
 * @internal Runs `task` while holding the lock file `lockPath`, and releases it afterwards. Callers in
 * this process queue in memory first, so only one of them at a time polls the file. Not reentrant.
 *
 * @throws {@link CognitoError} `StorageException` when the lock cannot be had within `timeoutMs`
 * (unless `runOnTimeout`) or the lock file cannot be created; otherwise whatever `task` throws.
 */
export async function withLockFile<T>(
  lockPath: string,
  options: LockFileOptions,
  task: () => Promise<T>,
): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  const previous = queues.get(lockPath) ?? Promise.resolve();
  let done = (): void => {};
  const mine = new Promise<void>((resolve) => {
    done = resolve;
  });
  // Whoever queues after us waits for both: a caller that gives up early keeps the order intact.
  const tail = previous.then(() => mine);
  queues.set(lockPath, tail);
  try {
    let release: (() => Promise<void>) | undefined;
    try {
      await beforeDeadline(previous, deadline);
      release = await acquireLockFile(lockPath, options.staleMs, deadline);
    } catch (error) {
      if (!(options.runOnTimeout && error instanceof LockTimeout)) throw toStorageError(error, lockPath);
    }
    try {
      return await task();
    } finally {
      await release?.();
    }
  } finally {
    done();
    if (queues.get(lockPath) === tail) queues.delete(lockPath);
  }
}

/**
 * @internal Creates the lock file, waiting with jittered sleeps while another live holder has it and
 * stealing it when abandoned. Resolves with the function that releases it.
 */
export async function acquireLockFile(
  lockPath: string,
  staleMs: number,
  deadline: number,
): Promise<() => Promise<void>> {
  const token = randomBytes(8).toString('hex');
  let delay = 1;
  let quickRetries = 0;
  for (;;) {
    if (await tryCreateLockFile(lockPath, token)) return holdLockFile(lockPath, token, staleMs);
    let changed = false;
    let reason: string | undefined;
    try {
      const info = await readLockFile(lockPath);
      changed =
        info === null || (isLockStale(info, staleMs) && (await stealLockFile(lockPath, info, staleMs)));
    } catch (error) {
      // Something that is no lock file (a FIFO, a directory, a symlink) sits there: never touch it,
      // wait like for a held lock, and say why when the time is up.
      if (!(error instanceof ForeignLockPath)) throw error;
      reason = error.reason;
    }
    if (Date.now() >= deadline) throw new LockTimeout(reason);
    // Retry at once when the lock just went away, but never spin (a dangling symlink looks like that).
    if (!changed || ++quickRetries > 3) {
      quickRetries = 0;
      await sleep(Math.min(delay * (0.5 + Math.random()), Math.max(deadline - Date.now(), 0)));
      delay = Math.min(delay * 2, 8);
    }
  }
}

/**
 * @internal Reads a lock file's holder and identity; `null` when there is no lock file.
 * @throws ForeignLockPath when something other than a regular file sits at the path: it is opened
 * without following a symlink and without blocking on a FIFO, so nothing there can hang the caller.
 */
export async function readLockFile(lockPath: string): Promise<LockFileInfo | null> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await openNoFollow(lockPath);
    const stats = await handle.stat();
    if (!stats.isFile())
      throw new ForeignLockPath(`${lockPath} is ${describeFileType(stats)}, not a regular file`);
    const content = parseObject(await handle.readFile('utf8'));
    return {
      pid: typeof content.pid === 'number' ? content.pid : undefined,
      host: typeof content.host === 'string' ? content.host : undefined,
      token: typeof content.token === 'string' ? content.token : undefined,
      dev: stats.dev,
      ino: stats.ino,
      size: stats.size,
      mtimeMs: stats.mtimeMs,
    };
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return null;
    if (errorCode(error) === 'ELOOP') throw new ForeignLockPath(`${lockPath} is a symbolic link`);
    throw error;
  } finally {
    await handle?.close();
  }
}

/** Opens `path` read-only, refusing a symlink (ELOOP) and never blocking on a FIFO. */
export function openNoFollow(path: string): ReturnType<typeof open> {
  // Windows has neither flag; there, a FIFO cannot sit in the file system.
  return open(path, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0));
}

/** @internal What a non-regular file is, for messages. */
export function describeFileType(stats: {
  isDirectory(): boolean;
  isFIFO(): boolean;
  isSymbolicLink(): boolean;
  isSocket(): boolean;
}): string {
  if (stats.isDirectory()) return 'a directory';
  if (stats.isFIFO()) return 'a FIFO';
  if (stats.isSymbolicLink()) return 'a symbolic link';
  if (stats.isSocket()) return 'a socket';
  return 'a device';
}

/**
 * @internal Tells whether a lock is abandoned: its holder on this host is no longer running, or its
 * file has not been touched for `staleMs`. A pid from another host cannot be checked, so only the
 * age counts there.
 */
export function isLockStale(info: LockFileInfo, staleMs: number, now = Date.now()): boolean {
  const { pid } = info;
  // Unfilled (no token) for this long: its creator died between `open(…, 'wx')` and writing it.
  if (info.token === undefined && now - info.mtimeMs > Math.min(staleMs, UNFILLED_LOCK_MS)) return true;
  const local = info.host === hostname() && pid !== undefined && Number.isInteger(pid) && pid > 0;
  if (local && !isProcessAlive(pid)) return true;
  return now - info.mtimeMs > staleMs;
}

/** @internal Tells whether a process with this pid runs on this host (`EPERM` means it does). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return errorCode(error) !== 'ESRCH';
  }
}

/**
 * @internal Removes the abandoned lock `seen`, unless it was replaced or touched meanwhile. A guard
 * file makes stealers take turns. The lock is first renamed away, which is atomic, and only then
 * compared with `seen` (device, inode, mtime, size, token): a fresh lock created, or a lock touched by
 * its live holder, since `seen` was read is put back, never deleted. (Checking, then unlinking by
 * path, would delete whatever lock was created in between.) Resolves `true` when the lock is gone.
 */
export async function stealLockFile(lockPath: string, seen: LockFileInfo, staleMs: number): Promise<boolean> {
  const guard = `${lockPath}.steal`;
  if (!(await tryCreateLockFile(guard, randomBytes(8).toString('hex')))) {
    try {
      const holder = await readLockFile(guard);
      if (holder !== null && isLockStale(holder, staleMs)) await unlinkIfExists(guard);
    } catch (error) {
      if (!(error instanceof ForeignLockPath)) throw error;
    }
    return false;
  }
  try {
    const moved = `${lockPath}.${randomBytes(6).toString('hex')}.stolen`;
    try {
      await rename(lockPath, moved);
    } catch (error) {
      if (errorCode(error) === 'ENOENT') return true;
      throw error;
    }
    let current: LockFileInfo | null = null;
    try {
      current = await readLockFile(moved);
    } catch (error) {
      if (!(error instanceof ForeignLockPath)) throw error;
    }
    if (current !== null && isSameLock(current, seen)) {
      await unlinkIfExists(moved);
      return true;
    }
    await restoreLock(moved, lockPath);
    return false;
  } finally {
    await unlinkIfExists(guard);
  }
}

/** Puts a lock renamed away by mistake back, unless a new one already took its place. */
async function restoreLock(moved: string, lockPath: string): Promise<void> {
  try {
    // link() never replaces: a lock created in the meantime wins over the one we moved.
    await link(moved, lockPath);
    await unlinkIfExists(moved);
  } catch (error) {
    if (errorCode(error) === 'EEXIST') {
      await unlinkIfExists(moved);
      return;
    }
    // Not a regular file (link refuses a directory): move it back as it was.
    await rename(moved, lockPath).catch(() => unlinkIfExists(moved));
  }
}

/** Something other than a lock file sits at a lock path. */
export class ForeignLockPath extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

/** The lock could not be had before the deadline; `reason` says what held it up, when known. */
class LockTimeout extends Error {
  constructor(readonly reason?: string) {
    super(reason ?? 'timed out');
  }
}

/**
 * Creates the lock file with its content in one step: the content goes to a private file first,
 * which is then hard-linked to the lock path (`link` fails when the path exists, like `open(…, 'wx')`).
 * Other processes never see an empty lock, which they would have to guess about: a creator that is
 * descheduled between creating and filling it (a loaded CI machine) looked abandoned after
 * {@link UNFILLED_LOCK_MS}, and its lock was stolen while it held it. File systems without hard
 * links fall back to `open(…, 'wx')` and a write.
 */
async function tryCreateLockFile(lockPath: string, token: string): Promise<boolean> {
  const content = JSON.stringify({ pid: process.pid, host: hostname(), token, time: Date.now() });
  const draft = `${lockPath}.${process.pid}.${token}.new`;
  try {
    await writeNew(draft, content);
  } catch (error) {
    if (errorCode(error) !== 'ENOENT') throw error;
    await mkdir(dirname(lockPath), { recursive: true, mode: 0o700 });
    return tryCreateLockFile(lockPath, token);
  }
  try {
    await link(draft, lockPath);
    await removeAbandonedDrafts(lockPath);
    return true;
  } catch (error) {
    // ENOENT: a holder took our draft for a dead process's (a pid reused across hosts): try again.
    if (errorCode(error) === 'EEXIST' || errorCode(error) === 'ENOENT') return false;
    if (!NO_HARD_LINKS.has(errorCode(error) ?? '')) throw error;
  } finally {
    await unlinkIfExists(draft);
  }
  try {
    await writeNew(lockPath, content);
    return true;
  } catch (error) {
    if (errorCode(error) === 'EEXIST') return false;
    throw error;
  }
}

/**
 * Deletes the drafts of processes on this host that died between writing a draft and removing it
 * (a SIGKILL), so they do not pile up beside the tokens. Run by a new holder. Never fails the lock.
 */
async function removeAbandonedDrafts(lockPath: string): Promise<void> {
  const prefix = `${basename(lockPath)}.`;
  try {
    const names = await readdir(dirname(lockPath));
    await Promise.all(
      names.map(async (name) => {
        const pid = /^(\d+)\.[0-9a-f]+\.new$/.exec(name.slice(prefix.length))?.[1];
        if (!name.startsWith(prefix) || pid === undefined || isProcessAlive(Number(pid))) return;
        await unlinkIfExists(join(dirname(lockPath), name)).catch(() => undefined);
      }),
    );
  } catch {
    // Cleaning up is a courtesy; the lock is held either way.
  }
}

/** What `link` answers on a file system without hard links. */
const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS']);

/** Creates `path` (never an existing one) with `content`, mode 0600; removes it if the write fails. */
async function writeNew(path: string, content: string): Promise<void> {
  const handle = await open(path, 'wx', 0o600);
  try {
    await handle.writeFile(content);
  } catch (error) {
    await handle.close().catch(() => undefined);
    await unlinkIfExists(path);
    throw error;
  }
  await handle.close();
}

function holdLockFile(lockPath: string, token: string, staleMs: number): () => Promise<void> {
  // Touching the file tells other processes that a slow holder is still alive.
  const heartbeat = setInterval(
    () => {
      const now = new Date();
      utimes(lockPath, now, now).catch(() => undefined);
    },
    Math.min(Math.max(Math.floor(staleMs / 3), 20), MAX_TIMER_MS),
  );
  heartbeat.unref?.();
  return async () => {
    clearInterval(heartbeat);
    try {
      // A lock stolen from us now belongs to someone else: leave it.
      if ((await readLockFile(lockPath))?.token === token) await unlinkIfExists(lockPath);
    } catch {
      // The task's outcome matters more; a lock file left behind is stolen once it goes stale.
    }
  };
}

function isSameLock(a: LockFileInfo, b: LockFileInfo): boolean {
  return (
    a.dev === b.dev && a.ino === b.ino && a.mtimeMs === b.mtimeMs && a.size === b.size && a.token === b.token
  );
}

async function beforeDeadline(promise: Promise<void>, deadline: number): Promise<void> {
  const remaining = Math.max(deadline - Date.now(), 0);
  // Longer than a timer can count (about 24.8 days) means: wait as long as it takes.
  if (remaining > MAX_TIMER_MS) return promise;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new LockTimeout()), remaining);
  });
  try {
    await Promise.race([promise, expired]);
  } finally {
    clearTimeout(timer);
  }
}

async function unlinkIfExists(path: string): Promise<void> {
  try {
    await unlink(path);
  } catch (error) {
    if (errorCode(error) !== 'ENOENT') throw error;
  }
}

function parseObject(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function toStorageError(error: unknown, lockPath: string): CognitoError {
  if (error instanceof CognitoError) return error;
  const message =
    error instanceof LockTimeout
      ? `Timed out waiting for the lock file ${lockPath}${error.reason ? ` (${error.reason})` : ''}`
      : `Could not create the lock file ${lockPath}${errorCode(error) ? ` (${errorCode(error)})` : ''}`;
  return new CognitoError('StorageException', message, {
    cause: error,
    retryable: error instanceof LockTimeout,
  });
}

/** @internal The `code` of a Node system error, such as `'ENOENT'`. */
export function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

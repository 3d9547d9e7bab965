import { type ChildProcess, spawn } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fileStorage } from '../../src/storage/file.js';
import { makeTempDir } from './fixtures/temp-dir.js';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));
const root = fileURLToPath(new URL('../../', import.meta.url));

let dir: string;
let remove: () => Promise<void>;
let file: string;
const children: ChildProcess[] = [];

beforeEach(async () => {
  ({ dir, remove } = await makeTempDir());
  file = join(dir, 'tokens.json');
});
afterEach(async () => {
  for (const child of children.splice(0))
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await remove();
});

/** Starts a fixture in its own Node process, TypeScript loaded through tsx. */
function runFixture(name: string, ...args: string[]): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', join(fixtures, name), ...args], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  return child;
}

/** Resolves when the process has exited and been reaped; rejects on a non-zero exit code. */
function exited(child: ChildProcess): Promise<void> {
  let stderr = '';
  child.stderr?.on('data', (chunk) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    child.on('exit', (code, signal) => {
      if (code === 0 || signal === 'SIGKILL') resolve();
      else reject(new Error(`fixture exited with ${code ?? signal}: ${stderr}`));
    });
  });
}

function printed(child: ChildProcess, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk) => {
      out += chunk;
      if (out.includes(text)) resolve();
    });
    child.on('exit', () => reject(new Error(`exited before printing ${text}`)));
  });
}

describe('fileStorage across processes', () => {
  it('keeps all 400 keys when two processes each write 200 distinct keys to one file', async () => {
    await Promise.all([
      exited(runFixture('write-keys.ts', file, 'a', '200')),
      exited(runFixture('write-keys.ts', file, 'b', '200')),
    ]);
    const content = JSON.parse(await readFile(file, 'utf8')) as Record<string, string>;
    expect(Object.keys(content)).toHaveLength(400);
    expect(content.a199).toBe('avalue199');
    expect(content.b0).toBe('bvalue0');
  });

  it('leaves a parsable file with a complete value when a writer is SIGKILLed mid-loop', async () => {
    const complete = ['A'.repeat(20_000), 'B'.repeat(20_000)];
    for (const delay of [40, 130]) {
      const child = runFixture('write-loop.ts', file);
      const done = exited(child);
      await printed(child, 'ready');
      await new Promise((resolve) => setTimeout(resolve, delay));
      child.kill('SIGKILL');
      await done;
      const content = JSON.parse(await readFile(file, 'utf8')) as Record<string, string>;
      expect(complete).toContain(content.token);
    }
    // A write lock or temporary file the killed process left is cleaned up by the next writer: the
    // lock's pid is dead, so it is taken over instead of waited on (waiting would exceed the 2 s
    // lockTimeoutMs and reject; staleLockMs is 30 s).
    await fileStorage(file, { lockTimeoutMs: 2_000 }).setItem('token', 'after');
    expect(await fileStorage(file).getItem('token')).toBe('after');
    expect(await readdir(dir)).toEqual(['tokens.json']);
  });

  it('lock(name) excludes across processes: held intervals never overlap, with writes inside', async () => {
    const log = join(dir, 'log.txt');
    await Promise.all([
      exited(runFixture('lock-log.ts', file, log, 'p1', '20')),
      exited(runFixture('lock-log.ts', file, log, 'p2', '20')),
    ]);
    const lines = (await readFile(log, 'utf8')).trim().split('\n');
    expect(lines).toHaveLength(80);
    for (let i = 0; i < lines.length; i += 2) {
      const id = lines[i]?.split(' ')[1];
      expect([lines[i], lines[i + 1]]).toEqual([`start ${id}`, `end ${id}`]);
    }
    expect(await fileStorage(file).getItem('p1-round')).toBe('19');
    expect(await fileStorage(file).getItem('p2-round')).toBe('19');
  });
});

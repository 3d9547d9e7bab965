import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { isCognitoError } from '../../src/errors.js';
import { fileStorage } from '../../src/storage/file.js';
import { makeTempDir } from './fixtures/temp-dir.js';

// Tests run as root in CI containers, where chmod cannot provoke EACCES: inject the system errors.
const failures = vi.hoisted(() => ({
  rename: undefined as string | undefined,
  openTemp: undefined as string | undefined,
}));

vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>();
  const systemError = (code: string) => Object.assign(new Error(`${code}: injected`), { code });
  return {
    ...actual,
    rename: async (...args: Parameters<typeof actual.rename>) => {
      if (failures.rename) throw systemError(failures.rename);
      return actual.rename(...args);
    },
    open: async (...args: Parameters<typeof actual.open>) => {
      if (failures.openTemp && String(args[0]).endsWith('.tmp')) throw systemError(failures.openTemp);
      return actual.open(...args);
    },
  };
});

let dir: string;
let remove: () => Promise<void>;
let file: string;

beforeEach(async () => {
  ({ dir, remove } = await makeTempDir());
  file = join(dir, 'tokens.json');
  await fileStorage(file).setItem('k', 'old');
});
afterEach(async () => {
  failures.rename = undefined;
  failures.openTemp = undefined;
  await remove();
});

describe('fileStorage when the disk fails', () => {
  it.each([
    ['the rename fails with ENOSPC', () => (failures.rename = 'ENOSPC'), 'ENOSPC'],
    ['the temporary file cannot be created (EACCES)', () => (failures.openTemp = 'EACCES'), 'EACCES'],
  ])(
    'rejects with StorageException when %s, keeping the old content and no debris',
    async (_, inject, code) => {
      inject();
      const error = await Promise.resolve(fileStorage(file).setItem('k', 'secret-new')).catch(
        (e: unknown) => e,
      );
      expect(isCognitoError(error, 'StorageException')).toBe(true);
      expect((error as Error).message).toContain(code);
      expect((error as Error).message).not.toContain('secret-new');
      expect((error as Error & { cause: { code: string } }).cause.code).toBe(code);
      expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ k: 'old' });
      expect(await readdir(dir)).toEqual(['tokens.json']);
    },
  );

  it('writes again once the disk recovers', async () => {
    failures.rename = 'ENOSPC';
    const storage = fileStorage(file);
    await expect(storage.setItem('k', 'new')).rejects.toMatchObject({ code: 'StorageException' });
    failures.rename = undefined;
    await storage.setItem('k', 'new');
    expect(await storage.getItem('k')).toBe('new');
  });
});

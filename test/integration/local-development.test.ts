// docs/local-development.md works as written: its pool-and-client script, run as a user would
// (tsx, COGNITO_ENDPOINT), against a real cognito-local; then a CognitoClient pointed at the
// emulator signs up, signs in and sees the documented differences from Cognito.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CognitoClient, isCognitoError, memoryStorage } from '../../src/index.js';
import { type CognitoLocal, startCognitoLocal } from '../helpers/cognito-local.js';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
let emulator: CognitoLocal | undefined;
let dir: string | undefined;

beforeAll(async () => {
  emulator = await startCognitoLocal();
  dir = await mkdtemp(join(tmpdir(), 'cognito-kit-local-dev-'));
}, 60_000);

afterAll(async () => {
  await emulator?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** The guide's code block that starts with `// <file>`. */
async function snippet(file: string): Promise<string> {
  const guide = await readFile(join(ROOT, 'docs/local-development.md'), 'utf8');
  const block = [...guide.matchAll(/```ts\n([\s\S]*?)```/g)]
    .map(([, code = '']) => code)
    .find((code) => code.startsWith(`// ${file}`));
  if (!block) throw new Error(`docs/local-development.md has no code block for ${file}`);
  return block;
}

describe('docs/local-development.md', () => {
  it('creates a pool and an app client that CognitoClient signs in to, with the differences it lists', async () => {
    if (!emulator || !dir) throw new Error('no emulator');
    const script = join(dir, 'local-pool.mts');
    await writeFile(script, await snippet('scripts/local-pool.ts'));
    const { stdout } = await run(process.execPath, ['--import', 'tsx', script], {
      cwd: ROOT,
      env: { ...process.env, COGNITO_ENDPOINT: emulator.endpoint },
    });
    const printed = JSON.parse(stdout.trim().split('\n').pop() ?? '{}');
    expect(printed).toEqual({
      userPoolId: expect.stringMatching(/^local_/),
      clientId: expect.any(String),
      endpoint: emulator.endpoint,
    });

    const client = new CognitoClient({
      userPoolId: printed.userPoolId,
      clientId: printed.clientId,
      endpoint: emulator.endpoint,
      authFlow: 'USER_PASSWORD_AUTH',
      storage: memoryStorage(),
    });
    const signUp = await client.signUp({
      username: 'ann',
      password: 'a', // no password policy in the emulator
      attributes: { email: 'ann@example.com' },
    });
    expect(signUp.codeDelivery?.deliveryMedium).toBe('EMAIL');
    await client.confirmSignUp({ username: 'ann', code: emulator.code });
    const result = await client.signIn({ username: 'ann', password: 'a' });
    expect(result.isSignedIn).toBe(true);

    const wrong = await client.signIn({ username: 'ann', password: 'b' }).catch((error: unknown) => error);
    expect(isCognitoError(wrong, 'InvalidPasswordException')).toBe(true);
    const unsupported = await client.signOut({ global: true }).catch((error: unknown) => error);
    expect(isCognitoError(unsupported) && unsupported.code).toBe('Unsupported');
  });
});

// Hosted-UI sessions shared by two Node processes through one fileStorage file: once the tokens are
// due, both ask for the session at the same moment and exactly one refresh reaches the token
// endpoint (the file's lock serializes the refresh; the other process adopts what was stored).
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { fileStorage } from '../../src/node.js';
import { type HostedUi, signInThroughLoginPage } from '../helpers/hosted-ui.js';
import { makeTempDir } from '../storage/fixtures/temp-dir.js';
import { hostedClient, startStandIn } from './support.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const fixture = fileURLToPath(new URL('./fixtures/session-at.ts', import.meta.url));
const run = promisify(execFile);

// Six-second tokens: due three seconds after they are issued (the margin is capped at half the lifetime).
const TTL_SECONDS = 6;

let ui: HostedUi;
let dir: string;
let remove: () => Promise<void>;
beforeAll(async () => {
  ui = await startStandIn(TTL_SECONDS);
  ({ dir, remove } = await makeTempDir());
});
afterAll(() => ui.close());
afterEach(() => remove());

interface Outcome {
  access: string | null;
  expiresAt: number | null;
  events: string[];
}

it('two processes on one file refresh a due hosted-UI session with one token request', async () => {
  const file = join(dir, 'tokens.json');
  const client = hostedClient(ui, fileStorage(file));
  const result = await client.handleRedirect(await signInThroughLoginPage(await client.getSignInUrl()));
  if (!result?.isSignedIn) throw new Error('sign-in failed');
  const signedIn = result.session;
  ui.requests.length = 0;

  const options = JSON.stringify({
    userPoolId: ui.userPoolId,
    clientId: ui.clientId,
    retryBaseDelayMs: 0,
    endpoint: 'http://127.0.0.1:9/',
    oauth: ui.oauthOptions(),
  });
  // Both call getSession() at the same moment, just after the tokens fall due.
  const at = String(signedIn.expiresAt - (TTL_SECONDS / 2) * 1000 + 200);
  const outcomes = await Promise.all(
    [1, 2].map(async () => {
      const { stdout } = await run(process.execPath, ['--import', 'tsx', fixture, file, options, at], {
        cwd: root,
        timeout: 30_000,
      });
      return JSON.parse(stdout) as Outcome;
    }),
  );

  const refreshes = ui.requestsTo('/oauth2/token');
  expect(refreshes).toHaveLength(1);
  expect(refreshes[0]?.form).toMatchObject({
    grant_type: 'refresh_token',
    refresh_token: signedIn.refreshToken,
  });
  const [first, second] = outcomes;
  const before = createHash('sha256').update(signedIn.accessToken).digest('hex').slice(0, 16);
  expect(first?.access).not.toBe(before);
  expect(first?.access).not.toBeNull();
  expect(second?.access).toBe(first?.access);
  // The refresh is announced once, by the process that made it; nobody is signed out.
  expect([...(first?.events ?? []), ...(second?.events ?? [])]).toEqual(['tokenRefreshed']);
  // And the file holds the new session for this process too.
  const after = await client.getSession();
  expect(
    createHash('sha256')
      .update(after?.accessToken ?? '')
      .digest('hex')
      .slice(0, 16),
  ).toBe(first?.access);
});

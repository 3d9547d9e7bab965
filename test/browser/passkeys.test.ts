/**
 * Passkeys in a real browser: Debian's Chromium with Chrome's virtual WebAuthn authenticator (CDP
 * `WebAuthn.addVirtualAuthenticator`: ctap2, internal, resident keys, user verification) on an
 * http://localhost page bundled by esbuild from src/, against the fake Cognito over HTTP, which
 * verifies registrations and assertions with @simplewebauthn/server (relying party `localhost`).
 */
import { copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CDPSession, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakeCognito, startFakeCognitoServer } from '../fake-cognito/index.js';
import { bundlePage } from './builds.js';
import { BrowserSuite, ROOT, type StaticServer, serveStatic } from './harness.js';

const PASSWORD = 'Correct-horse-1';
const PAGE_DIR = join(ROOT, 'test/browser/passkey-page');

const suite = new BrowserSuite({ workDir: 'passkeys' });
let site: StaticServer | undefined;
let fakeServer: { url: string; close(): Promise<void> } | undefined;
/** The output chunk holding src/passwordless/webauthn.ts: fetched only when a passkey is used. */
let webAuthnChunk = '';
// Short WebAuthn timeouts: a prompt that never settles must still end well inside the test's time.
const fake = new FakeCognito({
  userPoolId: 'us-east-1_Passkeys1',
  clientId: 'passkeyclient1',
  webAuthnUserVerification: 'required',
  webAuthnTimeoutMs: 4_000,
});

let page: Page;
let cdp: CDPSession;
let authenticatorId: string;

beforeAll(
  () =>
    suite.setUp(async (workDir) => {
      const metafile = await bundlePage(join(PAGE_DIR, 'main.ts'), workDir, { splitting: true });
      for (const [file, output] of Object.entries(metafile.outputs)) {
        if (Object.keys(output.inputs).includes('src/passwordless/webauthn.ts')) {
          webAuthnChunk = `/${file.split('/').pop()}`;
        }
      }
      await copyFile(join(PAGE_DIR, 'index.html'), join(workDir, 'index.html'));
      site = await serveStatic(workDir);
      fakeServer = await startFakeCognitoServer(fake);
      fake.addUser({ username: 'ann', password: PASSWORD, attributes: { email: 'ann@example.com' } });
    }),
  60_000,
);

afterAll(() => suite.tearDown(site, fakeServer));

// The fake answers rejected requests with HTTP 400, which Chromium logs.
const current = suite.contextPerTest({ allowed: [/status of 400/] });

beforeEach(async () => {
  page = await current.context.newPage();
  cdp = await current.context.newCDPSession(page);
  await cdp.send('WebAuthn.enable', { enableUI: false });
  const added = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  authenticatorId = added.authenticatorId;
  // localhost, not 127.0.0.1: the relying party id is `localhost`, and localhost is a secure context.
  const port = new URL((site as StaticServer).url).port;
  await page.goto(`http://localhost:${port}/`);
  await page.waitForFunction(() => document.body.dataset.ready === 'true');
});

/** Runs `script` in the page with a client of the fake on localStorage; errors come back as data. */
function inPage<T>(
  script: string,
): Promise<{ ok: true; value: T } | { ok: false; code: string; message: string }> {
  return page.evaluate(
    async ([body, endpoint]) => {
      const { CognitoClient, webStorage } = window.kit;
      const client = new CognitoClient({
        userPoolId: 'us-east-1_Passkeys1',
        clientId: 'passkeyclient1',
        endpoint,
        storage: webStorage(localStorage),
        authFlow: 'USER_AUTH',
      });
      try {
        // The test's own script, compiled in its own page.
        const AsyncFunction = (async () => undefined).constructor as new (
          ...args: string[]
        ) => (c: unknown) => Promise<unknown>;
        const run = new AsyncFunction('client', body);
        return { ok: true as const, value: (await run(client)) as never };
      } catch (error) {
        const e = error as { code?: string; name?: string; message?: string };
        return { ok: false as const, code: String(e.code ?? e.name), message: String(e.message) };
      }
    },
    [script, (fakeServer as { url: string }).url] as const,
  ) as never;
}

async function value<T>(script: string): Promise<T> {
  const outcome = await inPage<T>(script);
  if (!outcome.ok) throw new Error(`${outcome.code}: ${outcome.message}`);
  return outcome.value;
}

const webAuthnChunkFetched = () => (site as StaticServer).requests.includes(webAuthnChunk);

describe('passkeys with a virtual authenticator', () => {
  it('registers, lists, signs in with the passkey (preferred and chosen), and deletes it', async () => {
    expect(webAuthnChunk).not.toBe('');
    const signedIn = await value<boolean>(
      `return (await client.signIn({ username: 'ann', password: '${PASSWORD}' })).isSignedIn;`,
    );
    expect(signedIn).toBe(true);
    expect(webAuthnChunkFetched()).toBe(false);

    await value(`await client.registerPasskey();`);
    expect(webAuthnChunkFetched()).toBe(true);
    const completed = fake.requests.filter((r) => r.target === 'CompleteWebAuthnRegistration');
    expect(completed).toHaveLength(1);
    expect(completed[0]?.body.Credential).toMatchObject({
      type: 'public-key',
      response: { clientDataJSON: expect.any(String), attestationObject: expect.any(String) },
    });
    const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
    expect(credentials).toHaveLength(1);

    const listed = await value<{ passkeys: { credentialId: string; relyingPartyId: string }[] }>(
      `const r = await client.listPasskeys(); return { passkeys: r.passkeys.map((p) => ({ credentialId: p.credentialId, relyingPartyId: p.relyingPartyId })) };`,
    );
    expect(listed.passkeys).toEqual([
      { credentialId: fake.getUser('ann')?.passkeys[0]?.id, relyingPartyId: 'localhost' },
    ]);

    await value(`await client.signOut();`);
    const withPasskey = await value<{ isSignedIn: boolean; username?: string }>(
      `const r = await client.signIn({ username: 'ann', preferredChallenge: 'WEB_AUTHN' });
       return { isSignedIn: r.isSignedIn, username: r.isSignedIn ? r.session.username : undefined };`,
    );
    expect(withPasskey).toEqual({ isSignedIn: true, username: 'ann' });
    const answer = fake.requests.filter((r) => r.target === 'RespondToAuthChallenge').at(-1)?.body;
    expect(answer.ChallengeName).toBe('WEB_AUTHN');
    expect(JSON.parse(answer.ChallengeResponses.CREDENTIAL)).toMatchObject({
      id: listed.passkeys[0]?.credentialId,
      type: 'public-key',
      response: { authenticatorData: expect.any(String), signature: expect.any(String) },
    });

    await value(`await client.signOut();`);
    const chosen = await value<{ step: string; available: string[]; done: boolean }>(
      `const first = await client.signIn({ username: 'ann' });
       const next = await client.confirmSignIn({ challengeResponse: 'WEB_AUTHN' });
       return { step: first.nextStep.signInStep, available: first.nextStep.availableChallenges, done: next.isSignedIn };`,
    );
    expect(chosen).toEqual({
      step: 'CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION',
      available: ['PASSWORD', 'PASSWORD_SRP', 'EMAIL_OTP', 'WEB_AUTHN'],
      done: true,
    });

    await value(`await client.deletePasskey({ credentialId: '${listed.passkeys[0]?.credentialId}' });`);
    expect(await value<number>(`return (await client.listPasskeys()).passkeys.length;`)).toBe(0);
  });

  it('user verification failing rejects with WebAuthnCancelledException, and nothing stays pending', async () => {
    await value(
      `await client.signIn({ username: 'ann', password: '${PASSWORD}' }); await client.registerPasskey(); await client.signOut();`,
    );
    await cdp.send('WebAuthn.setUserVerified', { authenticatorId, isUserVerified: false });

    const refused = await inPage(
      `return await client.signIn({ username: 'ann', preferredChallenge: 'WEB_AUTHN' });`,
    );
    expect(refused).toMatchObject({ ok: false, code: 'WebAuthnCancelledException' });
    const pending = await inPage(`return await client.confirmSignIn({ challengeResponse: 'x' });`);
    expect(pending).toMatchObject({ ok: false, code: 'NoPendingChallengeException' });
    // The user can still pick another factor by signing in again.
    const again = await value<boolean>(
      `return (await client.signIn({ username: 'ann', password: '${PASSWORD}' })).isSignedIn;`,
    );
    expect(again).toBe(true);
    fake.getUser('ann')?.passkeys.splice(0);
  });
});

/**
 * Session state across tabs, in Debian's Chromium: two tabs of one origin, each with its own
 * CognitoClient on the shared localStorage (test/browser/sync-page, bundled from dist/ by esbuild),
 * against the fake Cognito over HTTP. A third tab listens on the client's BroadcastChannel and
 * records every message, to prove that none carries a token.
 */
import { copyFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeCognito, startFakeCognitoServer } from '../fake-cognito/index.js';
import { bundlePage } from './builds.js';
import { BrowserSuite, ROOT, type StaticServer, serveStatic } from './harness.js';
import type { SyncPage } from './sync-page/main.js';

const PASSWORD = 'Correct-horse-1';
const PAGE_DIR = join(ROOT, 'test/browser/sync-page');
/** The bound: another tab hears of a change within a second. */
const WITHIN_A_SECOND = 1_000;

const suite = new BrowserSuite({ workDir: 'sync', dist: true });
let site: StaticServer | undefined;
let cognito: { url: string; close(): Promise<void> } | undefined;
const fake = new FakeCognito({
  userPoolId: 'us-east-1_SyncTabs1',
  clientId: 'synctabsclient1',
  accessTokenTtlSeconds: 8,
  idTokenTtlSeconds: 8,
});

beforeAll(
  () =>
    suite.setUp(async (workDir) => {
      await bundlePage(join(PAGE_DIR, 'main.ts'), workDir);
      await copyFile(join(PAGE_DIR, 'index.html'), join(workDir, 'index.html'));
      // A page of the same origin without a client, for the tab that only listens to the channel.
      await writeFile(
        join(workDir, 'listener.html'),
        '<!doctype html><link rel="icon" href="data:,"><p>listening</p>',
      );
      site = await serveStatic(workDir);
      fake.addUser({ username: 'ann', password: PASSWORD });
      cognito = await startFakeCognitoServer(fake);
    }),
  60_000,
);

afterAll(() => suite.tearDown(site, cognito));

const current = suite.contextPerTest({ afterEach: () => expect(fake.internalErrors).toEqual([]) });

function pageUrl(options: { autoRefresh?: boolean } = {}): string {
  const query = new URLSearchParams({
    userPoolId: fake.userPoolId,
    clientId: fake.clientId,
    endpoint: cognito?.url ?? '',
    autoRefresh: String(options.autoRefresh ?? false),
  });
  return `${site?.url}?${query}`;
}

/** Opens a tab of the page (optionally without BroadcastChannel) and waits for its first onSessionChange. */
async function openTab(
  options: { autoRefresh?: boolean; withoutBroadcastChannel?: boolean } = {},
): Promise<Page> {
  const tab = await current.context.newPage();
  if (options.withoutBroadcastChannel) {
    await tab.addInitScript(() => {
      Reflect.deleteProperty(window, 'BroadcastChannel');
    });
  }
  await tab.goto(pageUrl(options));
  await tab.waitForFunction(() => typeof window.sync === 'object' && window.sync.changes.length === 1);
  return tab;
}

/** Cognito requests a tab sent (seen at the network level). */
function cognitoRequests(tab: Page): string[] {
  const seen: string[] = [];
  tab.on('request', (request) => {
    const target = request.headers()['x-amz-target'];
    if (request.method() === 'POST' && target) seen.push(target.split('.').pop() ?? target);
  });
  return seen;
}

/** A tab that records every message on the client's channel, as sent. */
async function channelListener(): Promise<Page> {
  const tab = await current.context.newPage();
  await tab.goto(`${site?.url}listener.html`);
  await tab.evaluate((name) => {
    const messages: unknown[] = [];
    (window as unknown as { messages: unknown[] }).messages = messages;
    new BroadcastChannel(name).addEventListener('message', (event) => messages.push(event.data));
  }, `cognito-kit:${fake.clientId}`);
  return tab;
}

const state = (tab: Page) =>
  tab.evaluate(() => ({ changes: [...window.sync.changes], events: [...window.sync.events] }));
const call = <K extends 'signIn' | 'refresh' | 'signOut'>(
  tab: Page,
  method: K,
  ...args: Parameters<SyncPage[K]>
) =>
  tab.evaluate(([name, params]) => (window.sync[name] as (...a: unknown[]) => Promise<unknown>)(...params), [
    method,
    args,
  ] as [K, unknown[]]);
/** Waits (at most a second) until the tab has seen `count` changes. */
const changesReach = (tab: Page, count: number) =>
  tab.waitForFunction((n) => window.sync.changes.length >= n, count, { timeout: WITHIN_A_SECOND });

describe.each([
  ['BroadcastChannel', false],
  ['storage events (no BroadcastChannel)', true],
])('two tabs on one origin, over %s', (_, withoutBroadcastChannel) => {
  it('a sign-in, a refresh and a sign-out in one tab reach the other once each, without a request', async () => {
    const listener = withoutBroadcastChannel ? undefined : await channelListener();
    const tabA = await openTab({ withoutBroadcastChannel });
    const tabB = await openTab({ withoutBroadcastChannel });
    const requestsB = cognitoRequests(tabB);

    // Sign-in in A: B's onSessionChange and on('signedIn') fire within a second.
    const first = await call(tabA, 'signIn', 'ann', PASSWORD);
    await changesReach(tabB, 2);
    expect(await state(tabB)).toEqual({
      changes: [null, first],
      events: [{ name: 'signedIn', accessToken: first }],
    });

    // A refresh in A: B gets tokenRefreshed with A's new tokens, and sends nothing itself.
    const second = await call(tabA, 'refresh');
    expect(second).not.toBe(first);
    await changesReach(tabB, 3);
    expect((await state(tabB)).events.at(-1)).toEqual({ name: 'tokenRefreshed', accessToken: second });
    expect(requestsB).toEqual([]);
    const tokens = await tabA.evaluate(() => window.sync.tokens());
    expect(tokens).toHaveLength(3);

    // Sign-out in B: A hears signedOut (reason 'user') and null.
    await call(tabB, 'signOut');
    await changesReach(tabA, 4);
    expect(await state(tabA)).toEqual({
      changes: [null, first, second, null],
      events: [
        { name: 'signedIn', accessToken: first },
        { name: 'tokenRefreshed', accessToken: second },
        { name: 'signedOut', reason: 'user' },
      ],
    });
    // Once each: B saw the same three changes, its own sign-out included, and nothing twice.
    expect(await state(tabB)).toEqual(await state(tabA));

    if (listener) {
      const messages = await listener.evaluate(() => (window as unknown as { messages: unknown[] }).messages);
      expect(messages).toEqual([
        { event: 'signedIn' },
        { event: 'tokenRefreshed' },
        { event: 'signedOut', reason: 'user' },
      ]);
      const sent = JSON.stringify(messages);
      for (const token of [...tokens, first ?? '']) expect(sent).not.toContain(token);
    }
  });
});

describe('autoRefresh', () => {
  it('a visible tab refreshes its due tokens by itself; the other tab follows without a request', async () => {
    const tabA = await openTab({ autoRefresh: true });
    const tabB = await openTab();
    const requestsB = cognitoRequests(tabB);
    const first = await call(tabA, 'signIn', 'ann', PASSWORD);
    const refreshes = () => fake.count('GetTokensFromRefreshToken') + fake.count('InitiateAuth');
    const refreshesBefore = refreshes();
    // Tokens live 8 s; the refresh falls due at half of that. No call from the test.
    await tabA.waitForFunction(() => window.sync.events.some((e) => e.name === 'tokenRefreshed'), undefined, {
      timeout: 15_000,
    });
    await changesReach(tabB, 3);
    const [a, b] = [await state(tabA), await state(tabB)];
    expect(a.events.map((e) => e.name)).toEqual(['signedIn', 'tokenRefreshed']);
    expect(b.events.map((e) => e.name)).toEqual(['signedIn', 'tokenRefreshed']);
    expect(b.changes).toEqual(a.changes);
    expect(a.changes[2]).not.toBe(first);
    expect(refreshes() - refreshesBefore).toBe(1);
    expect(requestsB).toEqual([]);
  });
});

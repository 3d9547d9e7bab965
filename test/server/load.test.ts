// Per-request isolation under load: 100 users, each with its own cookies, hit one node:http server
// at once (a fresh CognitoClient and requestCookieStorage per request); every answer must carry
// the user's own sub. Bounded: a fixed number of rounds, servers closed at the end.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { BrowserJar } from '../helpers/cookie-jar.js';
import { createFetchHandler, serveFetchHandler } from './apps/fetch-handler.js';
import { fakeOverHttp, PASSWORD } from './support.js';

const USERS = 100;
const ROUNDS = 3;

let env: Awaited<ReturnType<typeof fakeOverHttp>> & { url: string; stop(): Promise<void> };

beforeAll(async () => {
  const base = await fakeOverHttp();
  const served = await serveFetchHandler(
    createFetchHandler({ client: base.client, cookies: { secure: false }, verify: base.verify }),
  );
  env = {
    ...base,
    url: served.url,
    stop: async () => {
      await served.close();
      await base.close();
    },
  };
});
afterAll(() => env.stop());

it(`serves ${USERS} concurrent users, each seeing only their own session`, async () => {
  const users = Array.from({ length: USERS }, (_, i) => {
    const username = `user${i}`;
    const { sub } = env.fake.addUser({ username, password: PASSWORD });
    return { username, sub, jar: new BrowserJar(env.url) };
  });

  const signIns = await Promise.all(
    users.map((user) =>
      user.jar.fetch(`${env.url}/sign-in`, {
        method: 'POST',
        body: JSON.stringify({ username: user.username, password: PASSWORD }),
      }),
    ),
  );
  expect(signIns.map((response) => response.status)).toEqual(users.map(() => 200));

  const seen: string[][] = users.map(() => []);
  for (let round = 0; round < ROUNDS; round++) {
    // Every user at once, interleaved in one server.
    await Promise.all(
      users.map(async (user, index) => {
        const body = (await (await user.jar.fetch(`${env.url}/me`)).json()) as { sub?: string };
        seen[index]?.push(body.sub ?? 'none');
      }),
    );
  }
  expect(seen).toEqual(users.map((user) => Array(ROUNDS).fill(user.sub)));
  // Valid sessions: read from the cookies, no refresh.
  expect(env.fake.refreshCount()).toBe(0);

  const signOuts = await Promise.all(
    users.map((user) => user.jar.fetch(`${env.url}/sign-out`, { method: 'POST' })),
  );
  expect(signOuts.map((response) => response.status)).toEqual(users.map(() => 204));
  expect(env.fake.count('RevokeToken')).toBe(USERS);
  expect(users.filter((user) => user.jar.names(env.url).length > 0)).toEqual([]);
  expect(env.fake.internalErrors).toEqual([]);
}, 120_000);

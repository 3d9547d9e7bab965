// Identity pools: how many requests 50 concurrent getAwsCredentials() send (first use, and after a
// reload with the identity id in the storage), what a cached getAwsCredentials() costs beside the raw
// library's getSession. The identity chunk's size is bench/bundle.ts's `bundle.feature.identity` row.
import { FakeIdentityPool } from '../test/fake-cognito/index.js';
import { nockFake, PASSWORD, rawSignedIn } from './lib/fake.js';
import { importKit } from './lib/kit-build.js';
import { alternatingRounds, type LoopOptions } from './lib/loop.js';
import { rawGetSession } from './lib/raw-session.js';
import { formatSummary, type Row, ratioOf, row } from './lib/report.js';
import { summarize } from './lib/stats.js';

const CALLERS = 50;

export const IDENTITY_DEFAULTS = {
  rounds: 5,
  hotPath: { rounds: 15, callsPerRound: 20_000, warmupRounds: 3 } satisfies LoopOptions,
};

type Kit = Awaited<ReturnType<typeof importKit>>;

async function concurrency(kit: Kit, rounds: number) {
  const { fake, done } = nockFake();
  const idp = new FakeIdentityPool(fake);
  idp.intercept();
  const first: number[] = [];
  const reload: number[] = [];
  try {
    for (let round = 0; round < rounds; round++) {
      const username = `identity-${round}`;
      fake.addUser({ username, password: PASSWORD });
      const storage = kit.memoryStorage();
      const options = {
        userPoolId: fake.userPoolId,
        clientId: fake.clientId,
        storage,
        authFlow: 'USER_PASSWORD_AUTH' as const,
        identityPoolId: idp.identityPoolId,
      };
      const client = new kit.CognitoClient(options);
      await client.signIn({ username, password: PASSWORD });
      let before = idp.count();
      const all = await Promise.all(Array.from({ length: CALLERS }, () => client.getAwsCredentials()));
      if (new Set(all.map((c) => c.accessKeyId)).size !== 1)
        throw new Error('identity: callers got different credentials');
      first.push(idp.count() - before);
      before = idp.count();
      const reloaded = new kit.CognitoClient(options);
      await Promise.all(Array.from({ length: CALLERS }, () => reloaded.getAwsCredentials()));
      reload.push(idp.count() - before);
    }
  } finally {
    done();
  }
  return { first: summarize(first), reload: summarize(reload) };
}

async function hotPath(kit: Kit, options: LoopOptions) {
  const { fake, done } = nockFake();
  const idp = new FakeIdentityPool(fake);
  idp.intercept();
  let client: InstanceType<Kit['CognitoClient']>;
  let pool: Awaited<ReturnType<typeof rawSignedIn>>['pool'];
  try {
    fake.addUser({ username: 'hot-kit', password: PASSWORD });
    fake.addUser({ username: 'hot-raw', password: PASSWORD });
    client = new kit.CognitoClient({
      userPoolId: fake.userPoolId,
      clientId: fake.clientId,
      storage: kit.memoryStorage(),
      authFlow: 'USER_PASSWORD_AUTH',
      identityPoolId: idp.identityPoolId,
    });
    await client.signIn({ username: 'hot-kit', password: PASSWORD });
    await client.getAwsCredentials();
    ({ pool } = await rawSignedIn(fake, 'hot-raw'));
  } finally {
    // nock off: the loop must send nothing, and nock's patching would cost CPU.
    done();
  }
  const requestsBefore = idp.count() + fake.count();
  const results = await alternatingRounds(
    {
      credentials: () => client.getAwsCredentials(),
      session: () => client.getSession(),
      raw: () => rawGetSession(pool),
    },
    options,
  );
  if (idp.count() + fake.count() !== requestsBefore) throw new Error('identity hot path: a request was sent');
  return results;
}

/** The identity-pool figures; see the file's header. */
export async function identity(options = IDENTITY_DEFAULTS): Promise<Row[]> {
  const kit = await importKit();
  const requests = await concurrency(kit, options.rounds);
  const hot = await hotPath(kit, options.hotPath);
  const credentials = hot.credentials?.cpu ?? null;
  const raw = hot.raw?.cpu ?? null;
  const wall = (name: string) => formatSummary(hot[name]?.wall ?? null, 'ns/call');
  return [
    row({
      id: 'identity.concurrent-first',
      figure: `${CALLERS} concurrent getAwsCredentials, first use`,
      unit: 'requests',
      kit: requests.first,
      target: '= 2 (GetId + GetCredentialsForIdentity)',
      met: requests.first.max === 2 && requests.first.min === 2,
      notes: [
        `${options.rounds} rounds, fake user pool + fake identity pool through nock; a new user each round`,
      ],
    }),
    row({
      id: 'identity.concurrent-reload',
      figure: `${CALLERS} concurrent getAwsCredentials, after a reload`,
      unit: 'requests',
      kit: requests.reload,
      target: '= 1 (no GetId)',
      met: requests.reload.max === 1 && requests.reload.min === 1,
      notes: ['a new client on the same storage: the identity id is read from it'],
    }),
    row({
      id: 'identity.hot-path',
      figure: 'getAwsCredentials, cached',
      unit: 'ns/call',
      kit: credentials,
      raw,
      ratio: ratioOf(credentials, raw),
      ratioOf: 'kit getAwsCredentials / raw getSession',
      notes: [
        `${options.hotPath.rounds} alternating rounds × ${options.hotPath.callsPerRound.toLocaleString('en-US')} sequential awaited calls; ns/call = process CPU time; kit = published build`,
        `kit getSession in the same run: ${formatSummary(hot.session?.cpu ?? null, 'ns/call')} ns/call (getAwsCredentials / getSession ${ratioOf(credentials, hot.session?.cpu ?? null)?.toFixed(3) ?? '—'})`,
        `wall clock: getAwsCredentials ${wall('credentials')}, getSession ${wall('session')}, raw ${wall('raw')} ns/call`,
      ],
    }),
  ];
}

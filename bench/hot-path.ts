import { CognitoUserPool } from 'amazon-cognito-identity-js';
import { importKit } from './lib/kit-build.js';
import { alternatingRounds, type LoopOptions } from './lib/loop.js';
import { BENCH_POOL } from './lib/pool.js';
import { rawGetSession } from './lib/raw-session.js';
import { formatSummary, type Row, ratioOf, row } from './lib/report.js';
import { mapStorage, mintTokens, writeSession } from './lib/tokens.js';

const TARGET = 0.5;

export const HOT_PATH_DEFAULTS: LoopOptions = { rounds: 25, callsPerRound: 20_000, warmupRounds: 5 };

/**
 * Figure 1: `client.getSession()` with valid tokens against the raw library's
 * `pool.getCurrentUser().getSession(cb)`, promisified, both over in-memory storage holding the
 * same tokens. The kit is the published build (tsup output of the current src; tsx would add
 * `__name()` wrappers around every closure and distort the figure).
 */
export async function hotPath(options: LoopOptions = HOT_PATH_DEFAULTS): Promise<Row[]> {
  const { CognitoClient, memoryStorage } = await importKit();
  const { userPoolId, clientId } = BENCH_POOL;
  const username = 'bench-user';
  const tokens = mintTokens({ username, userPoolId, clientId });

  const kitStorage = memoryStorage();
  writeSession((k, v) => kitStorage.setItem(k, v), clientId, username, tokens);
  const kit = new CognitoClient({ userPoolId, clientId, storage: kitStorage });

  const rawStorage = mapStorage();
  writeSession(rawStorage.setItem, clientId, username, tokens);
  const pool = new CognitoUserPool({ UserPoolId: userPoolId, ClientId: clientId, Storage: rawStorage });

  // Same tokens in, same tokens out, and no refresh on either side.
  const kitSession = await kit.getSession();
  const rawSession = await rawGetSession(pool);
  if (kitSession?.accessToken !== tokens.accessToken) {
    throw new Error('hot path: cognito-kit did not return the stored session');
  }
  if (rawSession?.getAccessToken().getJwtToken() !== tokens.accessToken || !rawSession.isValid()) {
    throw new Error('hot path: the raw library did not return the stored session');
  }

  const results = await alternatingRounds(
    { kit: () => kit.getSession(), raw: () => rawGetSession(pool) },
    options,
  );
  const kitSummary = results.kit?.cpu ?? null;
  const rawSummary = results.raw?.cpu ?? null;
  const ratio = ratioOf(kitSummary, rawSummary);
  const wallRatio = ratioOf(results.kit?.wall ?? null, results.raw?.wall ?? null);
  const wall = (name: 'kit' | 'raw') => formatSummary(results[name]?.wall ?? null, 'ns/call');
  return [
    row({
      id: 'hot-path.getSession',
      figure: '1. getSession, valid tokens',
      unit: 'ns/call',
      kit: kitSummary,
      raw: rawSummary,
      ratio,
      ratioOf: 'kit/raw',
      target: `≤ ${TARGET}`,
      met: ratio === null ? null : ratio <= TARGET,
      notes: [
        `${options.rounds} alternating rounds × ${options.callsPerRound.toLocaleString('en-US')} sequential awaited calls after ${options.warmupRounds} warm-up rounds; kit = published build (tsup, target es2022); ns/call = process CPU time`,
        `wall clock: kit ${wall('kit')}, raw ${wall('raw')} ns/call, ratio ${wallRatio?.toFixed(3) ?? '—'}`,
      ],
    }),
  ];
}

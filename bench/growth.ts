import { CognitoUserPool } from 'amazon-cognito-identity-js';
import { importKit } from './lib/kit-build.js';
import { alternatingRounds, type LoopOptions } from './lib/loop.js';
import { BENCH_POOL } from './lib/pool.js';
import { rawGetSession } from './lib/raw-session.js';
import { type Row, ratioOf, row } from './lib/report.js';
import type { Summary } from './lib/stats.js';
import { mapStorage, mintTokens, type Tokens, writeSession } from './lib/tokens.js';

const SIZES = [1, 10, 100] as const;
// "Flat": 100 stored sessions cost at most this much more per call than one.
const FLAT_LIMIT = 1.1;

export const GROWTH_DEFAULTS: LoopOptions = { rounds: 15, callsPerRound: 20_000, warmupRounds: 3 };

/**
 * Figure 6: the kit's getSession with 1, 10 and 100 users' sessions in one storage (same clientId,
 * LastAuthUser pointing at one of them). The raw library on the same layout is shown for context.
 */
export async function growth(options: LoopOptions = GROWTH_DEFAULTS): Promise<Row[]> {
  const { CognitoClient, memoryStorage } = await importKit();
  const { userPoolId, clientId } = BENCH_POOL;
  const users: { username: string; tokens: Tokens }[] = [];
  for (let i = 0; i < Math.max(...SIZES); i++) {
    const username = `user-${String(i).padStart(3, '0')}`;
    users.push({ username, tokens: mintTokens({ username, userPoolId, clientId }) });
  }
  // The signed-in user is the one written last, as after that user's sign-in.
  const contenders: Record<string, () => Promise<unknown>> = {};
  for (const size of SIZES) {
    const present = users.slice(0, size);
    const current = present[present.length - 1];
    if (!current) throw new Error('growth: no users');
    const kitStorage = memoryStorage();
    const rawStorage = mapStorage();
    for (const user of present) {
      const isCurrent = user === current;
      writeSession((k, v) => kitStorage.setItem(k, v), clientId, user.username, user.tokens, {
        lastAuthUser: isCurrent,
      });
      writeSession(rawStorage.setItem, clientId, user.username, user.tokens, { lastAuthUser: isCurrent });
    }
    const kit = new CognitoClient({ userPoolId, clientId, storage: kitStorage });
    const pool = new CognitoUserPool({ UserPoolId: userPoolId, ClientId: clientId, Storage: rawStorage });
    const session = await kit.getSession();
    const rawSession = await rawGetSession(pool);
    if (
      session?.username !== current.username ||
      rawSession?.getAccessToken().getJwtToken() !== current.tokens.accessToken
    ) {
      throw new Error(`growth: wrong session with ${size} users stored`);
    }
    contenders[`kit${size}`] = () => kit.getSession();
    contenders[`raw${size}`] = () => rawGetSession(pool);
  }
  const results = await alternatingRounds(contenders, options);
  const kitAt = (size: number): Summary | null => results[`kit${size}`]?.cpu ?? null;
  const rawAt = (size: number): Summary | null => results[`raw${size}`]?.cpu ?? null;
  const rows = SIZES.map((size) =>
    row({
      id: `growth.users-${size}`,
      figure: `6. getSession, ${size} user${size === 1 ? '' : 's'} stored`,
      unit: 'ns/call',
      kit: kitAt(size),
      raw: rawAt(size),
      ratio: ratioOf(kitAt(size), rawAt(size)),
      ratioOf: 'kit/raw',
    }),
  );
  const growthRatio = ratioOf(kitAt(100), kitAt(1));
  rows.push(
    row({
      id: 'growth.ratio-100-1',
      figure: '6. growth 100 users / 1 user (kit)',
      unit: 'ratio',
      ratio: growthRatio,
      ratioOf: 'kit100/kit1',
      target: `≤ ${FLAT_LIMIT} (flat)`,
      met: growthRatio === null ? null : growthRatio <= FLAT_LIMIT,
      notes: [
        `${options.rounds} rounds × ${options.callsPerRound.toLocaleString('en-US')} calls per size, sizes alternated, ns/call = process CPU time; raw ratio 100/1 = ${ratioOf(rawAt(100), rawAt(1))?.toFixed(3) ?? '—'}`,
      ],
    }),
  );
  return rows;
}

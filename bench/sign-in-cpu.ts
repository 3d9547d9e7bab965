import { PASSWORD, rawSignIn } from './lib/fake.js';
import { startFakeServerProcess } from './lib/fake-server.js';
import { importKit } from './lib/kit-build.js';
import { alternatingRounds, type RoundResult } from './lib/loop.js';
import { formatSummary, type Row, ratioOf, row } from './lib/report.js';
import { summarize } from './lib/stats.js';
import { mapStorage } from './lib/tokens.js';

type Flow = 'USER_SRP_AUTH' | 'USER_PASSWORD_AUTH';

const TARGETS: Record<Flow, number> = { USER_SRP_AUTH: 1.05, USER_PASSWORD_AUTH: 0.1 };

export const SIGN_IN_CPU_DEFAULTS = { rounds: 15, warmupRounds: 2 };

/**
 * Figure 5: client CPU time (process.cpuUsage, user + system) of one sign-in, SRP and
 * USER_PASSWORD_AUTH, kit against the raw library. The fake Cognito runs as a real HTTP server in a
 * child process so its own SRP math is not counted. Rounds alternate kit/raw and the flows.
 */
export async function signInCpu(options = SIGN_IN_CPU_DEFAULTS): Promise<Row[]> {
  const { CognitoClient, memoryStorage } = await importKit();
  const username = 'cpu-user';
  const server = await startFakeServerProcess([{ username, password: PASSWORD }]);
  let results: Record<string, RoundResult> = {};
  try {
    const kitClients = {
      USER_SRP_AUTH: new CognitoClient({
        ...server.clientOptions,
        storage: memoryStorage(),
        authFlow: 'USER_SRP_AUTH',
      }),
      USER_PASSWORD_AUTH: new CognitoClient({
        ...server.clientOptions,
        storage: memoryStorage(),
        authFlow: 'USER_PASSWORD_AUTH',
      }),
    };
    const rawStorage = mapStorage();
    const pool = server.rawPool(rawStorage);
    const contenders: Record<string, () => Promise<void>> = {};
    for (const flow of ['USER_SRP_AUTH', 'USER_PASSWORD_AUTH'] as const) {
      contenders[`kit:${flow}`] = async () => {
        const result = await kitClients[flow].signIn({ username, password: PASSWORD });
        if (!result.isSignedIn) throw new Error(`sign-in CPU: kit ${flow} did not finish`);
      };
      contenders[`raw:${flow}`] = async () => {
        const session = await rawSignIn(pool, rawStorage, username, PASSWORD, flow);
        if (!session.isValid()) throw new Error(`sign-in CPU: raw ${flow} gave an invalid session`);
      };
    }
    results = await alternatingRounds(contenders, { ...options, callsPerRound: 1, unit: 'ms' });
  } finally {
    await server.close();
  }
  return (['USER_SRP_AUTH', 'USER_PASSWORD_AUTH'] as const).map((flow) => {
    const kit = results[`kit:${flow}`]?.cpu ?? summarize([]);
    const raw = results[`raw:${flow}`]?.cpu ?? summarize([]);
    const ratio = ratioOf(kit, raw);
    const target = TARGETS[flow];
    const kitWall = formatSummary(results[`kit:${flow}`]?.wall ?? null, 'ms');
    const rawWall = formatSummary(results[`raw:${flow}`]?.wall ?? null, 'ms');
    return row({
      id: `sign-in-cpu.${flow === 'USER_SRP_AUTH' ? 'srp' : 'password'}`,
      figure: `5. sign-in client CPU, ${flow}`,
      unit: 'ms CPU',
      kit,
      raw,
      ratio,
      ratioOf: 'kit/raw',
      target: `≤ ${target}`,
      met: ratio === null ? null : ratio <= target,
      notes: [
        `${options.rounds} sign-ins each after ${options.warmupRounds} warm-up, alternated; fake Cognito over HTTP in a child process; wall time kit ${kitWall}, raw ${rawWall} ms`,
      ],
    });
  });
}

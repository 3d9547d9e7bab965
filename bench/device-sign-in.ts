import { PASSWORD, rawSignIn } from './lib/fake.js';
import { startFakeServerProcess } from './lib/fake-server.js';
import { importKit } from './lib/kit-build.js';
import { alternatingRounds, type RoundResult } from './lib/loop.js';
import { formatSummary, type Row, ratioOf, row } from './lib/report.js';
import { summarize } from './lib/stats.js';
import { mapStorage } from './lib/tokens.js';

const TARGET = 1.05;

export const DEVICE_SIGN_IN_DEFAULTS = { rounds: 15, warmupRounds: 2 };

/**
 * Client CPU time (process.cpuUsage, user + system) of one USER_SRP_AUTH sign-in on a remembered
 * device: two SRP rounds (the password, then the device: DEVICE_SRP_AUTH and
 * DEVICE_PASSWORD_VERIFIER), kit against the raw library in the same run. Each side confirms its
 * device first (not measured); the fake Cognito (device tracking 'always') runs in a child process
 * so its own SRP math is not counted. Rounds alternate kit and raw.
 */
export async function deviceSignIn(options = DEVICE_SIGN_IN_DEFAULTS): Promise<Row[]> {
  const { CognitoClient, memoryStorage } = await importKit();
  const username = 'device-user';
  const server = await startFakeServerProcess([{ username, password: PASSWORD }], {
    deviceTracking: 'always',
  });
  let results: Record<string, RoundResult> = {};
  const deviceKeyOf = (storage: { getItem(key: string): unknown }) =>
    storage.getItem(`CognitoIdentityServiceProvider.${server.clientId}.${username}.deviceKey`);
  try {
    const kitStorage = memoryStorage();
    const kit = new CognitoClient({
      ...server.clientOptions,
      storage: kitStorage,
      authFlow: 'USER_SRP_AUTH',
    });
    const rawStorage = mapStorage();
    const pool = server.rawPool(rawStorage);
    // The first sign-in on each side confirms its device; every measured one proves it.
    const confirm = await kit.signIn({ username, password: PASSWORD });
    if (!confirm.isSignedIn || confirm.deviceError)
      throw new Error('device sign-in: kit did not confirm its device');
    await rawSignIn(pool, rawStorage, username, PASSWORD);
    const kitDevice = deviceKeyOf(kitStorage);
    const rawDevice = deviceKeyOf(rawStorage);
    if (!kitDevice || !rawDevice)
      throw new Error('device sign-in: a device key is missing after confirmation');
    const contenders: Record<string, () => Promise<void>> = {
      kit: async () => {
        const result = await kit.signIn({ username, password: PASSWORD });
        if (!result.isSignedIn) throw new Error('device sign-in: kit did not finish');
      },
      raw: async () => {
        const session = await rawSignIn(pool, rawStorage, username, PASSWORD);
        if (!session.isValid()) throw new Error('device sign-in: raw gave an invalid session');
      },
    };
    results = await alternatingRounds(contenders, { ...options, callsPerRound: 1, unit: 'ms' });
    // Still the same devices: every measured sign-in proved a device, none made a new one.
    if (deviceKeyOf(kitStorage) !== kitDevice || deviceKeyOf(rawStorage) !== rawDevice) {
      throw new Error('device sign-in: a sign-in replaced its device');
    }
  } finally {
    await server.close();
  }
  const kit = results.kit?.cpu ?? summarize([]);
  const raw = results.raw?.cpu ?? summarize([]);
  const ratio = ratioOf(kit, raw);
  return [
    row({
      id: 'device-sign-in-cpu.srp',
      figure: 'sign-in client CPU on a remembered device, USER_SRP_AUTH + device SRP',
      unit: 'ms CPU',
      kit,
      raw,
      ratio,
      ratioOf: 'kit/raw',
      target: `≤ ${TARGET}`,
      met: ratio === null ? null : ratio <= TARGET,
      notes: [
        `${options.rounds} sign-ins each after ${options.warmupRounds} warm-up, alternated; two SRP rounds each; fake Cognito over HTTP in a child process; wall time kit ${formatSummary(results.kit?.wall ?? null, 'ms')}, raw ${formatSummary(results.raw?.wall ?? null, 'ms')} ms`,
      ],
    }),
  ];
}

import { shiftClock } from './lib/clock.js';
import { nockFake, PASSWORD, rawSignedIn, refreshRequestsWith } from './lib/fake.js';
import { importKit } from './lib/kit-build.js';
import { rawGetSession } from './lib/raw-session.js';
import { formatSummary, type Row, ratioOf, row } from './lib/report.js';
import { summarize } from './lib/stats.js';

const CALLERS = 50;
const TWO_HOURS = 2 * 3600 * 1000;

export const REFRESH_STORM_DEFAULTS = { rounds: 5 };

/**
 * Figure 2: 50 concurrent getSession() calls on expired tokens; how many refresh requests reach
 * Cognito. Tokens are issued by the fake (a real sign-in through nock), then the process clock
 * moves 2 h ahead so both clients see them expired. Each round uses a fresh user and sign-in.
 */
export async function refreshStorm(options = REFRESH_STORM_DEFAULTS): Promise<Row[]> {
  const { CognitoClient, memoryStorage } = await importKit();
  const { fake, done } = nockFake();
  const clock = shiftClock();
  const kitRequests: number[] = [];
  const rawRequests: number[] = [];
  const kitMs: number[] = [];
  const rawMs: number[] = [];
  try {
    for (let round = 0; round < options.rounds; round++) {
      for (const side of round % 2 === 0 ? (['kit', 'raw'] as const) : (['raw', 'kit'] as const)) {
        const username = `storm-${side}-${round}`;
        fake.addUser({ username, password: PASSWORD, attributes: { email: `${username}@example.com` } });
        if (side === 'kit') {
          const client = new CognitoClient({
            userPoolId: fake.userPoolId,
            clientId: fake.clientId,
            storage: memoryStorage(),
            authFlow: 'USER_PASSWORD_AUTH',
          });
          const signedIn = await client.signIn({ username, password: PASSWORD });
          if (!signedIn.isSignedIn) throw new Error('refresh storm: kit sign-in did not finish');
          const refreshToken = signedIn.session.refreshToken;
          clock.advance(TWO_HOURS);
          const start = performance.now();
          const sessions = await Promise.all(Array.from({ length: CALLERS }, () => client.getSession()));
          kitMs.push(performance.now() - start);
          if (sessions.some((s) => !s || s.accessToken === signedIn.session.accessToken)) {
            throw new Error('refresh storm: kit did not return refreshed sessions to every caller');
          }
          kitRequests.push(refreshRequestsWith(fake, refreshToken));
        } else {
          const { pool, refreshToken } = await rawSignedIn(fake, username);
          clock.advance(TWO_HOURS);
          const start = performance.now();
          const sessions = await Promise.all(Array.from({ length: CALLERS }, () => rawGetSession(pool)));
          rawMs.push(performance.now() - start);
          if (sessions.some((s) => !s?.isValid()))
            throw new Error('refresh storm: raw returned an invalid session');
          rawRequests.push(refreshRequestsWith(fake, refreshToken));
        }
      }
    }
  } finally {
    clock.restore();
    done();
  }
  const kit = summarize(kitRequests);
  const raw = summarize(rawRequests);
  const met = kit.max === 1;
  return [
    row({
      id: 'refresh-storm.requests',
      figure: `2. ${CALLERS} concurrent getSession, expired`,
      unit: 'requests',
      kit,
      raw,
      ratio: ratioOf(kit, raw),
      ratioOf: 'kit/raw',
      target: 'kit = 1 (every round)',
      met,
      notes: [
        `${options.rounds} rounds each, fake Cognito through nock; wall time kit ${formatSummary(summarize(kitMs), 'ms')} ms, raw ${formatSummary(summarize(rawMs), 'ms')} ms`,
      ],
    }),
  ];
}

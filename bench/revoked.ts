import { shiftClock } from './lib/clock.js';
import { nockFake, PASSWORD, rawSignedIn, refreshRequestsWith } from './lib/fake.js';
import { importKit } from './lib/kit-build.js';
import { rawGetSession } from './lib/raw-session.js';
import { type Row, ratioOf, row } from './lib/report.js';
import { summarize } from './lib/stats.js';

const TWO_HOURS = 2 * 3600 * 1000;
/** The raw library's back-off gives up after about 6.4 s; stop waiting for it after this long. */
const RAW_CAP_MS = 15_000;

export const REVOKED_DEFAULTS = { kitRounds: 5, rawRounds: 3 };

type Outcome = { requests: number; ms: number; signedOut: boolean; note?: string };

/**
 * Figure 3: the refresh token was revoked (AdminUserGlobalSignOut on the fake) and the access
 * token has expired: requests sent and wall time until the caller learns it is signed out. The
 * kit resolves `null` and clears storage; the raw library's getSession errors after its retries.
 */
export async function revoked(options = REVOKED_DEFAULTS): Promise<Row[]> {
  const { CognitoClient, memoryStorage } = await importKit();
  const { fake, done } = nockFake();
  const clock = shiftClock();
  const kit: Outcome[] = [];
  const raw: Outcome[] = [];
  const rawErrors = new Set<string>();
  let rawStorageCleared = 0;
  try {
    const order: ('kit' | 'raw')[] = [];
    for (let i = 0; i < Math.max(options.kitRounds, options.rawRounds); i++) {
      if (i < options.rawRounds) order.push('raw');
      if (i < options.kitRounds) order.push('kit');
    }
    for (const [index, side] of order.entries()) {
      const username = `revoked-${side}-${index}`;
      fake.addUser({ username, password: PASSWORD, attributes: { email: `${username}@example.com` } });
      if (side === 'kit') {
        const storage = memoryStorage();
        const client = new CognitoClient({
          userPoolId: fake.userPoolId,
          clientId: fake.clientId,
          storage,
          authFlow: 'USER_PASSWORD_AUTH',
        });
        const signedIn = await client.signIn({ username, password: PASSWORD });
        if (!signedIn.isSignedIn) throw new Error('revoked: kit sign-in did not finish');
        let signedOutEvent = false;
        client.on('signedOut', () => {
          signedOutEvent = true;
        });
        fake.revokeRefreshTokens(username);
        clock.advance(TWO_HOURS);
        const start = performance.now();
        const session = await client.getSession();
        const ms = performance.now() - start;
        if (session !== null) throw new Error('revoked: kit returned a session for a revoked refresh token');
        kit.push({
          requests: refreshRequestsWith(fake, signedIn.session.refreshToken),
          ms,
          signedOut: signedOutEvent,
        });
      } else {
        const { pool, storage, refreshToken } = await rawSignedIn(fake, username);
        fake.revokeRefreshTokens(username);
        clock.advance(TWO_HOURS);
        const start = performance.now();
        let timer: NodeJS.Timeout | undefined;
        const outcome = await Promise.race([
          rawGetSession(pool).then(
            () => 'resolved' as const,
            (error: unknown) => {
              rawErrors.add(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
              return 'rejected' as const;
            },
          ),
          new Promise<'capped'>((resolve) => {
            timer = setTimeout(() => resolve('capped'), RAW_CAP_MS);
          }),
        ]);
        clearTimeout(timer);
        const ms = performance.now() - start;
        if (
          storage.map.size === 0 ||
          storage.getItem(`CognitoIdentityServiceProvider.${fake.clientId}.LastAuthUser`) === null
        ) {
          rawStorageCleared++;
        }
        raw.push({
          requests: refreshRequestsWith(fake, refreshToken),
          ms,
          signedOut: outcome === 'rejected',
          ...(outcome === 'rejected' ? {} : { note: outcome }),
        });
      }
    }
  } finally {
    clock.restore();
    done();
  }
  const kitRequests = summarize(kit.map((o) => o.requests));
  const rawRequests = summarize(raw.map((o) => o.requests));
  const kitMs = summarize(kit.map((o) => o.ms));
  const rawMs = summarize(raw.map((o) => o.ms));
  const capped = raw.filter((o) => o.note === 'capped').length;
  return [
    row({
      id: 'revoked.requests',
      figure: '3. revoked refresh token: requests',
      unit: 'requests',
      kit: kitRequests,
      raw: rawRequests,
      ratio: ratioOf(kitRequests, rawRequests),
      ratioOf: 'kit/raw',
      target: 'kit = 1 (every round)',
      met: kitRequests.max === 1 && kit.every((o) => o.signedOut),
      notes: [
        `kit resolved null and emitted signedOut in ${kit.filter((o) => o.signedOut).length}/${kit.length} rounds; raw getSession rejected in ${raw.filter((o) => o.signedOut).length}/${raw.length} (${[...rawErrors].join('; ') || 'no error'})${capped ? `, ${capped} capped at ${RAW_CAP_MS} ms` : ''}; raw cleared its stored tokens in ${rawStorageCleared}/${raw.length} rounds`,
      ],
    }),
    row({
      id: 'revoked.wall-ms',
      figure: '3. revoked refresh token: time to signed out',
      unit: 'ms',
      kit: kitMs,
      raw: rawMs,
      ratio: ratioOf(kitMs, rawMs),
      ratioOf: 'kit/raw',
      notes: [`raw capped at ${RAW_CAP_MS} ms; fake Cognito through nock (no network latency)`],
    }),
  ];
}

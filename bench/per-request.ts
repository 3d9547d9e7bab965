import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CognitoUserPool } from 'amazon-cognito-identity-js';
import { buildKit } from './lib/kit-build.js';
import { alternatingRounds, type LoopOptions } from './lib/loop.js';
import { BENCH_POOL } from './lib/pool.js';
import { rawGetSession } from './lib/raw-session.js';
import { formatSummary, type Row, ratioOf, row } from './lib/report.js';
import type { Summary } from './lib/stats.js';
import { mapStorage, mintTokens, writeSession } from './lib/tokens.js';

export const PER_REQUEST_DEFAULTS: LoopOptions = { rounds: 15, callsPerRound: 2_000, warmupRounds: 3 };

/** ns/call → calls/s (the median of the rates is the rate of the median; min and max swap). */
function perSecond(summary: Summary | null): Summary | null {
  if (!summary) return null;
  const rate = (ns: number) => 1e9 / ns;
  return {
    ...summary,
    median: rate(summary.median),
    min: rate(summary.max),
    max: rate(summary.min),
    q1: rate(summary.q3),
    q3: rate(summary.q1),
  };
}

/** A Cookie header as a browser sends it after a cookieStorage sign-in. */
function cookieHeader(entries: [string, string][]): string {
  return entries.map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`).join('; ');
}

/**
 * Per-request cost on a server: what one request pays to know its user. cognito-kit: parse the
 * request's Cookie header with `requestCookieStorage`, construct a `CognitoClient`, and
 * `getSession()` with valid tokens (no network). The raw library in the same run: parse the same
 * header into a storage, construct a `CognitoUserPool`, and `getCurrentUser().getSession()`.
 */
export async function perRequest(options: LoopOptions = PER_REQUEST_DEFAULTS): Promise<Row[]> {
  const dir = await buildKit();
  const server = (await import(
    pathToFileURL(join(dir, 'server.js')).href
  )) as typeof import('../src/server.js');
  const { userPoolId, clientId } = BENCH_POOL;
  const username = 'bench-user';
  const tokens = mintTokens({ username, userPoolId, clientId });
  const entries: [string, string][] = [];
  writeSession((key, value) => entries.push([key, value]), clientId, username, tokens);
  const header = cookieHeader(entries);
  const setCookie = (value: string) => {
    throw new Error(`per-request bench: a valid session must not write cookies (${value.slice(0, 40)})`);
  };

  const kit = () =>
    new server.CognitoClient({
      userPoolId,
      clientId,
      storage: server.requestCookieStorage({ cookies: header, setCookie }),
    }).getSession();
  const raw = () => {
    const storage = mapStorage();
    for (const part of header.split('; ')) {
      const at = part.indexOf('=');
      storage.setItem(decodeURIComponent(part.slice(0, at)), decodeURIComponent(part.slice(at + 1)));
    }
    return rawGetSession(
      new CognitoUserPool({ UserPoolId: userPoolId, ClientId: clientId, Storage: storage }),
    );
  };

  if ((await kit())?.accessToken !== tokens.accessToken)
    throw new Error('per-request: the kit did not read the session');
  if ((await raw())?.getAccessToken().getJwtToken() !== tokens.accessToken)
    throw new Error('per-request: the raw library did not read the session');

  const results = await alternatingRounds({ kit, raw }, options);
  const kitRate = perSecond(results.kit?.cpu ?? null);
  const rawRate = perSecond(results.raw?.cpu ?? null);
  const ratio = ratioOf(kitRate, rawRate);
  return [
    row({
      id: 'per-request.construct-and-getSession',
      figure: 'per request: cookies → client → getSession',
      unit: 'ops/s',
      kit: kitRate,
      raw: rawRate,
      ratio,
      ratioOf: 'kit/raw (higher is better)',
      notes: [
        `${options.rounds} alternating rounds × ${options.callsPerRound.toLocaleString('en-US')} requests after ${options.warmupRounds} warm-up rounds; each request parses a ${header.length}-byte Cookie header, constructs a client and reads a valid session (no network); ops/s by process CPU time`,
        `wall clock: kit ${formatSummary(perSecond(results.kit?.wall ?? null), 'ops/s')}, raw ${formatSummary(perSecond(results.raw?.wall ?? null), 'ops/s')} ops/s`,
      ],
    }),
  ];
}

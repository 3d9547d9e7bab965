// `npm run bench`: every figure in one run on this machine, cognito-kit beside the raw
// amazon-cognito-identity-js (and Amplify v6 for bundle size). Prints a table, then the same as
// JSON, which is also written to .tmp/bench.json. Not part of `npm test`.
//   npm run bench -- --only=hot-path,bundle     run some figures only
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { bundleSizes } from './bundle.js';
import { deviceSignIn } from './device-sign-in.js';
import { growth } from './growth.js';
import { hotPath } from './hot-path.js';
import { identity } from './identity.js';
import { buildKit, ROOT } from './lib/kit-build.js';
import { formatTable, type Row, row } from './lib/report.js';
import { perRequest } from './per-request.js';
import { refreshStorm } from './refresh-storm.js';
import { revoked } from './revoked.js';
import { signInCpu } from './sign-in-cpu.js';

const FIGURES: Record<string, () => Promise<Row[]>> = {
  'hot-path': () => hotPath(),
  'refresh-storm': () => refreshStorm(),
  revoked: () => revoked(),
  bundle: () => bundleSizes(),
  'sign-in-cpu': () => signInCpu(),
  'device-sign-in': () => deviceSignIn(),
  growth: () => growth(),
  'per-request': () => perRequest(),
  identity: () => identity(),
};

function selected(): string[] {
  const only = process.argv.find((arg) => arg.startsWith('--only='))?.slice('--only='.length);
  if (!only) return Object.keys(FIGURES);
  const names = only.split(',').filter(Boolean);
  const unknown = names.filter((name) => !(name in FIGURES));
  if (unknown.length)
    throw new Error(`unknown figure(s) ${unknown.join(', ')}; known: ${Object.keys(FIGURES).join(', ')}`);
  return names;
}

function git(args: string[]): string | null {
  try {
    return execFileSync('git', args, {
      cwd: ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return null;
  }
}

async function main(): Promise<void> {
  const names = selected();
  const started = Date.now();
  const loadBefore = loadavg();
  process.stderr.write('building cognito-kit (tsup, current src) into .tmp/bench/dist …\n');
  await buildKit();
  const rows: Row[] = [];
  const timings: Record<string, number> = {};
  let failed = false;
  for (const name of names) {
    const figure = FIGURES[name];
    if (!figure) continue;
    process.stderr.write(`running ${name} …\n`);
    const start = performance.now();
    try {
      rows.push(...(await figure()));
    } catch (error) {
      failed = true;
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
      process.stderr.write(`${name} failed: ${message}\n`);
      rows.push(
        row({
          id: `${name}.error`,
          figure: `${name}: FAILED`,
          unit: '—',
          met: false,
          notes: [message.split('\n')[0] ?? ''],
        }),
      );
    }
    timings[name] = Math.round(performance.now() - start);
  }
  const meta = {
    date: new Date(started).toISOString(),
    durationMs: Date.now() - started,
    figureDurationsMs: timings,
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? null,
    loadAverage: { before: loadBefore, after: loadavg() },
    gitHead: git(['rev-parse', '--short', 'HEAD']),
    srcDirty: (git(['status', '--porcelain', '--', 'src']) ?? '') !== '',
    versions: {
      'amazon-cognito-identity-js': (
        await import('amazon-cognito-identity-js/package.json', { with: { type: 'json' } })
      ).default.version,
      'aws-amplify': (await import('aws-amplify/package.json', { with: { type: 'json' } })).default.version,
    },
  };
  const targets = rows.filter((r) => r.met !== null);
  const summary = {
    met: targets.filter((r) => r.met).map((r) => r.id),
    missed: targets.filter((r) => !r.met).map((r) => r.id),
  };
  const result = { meta, summary, rows };
  const json = JSON.stringify(result, null, 2);
  console.log(formatTable(rows));
  console.log(
    `\nTargets met: ${summary.met.length}/${targets.length}${summary.missed.length ? ` — missed: ${summary.missed.join(', ')}` : ''}`,
  );
  console.log(
    `Run took ${(meta.durationMs / 1000).toFixed(1)} s on ${meta.cpus} CPUs, load average ${loadBefore[0]?.toFixed(2)} → ${meta.loadAverage.after[0]?.toFixed(2)}\n`,
  );
  console.log(json);
  const out = join(ROOT, '.tmp', 'bench.json');
  mkdirSync(join(ROOT, '.tmp'), { recursive: true });
  writeFileSync(out, `${json}\n`);
  process.stderr.write(`written to ${out}\n`);
  if (failed) process.exitCode = 1;
}

await main();

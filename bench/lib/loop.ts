import { nsSince, type Summary, settle, summarize } from './stats.js';

export interface LoopOptions {
  /** Measured rounds per contender. */
  rounds: number;
  /** Sequential awaited calls per round. */
  callsPerRound: number;
  /** Unmeasured rounds per contender first (JIT warm-up). */
  warmupRounds: number;
  /**
   * Unit of the figures: 'ns' per call for fast calls, 'ms' for calls that take milliseconds (a
   * sign-in).
   * @defaultValue 'ns'
   */
  unit?: 'ns' | 'ms';
}

/** Per contender: time per call (in `unit`) by process CPU time (primary) and by wall clock. */
export interface RoundResult {
  cpu: Summary;
  wall: Summary;
}

/**
 * Times async calls in rounds, alternating the contenders (a, b, c, b, c, a, …) so drift in the
 * machine's speed hits all alike. Each round awaits `callsPerRound` calls one after another; a
 * sample is the round's time per call.
 *
 * The primary figure is process CPU time (user + system) per call: on a shared 2-core machine the
 * wall clock also counts the time this process spends descheduled, which says nothing about either
 * contender. Wall-clock ns/call is returned beside it.
 */
export async function alternatingRounds(
  contenders: Record<string, () => Promise<unknown>>,
  options: LoopOptions,
): Promise<Record<string, RoundResult>> {
  const names = Object.keys(contenders);
  const cpu: Record<string, number[]> = Object.fromEntries(names.map((name) => [name, []]));
  const wall: Record<string, number[]> = Object.fromEntries(names.map((name) => [name, []]));
  const total = options.warmupRounds + options.rounds;
  const nsPerSample = options.callsPerRound * (options.unit === 'ms' ? 1e6 : 1);
  for (let round = 0; round < total; round++) {
    // Rotate the starting contender so none always runs right after the same neighbour.
    for (let k = 0; k < names.length; k++) {
      const name = names[(round + k) % names.length] as string;
      const call = contenders[name] as () => Promise<unknown>;
      await settle();
      const cpuStart = process.cpuUsage();
      const start = process.hrtime.bigint();
      for (let i = 0; i < options.callsPerRound; i++) await call();
      const wallNs = nsSince(start);
      const used = process.cpuUsage(cpuStart);
      if (round >= options.warmupRounds) {
        wall[name]?.push(wallNs / nsPerSample);
        cpu[name]?.push(((used.user + used.system) * 1000) / nsPerSample);
      }
    }
  }
  return Object.fromEntries(
    names.map((name) => [name, { cpu: summarize(cpu[name] ?? []), wall: summarize(wall[name] ?? []) }]),
  );
}

/**
 * Moves this process's wall clock forward: `Date.now()` and `new Date()` (the raw library reads
 * the latter, cognito-kit the former) both see the offset; timers are untouched, so real waits
 * (the raw library's retry back-off) still take real time. Always `restore()` in a `finally`.
 */
export function shiftClock(): { advance(ms: number): void; restore(): void } {
  const RealDate = Date;
  let offset = 0;
  const now = () => RealDate.now() + offset;
  class ShiftedDate extends RealDate {
    constructor(...args: unknown[]) {
      if (args.length === 0) super(now());
      else super(...(args as [string | number | Date]));
    }
    static override now(): number {
      return now();
    }
  }
  globalThis.Date = ShiftedDate as DateConstructor;
  return {
    advance(ms: number) {
      offset += ms;
    },
    restore() {
      globalThis.Date = RealDate;
    },
  };
}

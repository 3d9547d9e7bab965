// The default DeviceName. Only this feature's chunk carries it; the user agent is read here, once,
// when a device is confirmed. Never the host name: it can identify a person or a machine.

const BROWSERS: readonly [RegExp, string][] = [
  [/Edg\//, 'Edge'],
  [/OPR\/|Opera/, 'Opera'],
  [/Firefox\//, 'Firefox'],
  [/Chrom(e|ium)\//, 'Chrome'],
  [/Safari\//, 'Safari'],
];
const SYSTEMS: readonly [RegExp, string][] = [
  [/Android/, 'Android'],
  [/iPhone|iPad|iPod/, 'iOS'],
  [/Mac OS X|Macintosh/, 'macOS'],
  [/Windows/, 'Windows'],
  [/CrOS/, 'ChromeOS'],
  [/Linux/, 'Linux'],
];

function pick(userAgent: string, table: readonly [RegExp, string][]): string | undefined {
  return table.find(([pattern]) => pattern.test(userAgent))?.[1];
}

/** `'Chrome on macOS'` from a browser's user agent; `'Node.js'` (or the runtime) elsewhere. */
export function defaultDeviceName(userAgent: string | undefined): string {
  if (!userAgent) return 'Node.js';
  if (/^Node\.js/.test(userAgent)) return 'Node.js';
  const browser = pick(userAgent, BROWSERS);
  const system = pick(userAgent, SYSTEMS);
  if (browser && system) return `${browser} on ${system}`;
  return browser ?? system ?? userAgent.slice(0, 64);
}

/** The user agent where there is one (a browser, Deno, Bun, Node >= 21 report theirs). */
export function currentUserAgent(): string | undefined {
  const scope = globalThis as { navigator?: { userAgent?: unknown } };
  return typeof scope.navigator?.userAgent === 'string' ? scope.navigator.userAgent : undefined;
}

// Runs once before any test: the browser tests need Debian's Chromium. Where it is missing, a root
// shell with apt installs it (and says so); anywhere else the run stops at once with the one
// command to run. Never a silent skip, and never a downloaded browser.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const CHROMIUM = '/usr/bin/chromium';
const INSTALL = 'apt-get update && apt-get install -y chromium';

export default function ensureChromium(): void {
  if (existsSync(CHROMIUM)) return;
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  const apt = existsSync('/usr/bin/apt-get');
  if (!root || !apt) {
    throw new Error(
      `The browser tests need Debian's Chromium at ${CHROMIUM}, and it is missing. Run: sudo sh -c '${INSTALL}'`,
    );
  }
  console.log(`cognito-kit tests: ${CHROMIUM} is missing; installing Debian's chromium (${INSTALL})…`);
  execFileSync('sh', ['-c', `${INSTALL} >/dev/null`], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (!existsSync(CHROMIUM)) throw new Error(`apt-get ran, but ${CHROMIUM} is still missing`);
  console.log('cognito-kit tests: chromium installed.');
}

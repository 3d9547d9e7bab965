import { createInterface } from 'node:readline/promises';

/**
 * Asks one question on the terminal (node:readline) and resolves with the trimmed answer. Rejects
 * when stdin ends before an answer comes (e.g. `npm run demo < /dev/null`), so a script never hangs.
 * The interface is closed afterwards, so it leaves no handle behind.
 */
export async function ask(question: string): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: process.stdin.isTTY });
  const closed = new Promise<never>((_, reject) => {
    rl.once('close', () => reject(new Error('stdin closed before an answer was given')));
  });
  closed.catch(() => undefined);
  try {
    const answer = (await Promise.race([rl.question(question), closed])).trim();
    // Piped input is not echoed: end the prompt's line ourselves.
    if (!process.stdin.isTTY) process.stdout.write('\n');
    return answer;
  } finally {
    rl.close();
  }
}

// Child process: serves a FakeCognito over real HTTP so that its SRP work runs outside the process
// whose CPU time is measured. Started by startFakeServerProcess(); users come in through argv.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import {
  FakeCognito,
  type FakeCognitoOptions,
  startFakeCognitoServer,
} from '../../test/fake-cognito/index.js';

interface Ready {
  url: string;
  userPoolId: string;
  clientId: string;
}

/** Forks this file under tsx; resolves once the server listens. `close()` ends the child. */
export async function startFakeServerProcess(
  users: { username: string; password: string }[],
  options: Pick<FakeCognitoOptions, 'deviceTracking'> = {},
): Promise<Ready & { close(): Promise<void> }> {
  const child = fork(fileURLToPath(import.meta.url), [JSON.stringify(users), JSON.stringify(options)], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ready = await new Promise<Ready>((resolve, reject) => {
    child.once('message', (message) => resolve(message as Ready));
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`fake Cognito server process exited with ${code}`)));
  });
  return {
    ...ready,
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) {
          resolve();
          return;
        }
        const timer = setTimeout(() => child.kill(), 2000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.disconnect();
      }),
  };
}

async function serve(): Promise<void> {
  const users = JSON.parse(process.argv[2] ?? '[]') as { username: string; password: string }[];
  const fake = new FakeCognito(JSON.parse(process.argv[3] ?? '{}') as FakeCognitoOptions);
  for (const user of users) fake.addUser({ ...user, attributes: { email: `${user.username}@example.com` } });
  const server = await startFakeCognitoServer(fake);
  process.once('disconnect', () => {
    void server.close().finally(() => process.exit(0));
  });
  process.send?.({ url: server.url, userPoolId: fake.userPoolId, clientId: fake.clientId } satisfies Ready);
}

if (process.send && process.argv[1] === fileURLToPath(import.meta.url)) void serve();

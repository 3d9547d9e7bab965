// Child process: serves a FakeCognito over real HTTP so that its SRP work runs outside the process
// whose CPU time is measured. Started by startFakeServerProcess(); users come in through argv.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { CognitoUserPool, type ICognitoStorage } from 'amazon-cognito-identity-js';
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

/** The fake in its child process, and how each side of a figure reaches it. */
export interface FakeServerProcess extends Ready {
  /** The kit's side: spread into CognitoClient options (with storage and authFlow). */
  clientOptions: { userPoolId: string; clientId: string; endpoint: string };
  /** The raw library's side: a pool over `storage` (its CognitoUsers must be given the same one). */
  rawPool(storage: ICognitoStorage): CognitoUserPool;
  close(): Promise<void>;
}

/** Forks this file under tsx; resolves once the server listens. `close()` ends the child. */
export async function startFakeServerProcess(
  users: { username: string; password: string }[],
  options: Pick<FakeCognitoOptions, 'deviceTracking'> = {},
): Promise<FakeServerProcess> {
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
    clientOptions: { userPoolId: ready.userPoolId, clientId: ready.clientId, endpoint: ready.url },
    rawPool: (storage) =>
      new CognitoUserPool({
        UserPoolId: ready.userPoolId,
        ClientId: ready.clientId,
        endpoint: ready.url,
        Storage: storage,
      }),
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

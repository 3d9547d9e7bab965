// Two real Node processes sharing one fileStorage file against the cognito-local emulator:
// process A signs in, process B picks the session up from the file without signing in, then both
// ask for the session at the same moment once the tokens are due. fileStorage has `lock`, which
// cognito-kit takes around a refresh, so exactly one refresh request is sent in total; the other
// process adopts the tokens the first one stored, and nobody is signed out.
import { type ChildProcess, fork } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CognitoLocal, startCognitoLocal } from '../helpers/cognito-local.js';
import { clientFor, confirmedUser, type Pool } from './setup.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const worker = fileURLToPath(new URL('./fixtures/session-worker.ts', import.meta.url));

interface SessionSummary {
  username: string;
  sub: string;
  access: string;
  expiresAt: number;
  lifetimeSeconds: number;
}

/** One worker process and a request/response channel to it over IPC. */
class Worker {
  readonly child: ChildProcess;
  readonly ready: Promise<void>;
  #next = 1;
  readonly #waiting = new Map<number, (reply: Record<string, unknown>) => void>();
  #stderr = '';

  constructor(args: string[]) {
    this.child = fork(worker, args, {
      cwd: root,
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
    });
    this.child.stderr?.on('data', (chunk: Buffer) => {
      this.#stderr += chunk.toString('utf8');
    });
    this.ready = new Promise((resolve, reject) => {
      this.child.once('exit', (code, signal) =>
        reject(new Error(`worker exited early (${code ?? signal}): ${this.#stderr}`)),
      );
      this.child.on('message', (message: Record<string, unknown>) => {
        if (message.ready) resolve();
        const id = message.id as number | undefined;
        const done = id === undefined ? undefined : this.#waiting.get(id);
        if (id !== undefined && done) {
          this.#waiting.delete(id);
          done(message);
        }
      });
    });
    this.ready.catch(() => undefined);
  }

  /** Sends a command and resolves with the reply; rejects when the worker reports a failure. */
  async run<T = Record<string, unknown>>(command: Record<string, unknown>): Promise<T> {
    await this.ready;
    const id = this.#next++;
    const reply = await new Promise<Record<string, unknown>>((resolve) => {
      this.#waiting.set(id, resolve);
      this.child.send({ id, ...command });
    });
    if (!reply.ok) throw new Error(`worker ${this.child.pid}: ${String(reply.error)}\n${this.#stderr}`);
    return reply as T;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    if (this.child.connected) this.child.disconnect();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(timer);
  }
}

interface TimedSession {
  session: SessionSummary | null;
  againSame: boolean;
  requestsAfter: number;
  refreshes: number;
  tookMs: number;
  events: string[];
}

let cl: CognitoLocal;
let pool: Pool;
let dir: string;
const workers: Worker[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cognito-kit-processes-'));
  cl = await startCognitoLocal();
  pool = await cl.createPool({ name: 'processes', accessTokenValiditySeconds: 8 });
});

afterAll(async () => {
  await Promise.all(workers.map((w) => w.stop()));
  await cl?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('fileStorage shared by two Node processes', () => {
  it('B reads the session A stored; a concurrent refresh on due tokens sends one request in total', async () => {
    const file = join(dir, 'tokens.json');
    const user = await confirmedUser(cl, clientFor(cl, pool));
    const args = [file, pool.userPoolId, pool.clientId, cl.endpoint];
    const a = new Worker(args);
    const b = new Worker(args);
    workers.push(a, b);
    await Promise.all([a.ready, b.ready]);
    expect(a.child.pid).not.toBe(b.child.pid);

    // Process A signs in; the tokens land in the file (mode 0600).
    const signIn = await a.run<{ session: SessionSummary }>({
      cmd: 'signIn',
      username: user.username,
      password: user.password,
    });
    expect(signIn.session).toMatchObject({ username: user.username, sub: user.sub, lifetimeSeconds: 8 });
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const stored = JSON.parse(await readFile(file, 'utf8')) as Record<string, string>;
    expect(stored[`CognitoIdentityServiceProvider.${pool.clientId}.LastAuthUser`]).toBe(user.username);

    // Process B never signed in: it reads the same session from the file, without a request. (8-second
    // tokens fall due 3 to 4 s after the sign-in, the emulator's iat being whole seconds: time enough.)
    const read = await b.run<{
      user: { username: string; userSub: string };
      session: SessionSummary;
      requests: number;
    }>({ cmd: 'read' });
    expect(read.user).toEqual({ username: user.username, userSub: user.sub });
    expect(read.session.access).toBe(signIn.session.access);
    expect(read.requests).toBe(0);

    // Both ask at the same moment, once the tokens are due (the 60 s margin is capped at half of 8 s).
    const at = signIn.session.expiresAt - 4000 + 150;
    const [fromA, fromB] = await Promise.all([
      a.run<TimedSession>({ cmd: 'getSessionAt', at }),
      b.run<TimedSession>({ cmd: 'getSessionAt', at }),
    ]);
    console.info(
      `refresh requests: process A sent ${fromA.refreshes}, process B sent ${fromB.refreshes} ` +
        `(getSession took ${fromA.tookMs} ms / ${fromB.tookMs} ms)`,
    );

    // Both end up with the same, new, valid tokens...
    expect(fromA.session?.sub).toBe(user.sub);
    expect(fromB.session?.sub).toBe(user.sub);
    expect(fromA.session?.access).not.toBe(signIn.session.access);
    expect(fromA.session?.access).toBe(fromB.session?.access);
    expect(fromA.session?.expiresAt).toBeGreaterThan(Date.now());
    // ...from exactly one refresh request between them (the file lock serializes the refresh; the
    // second process adopts what the first stored).
    expect(fromA.refreshes + fromB.refreshes).toBe(1);
    // Nobody was signed out; the refresh is announced once, by the process that made it.
    for (const result of [fromA, fromB]) {
      expect(result.events).not.toContain('sessionExpired');
      expect(result.events.some((e) => e.startsWith('signedOut'))).toBe(false);
      expect(result.againSame).toBe(true);
      expect(result.requestsAfter).toBe(0);
    }
    const refreshedEvents = [...fromA.events, ...fromB.events].filter((e) => e === 'tokenRefreshed');
    expect(refreshedEvents).toHaveLength(1);

    const after = JSON.parse(await readFile(file, 'utf8')) as Record<string, string>;
    expect(after[`CognitoIdentityServiceProvider.${pool.clientId}.LastAuthUser`]).toBe(user.username);
    await Promise.all([a.run({ cmd: 'exit' }), b.run({ cmd: 'exit' })]);
  });
});

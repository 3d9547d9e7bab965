/**
 * Starts the cognito-local emulator (devDependency `cognito-local`) in a child process for the demo
 * (scripts/demo.ts), the Node example (examples/node/) and the tests (re-exported by
 * test/helpers/cognito-local.ts). The one implementation.
 *
 * Each instance gets its own free port and its own temporary working directory (cognito-local keeps its
 * config and data in `.cognito/` under its cwd), so instances never share state. See
 * docs/cognito-local-notes.md for what the emulator does and does not do compared with real Cognito.
 *
 * Lifetime: `stop()` sends SIGKILL, waits for the exit and removes the directory. A forgotten emulator
 * does not keep this process alive; it is killed and its directory removed when this process exits
 * ('exit' handler, SIGINT/SIGTERM/SIGHUP) and, should this process die without running any handler
 * (SIGKILL, crash), the emulator removes its directory and exits by itself when its IPC channel to us
 * closes.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export interface CognitoLocal {
  /** 'http://127.0.0.1:<port>/' */
  endpoint: string;
  port: number;
  /** temp working dir (holds `.cognito/config.json` and `.cognito/db/`) */
  dir: string;
  /** the fixed confirmation code (CODE env): sign-up, forgot-password, attribute verification, SMS MFA */
  code: string;
  /** raw JSON-protocol call (X-Amz-Target AWSCognitoIdentityProviderService.<op>); throws a CognitoLocalError */
  // biome-ignore lint/suspicious/noExplicitAny: raw protocol helper for tests; callers pick T
  call<T = any>(operation: string, body: object): Promise<T>;
  /**
   * CreateUserPool + AddCustomAttributes + CreateUserPoolClient; returns ids. The pool auto-verifies
   * email and declares the mutable custom attributes `custom:<name>` for each of `customAttributes`
   * (default `['nickname']`, i.e. `custom:nickname`), which cognito-local copies into ID tokens.
   */
  createPool(options?: CreatePoolOptions): Promise<{ userPoolId: string; clientId: string }>;
  /** AdminCreateUser with MessageAction SUPPRESS; the user is FORCE_CHANGE_PASSWORD. */
  adminCreateUser(
    userPoolId: string,
    username: string,
    temporaryPassword: string,
    attributes?: Record<string, string>,
  ): Promise<void>;
  /** the emulator's stdout+stderr so far (last 256 KiB) */
  logs(): string;
  /** SIGKILL, wait for exit, remove the temp dir; idempotent */
  stop(): Promise<void>;
}

export interface CreatePoolOptions {
  name?: string;
  /**
   * e.g. `['email']`: sign up with an email as username; the stored username (token `cognito:username`,
   * `username`) is then the user's sub. Default: none, usernames are free-form (as in real Cognito).
   */
  usernameAttributes?: string[];
  mfa?: 'OFF' | 'OPTIONAL' | 'ON';
  /** client AccessTokenValidity in minutes (default 24 h). Also applied to the ID token unless idTokenValidity* is set. */
  accessTokenValidityMinutes?: number;
  /** same in seconds (wins over minutes). cognito-local accepts any value, real Cognito's minimum is 5 minutes. */
  accessTokenValiditySeconds?: number;
  /** client IdTokenValidity in seconds (default: the access-token validity, else 24 h) */
  idTokenValiditySeconds?: number;
  /** names without the `custom:` prefix; default `['nickname']` */
  customAttributes?: string[];
  /**
   * default `['email']`: SignUp then requires an email attribute (else InvalidParameterException) and
   * answers with CodeDeliveryDetails. `[]`: no verification codes, SignUp needs no email.
   */
  autoVerifiedAttributes?: string[];
}

export interface StartCognitoLocalOptions {
  /** value of the CODE env var: every confirmation code (default '123456') */
  code?: string;
  /** give up starting after this long (default 15 s) */
  startTimeoutMs?: number;
  /** extra environment for the emulator (e.g. { DEBUG: '1' }); PORT, HOST and CODE are set by the helper */
  env?: Record<string, string>;
}

/** Error thrown by `call`: `code` (and `name`) is the response's `__type`, `status` the HTTP status. */
export class CognitoLocalError extends Error {
  readonly code: string;
  readonly status: number;
  readonly body: unknown;
  constructor(code: string, message: string, status: number, body: unknown) {
    super(`${code}: ${message}`);
    this.name = code;
    this.code = code;
    this.status = status;
    this.body = body;
  }
}

const HOST = '127.0.0.1';
const MAX_LOG = 256 * 1024;

// ---------------------------------------------------------------------------------------------------------
// Process registry: kill whatever is still running when this process goes away.

/** running emulators and their temp dirs */
const live = new Map<ChildProcess, string>();
let handlersInstalled = false;

function killAll(): void {
  for (const [child, dir] of live) {
    try {
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    } catch {
      // already gone
    }
  }
  live.clear();
}

function installExitHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.on('exit', killAll);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const onSignal = (): void => {
      killAll();
      // If nobody else handles this signal, keep its default meaning: terminate.
      if (process.listenerCount(signal) === 1) {
        process.removeListener(signal, onSignal);
        process.kill(process.pid, signal);
      }
    };
    process.on(signal, onSignal);
  }
}

// Preloaded into the emulator: when the IPC channel to the parent closes (the parent died without
// running any handler), remove the temp working dir and exit.
const WATCHDOG = `process.on('disconnect', () => {
  const dir = process.cwd();
  if (require('node:path').basename(dir).startsWith('cognito-local-')) {
    try { require('node:fs').rmSync(dir, { recursive: true, force: true }); } catch {}
  }
  process.exit(0);
});
`;

// ---------------------------------------------------------------------------------------------------------

function resolveBin(): string {
  const require = createRequire(import.meta.url);
  const pkgPath = require.resolve('cognito-local/package.json');
  const pkg = require(pkgPath) as { bin?: string | Record<string, string> };
  const bin =
    typeof pkg.bin === 'string' ? pkg.bin : (pkg.bin?.['cognito-local'] ?? Object.values(pkg.bin ?? {})[0]);
  if (!bin) throw new Error(`cognito-local: no "bin" in ${pkgPath}`);
  return join(dirname(pkgPath), bin);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, HOST, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('could not get a free port'))));
    });
  });
}

function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

function waitForExit(child: ChildProcess): Promise<void> {
  if (exited(child)) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

async function killAndWait(child: ChildProcess): Promise<void> {
  // pid is undefined when spawning failed: there is nothing to kill and no 'exit' will come
  if (child.pid !== undefined && !exited(child)) {
    child.ref(); // keep the event loop alive until we have seen the exit
    child.kill('SIGKILL');
    await waitForExit(child);
  }
  live.delete(child);
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

interface Spawned {
  child: ChildProcess;
  port: number;
  logs: () => string;
}

/** Spawns the emulator on a free port and waits until GET /health answers. Kills it on any failure. */
async function spawnAndWait(
  bin: string,
  dir: string,
  code: string,
  extraEnv: Record<string, string>,
  deadline: number,
): Promise<Spawned> {
  const port = await freePort();
  await writeFile(
    join(dir, '.cognito', 'config.json'),
    `${JSON.stringify(
      {
        // No pool-wide username attributes: createPool decides (the emulator's default is ['email']).
        UserPoolDefaults: { UsernameAttributes: [] },
        TokenConfig: { IssuerDomain: `http://${HOST}:${port}` },
      },
      null,
      2,
    )}\n`,
  );

  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.NODE_OPTIONS; // no inherited loaders / inspector
  delete env.DEBUG;
  delete env.COGNITO_LOCAL_DEVMODE;
  Object.assign(env, { AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE: '1', ...extraEnv });
  Object.assign(env, { PORT: String(port), HOST, CODE: code }); // not overridable: the helper relies on them

  let output = '';
  const append = (chunk: Buffer): void => {
    output += chunk.toString('utf8');
    if (output.length > MAX_LOG) output = output.slice(-MAX_LOG);
  };

  const child = spawn(process.execPath, ['--require', join(dir, 'watchdog.cjs'), bin], {
    cwd: dir,
    env,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  live.set(child, dir);
  installExitHandlers();
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  // A forgotten emulator must not keep this process alive.
  child.unref();
  (child.stdout as { unref?: () => void } | null)?.unref?.();
  (child.stderr as { unref?: () => void } | null)?.unref?.();
  (child.channel as { unref?: () => void } | null | undefined)?.unref?.();
  let spawnError: Error | undefined;
  child.on('error', (err) => {
    spawnError = err;
    append(Buffer.from(`\n[spawn error] ${err.message}\n`));
  });
  child.on('exit', () => live.delete(child));

  try {
    for (;;) {
      if (spawnError) throw new Error(`could not start cognito-local: ${spawnError.message}`);
      if (exited(child)) {
        throw new Error(
          `cognito-local exited during start (code ${child.exitCode}, signal ${child.signalCode}):\n${output}`,
        );
      }
      if (Date.now() > deadline)
        throw new Error(`cognito-local did not answer on port ${port} in time:\n${output}`);
      try {
        const res = await fetch(`http://${HOST}:${port}/health`, { signal: AbortSignal.timeout(1000) });
        await res.body?.cancel();
        if (res.ok) return { child, port, logs: () => output };
      } catch {
        // not listening yet
      }
      await sleep(50);
    }
  } catch (err) {
    await killAndWait(child);
    throw err;
  }
}

export async function startCognitoLocal(options: StartCognitoLocalOptions = {}): Promise<CognitoLocal> {
  const code = options.code ?? '123456';
  const deadline = Date.now() + (options.startTimeoutMs ?? 15_000);
  const bin = resolveBin();
  const dir = await mkdtemp(join(tmpdir(), 'cognito-local-'));

  let spawned: Spawned | undefined;
  try {
    await mkdir(join(dir, '.cognito', 'db'), { recursive: true });
    await writeFile(join(dir, 'watchdog.cjs'), WATCHDOG);
    // The free port may be taken between probing and listening: retry a few times.
    for (let attempt = 1; !spawned; attempt++) {
      try {
        spawned = await spawnAndWait(bin, dir, code, options.env ?? {}, deadline);
      } catch (err) {
        if (attempt >= 3 || !String((err as Error).message).includes('EADDRINUSE')) throw err;
      }
    }
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }

  const { child, port, logs } = spawned;
  const endpoint = `http://${HOST}:${port}/`;

  // biome-ignore lint/suspicious/noExplicitAny: see CognitoLocal.call
  async function call<T = any>(operation: string, body: object): Promise<T> {
    const res = await fetch(endpoint, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-amz-json-1.1',
        'X-Amz-Target': `AWSCognitoIdentityProviderService.${operation}`,
      },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
    const text = await res.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : {};
    } catch {
      // e.g. Express's HTML error page for a body that is not JSON
      throw new CognitoLocalError('UnexpectedResponse', text.slice(0, 200), res.status, text);
    }
    if (!res.ok) {
      const err = (json ?? {}) as { __type?: unknown; message?: unknown };
      // cognito-local answers unexpected exceptions with 500 and `{}` (no __type)
      const type = typeof err.__type === 'string' ? err.__type : `HTTP${res.status}`;
      throw new CognitoLocalError(type, String(err.message ?? ''), res.status, json);
    }
    return json as T;
  }

  async function createPool(
    poolOptions: CreatePoolOptions = {},
  ): Promise<{ userPoolId: string; clientId: string }> {
    const name = poolOptions.name ?? 'test-pool';
    const autoVerified = poolOptions.autoVerifiedAttributes ?? ['email'];
    const pool = await call<{ UserPool: { Id: string } }>('CreateUserPool', {
      PoolName: name,
      ...(poolOptions.usernameAttributes ? { UsernameAttributes: poolOptions.usernameAttributes } : {}),
      // cognito-local rejects SignUp without a deliverable attribute whenever AutoVerifiedAttributes is
      // present, even as []: omit it entirely for "no verification".
      ...(autoVerified.length > 0 ? { AutoVerifiedAttributes: autoVerified } : {}),
      MfaConfiguration: poolOptions.mfa ?? 'OFF',
    });
    const userPoolId = pool.UserPool.Id;
    if (poolOptions.mfa && poolOptions.mfa !== 'OFF') {
      await call('SetUserPoolMfaConfig', {
        UserPoolId: userPoolId,
        MfaConfiguration: poolOptions.mfa,
        SoftwareTokenMfaConfiguration: { Enabled: true },
      });
    }
    const custom = poolOptions.customAttributes ?? ['nickname'];
    if (custom.length > 0) {
      await call('AddCustomAttributes', {
        UserPoolId: userPoolId,
        CustomAttributes: custom.map((n) => ({ Name: n, AttributeDataType: 'String', Mutable: true })),
      });
    }
    const accessSeconds =
      poolOptions.accessTokenValiditySeconds ??
      (poolOptions.accessTokenValidityMinutes !== undefined
        ? poolOptions.accessTokenValidityMinutes * 60
        : undefined);
    const idSeconds = poolOptions.idTokenValiditySeconds ?? accessSeconds;
    const client = await call<{ UserPoolClient: { ClientId: string } }>('CreateUserPoolClient', {
      UserPoolId: userPoolId,
      ClientName: `${name}-client`,
      GenerateSecret: false,
      EnableTokenRevocation: true,
      ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      ...(accessSeconds !== undefined ? { AccessTokenValidity: accessSeconds } : {}),
      ...(idSeconds !== undefined ? { IdTokenValidity: idSeconds } : {}),
      TokenValidityUnits: { AccessToken: 'seconds', IdToken: 'seconds', RefreshToken: 'days' },
    });
    return { userPoolId, clientId: client.UserPoolClient.ClientId };
  }

  async function adminCreateUser(
    userPoolId: string,
    username: string,
    temporaryPassword: string,
    attributes: Record<string, string> = {},
  ): Promise<void> {
    await call('AdminCreateUser', {
      UserPoolId: userPoolId,
      Username: username,
      TemporaryPassword: temporaryPassword,
      MessageAction: 'SUPPRESS',
      UserAttributes: Object.entries(attributes).map(([Name, Value]) => ({ Name, Value })),
    });
  }

  let stopping: Promise<void> | undefined;
  function stop(): Promise<void> {
    stopping ??= (async () => {
      await killAndWait(child);
      await rm(dir, { recursive: true, force: true });
    })();
    return stopping;
  }

  return { endpoint, port, dir, code, call, createPool, adminCreateUser, logs, stop };
}

// ---------------------------------------------------------------------------------------------------------
// Small utilities for tests that drive the emulator directly.

/** Decodes a JWT's payload without verifying it. */
// biome-ignore lint/suspicious/noExplicitAny: claims are read loosely in tests
export function decodeJwt(token: string): Record<string, any> {
  const payload = token.split('.')[1];
  if (!payload) throw new Error('decodeJwt: not a JWT');
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
}

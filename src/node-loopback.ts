// Sign-in from a CLI through the system browser (RFC 8252 loopback redirect). Node only: imported
// statically by src/node.ts alone, so it is part of the Node entry (not a lazily loaded feature,
// hence outside src/oauth/) and may import the entry's runtime; the hosted-UI feature itself
// (src/oauth/) is still loaded on use, through import().
import { spawn } from 'node:child_process';
import { webcrypto } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { CognitoClient } from './client.js';
import { CognitoError, invalidParameter, toCognitoError } from './errors.js';
import { requireNumber, requireOptions } from './internal/validate.js';
import type { LoopbackSignInOptions, OAuthProvider } from './oauth/types.js';
import type { SignInResult } from './types.js';
import { findCore } from './user-pool-client.js';

const LOOPBACK = '127.0.0.1';
const DEFAULT_TIMEOUT_MS = 5 * 60 * 1000;

function page(title: string, text: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body><h1>${title}</h1><p>${text}</p></body></html>`;
}

/** Opens `url` in the system browser: open (macOS), start (Windows), xdg-open (others). */
export function openSystemBrowser(url: string): Promise<void> {
  const [command, args] =
    process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? // cmd's start: the empty title, and & escaped so the query is not cut into commands.
          ['cmd', ['/c', 'start', '""', url.replace(/&/g, '^&')]]
        : ['xdg-open', [url]];
  return new Promise((resolve, reject) => {
    const child = spawn(command, args as string[], { stdio: 'ignore', detached: true });
    child.once('error', (cause) =>
      reject(
        new CognitoError('UnsupportedEnvironmentException', `Could not start ${command}; pass open(url)`, {
          cause,
          retryable: false,
        }),
      ),
    );
    child.once('spawn', () => {
      child.unref();
      resolve();
    });
  });
}

/** The registered callback to listen for: `http://localhost:<port>/<path>` (or 127.0.0.1). */
function pickRedirect(
  registered: readonly string[],
  port: number | undefined,
  path: string | undefined,
): URL {
  const loopback = registered
    .map((entry) => new URL(entry))
    .filter((url) => url.protocol === 'http:' && (url.hostname === 'localhost' || url.hostname === LOOPBACK));
  const match = loopback.find(
    (url) =>
      (port === undefined ? url.port !== '' : url.port === String(port)) &&
      (path === undefined || url.pathname === path),
  );
  if (!match) {
    throw invalidParameter(
      'oauth.redirectSignIn has no http://localhost:<port>/<path> entry for this port and path (Cognito needs the exact callback URL registered)',
    );
  }
  return match;
}

/**
 * Signs in from a CLI: listens on 127.0.0.1, opens the hosted UI in the system browser (or
 * `open`), completes the callback and answers the browser with a "you can close this tab" page.
 * The listener is closed afterwards, whatever happened.
 *
 * @example
 * ```ts
 * import { CognitoClient, fileStorage, signInWithLoopback } from 'cognito-kit/node';
 *
 * const client = new CognitoClient({ userPoolId, clientId, storage: fileStorage('~/.my-cli/session.json'),
 *   oauth: { domain: 'auth.example.com', redirectSignIn: ['http://localhost:8765/callback'] } });
 * const result = await signInWithLoopback(client, { provider: 'Google' });
 * ```
 * @throws {@link CognitoError} `TimeoutError` (no callback within `timeoutMs`), `InvalidParameterException`
 * (no loopback callback registered, bad options), the callback's `error` (`access_denied`, …),
 * `InvalidIdTokenException`, `NetworkError`, `UnsupportedEnvironmentException` (no browser to start).
 */
export async function signInWithLoopback(
  client: CognitoClient,
  options: LoopbackSignInOptions = {},
): Promise<SignInResult> {
  try {
    return await run(client, options);
  } catch (error) {
    throw toCognitoError(error);
  }
}

async function run(client: CognitoClient, options: LoopbackSignInOptions): Promise<SignInResult> {
  const core = findCore(client);
  if (!core) throw invalidParameter('client must be a CognitoClient');
  // The hosted-UI feature, loaded on use as the facade loads it.
  const { getSignInUrl, handleRedirect, hasPending, provideWebCrypto, requireOAuth, takePending } =
    await import('./oauth/index.js');
  const o = requireOptions(options, 'options', ['port', 'path', 'provider', 'open', 'timeoutMs']);
  const port = o.port === undefined ? undefined : requireNumber(o.port, 'port', 1, 65_535);
  if (o.path !== undefined && (typeof o.path !== 'string' || !o.path.startsWith('/'))) {
    throw invalidParameter('path must start with "/"');
  }
  if (o.open !== undefined && typeof o.open !== 'function') throw invalidParameter('open must be a function');
  const timeoutMs =
    o.timeoutMs === undefined ? DEFAULT_TIMEOUT_MS : requireNumber(o.timeoutMs, 'timeoutMs', 1);
  const open = (o.open as LoopbackSignInOptions['open']) ?? openSystemBrowser;
  const redirect = pickRedirect(requireOAuth(core).redirectSignIn, port, o.path as string | undefined);
  if (!(globalThis as { crypto?: unknown }).crypto) provideWebCrypto(webcrypto as unknown as Crypto);

  let settle: { resolve: (r: SignInResult) => void; reject: (e: unknown) => void } | undefined;
  const done = new Promise<SignInResult>((resolve, reject) => {
    settle = { resolve, reject };
  });
  // The callback may fail while open() is still running: awaited below, never unhandled.
  done.catch(() => undefined);
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', redirect.origin);
    if (req.method !== 'GET' || url.pathname !== redirect.pathname) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
      return;
    }
    const state = url.searchParams.get('state') ?? '';
    void hasPending(core.store, state, core.now()).then(async (ours) => {
      if (!ours) {
        // Not our sign-in (a stale tab, another program): refused, and we keep waiting for ours.
        res
          .writeHead(400, { 'content-type': 'text/html; charset=utf-8' })
          .end(page('Sign-in refused', 'This answer does not belong to the sign-in in progress.'));
        return;
      }
      try {
        const result = await handleRedirect(core, `${redirect.origin}${redirect.pathname}${url.search}`);
        res
          .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
          .end(page('Signed in', 'You can close this tab and return to the terminal.'));
        if (result) settle?.resolve(result);
      } catch (error) {
        res
          .writeHead(400, { 'content-type': 'text/html; charset=utf-8' })
          .end(page('Sign-in failed', 'Return to the terminal for details.'));
        settle?.reject(error);
      }
    });
  });
  const listenPort = Number(redirect.port);
  await new Promise<void>((resolve, reject) => {
    server.once('error', (cause) =>
      reject(new CognitoError('NetworkError', `Cannot listen on ${LOOPBACK}:${listenPort}`, { cause })),
    );
    server.listen(listenPort, LOOPBACK, () => resolve());
  });
  let timer: ReturnType<typeof setTimeout> | undefined;
  let state: string | null = null;
  try {
    const signInUrl = await getSignInUrl(core, {
      redirectUri: redirect.href,
      ...(o.provider !== undefined ? { provider: o.provider as OAuthProvider } : {}),
    });
    state = new URL(signInUrl).searchParams.get('state');
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new CognitoError('TimeoutError', `No sign-in answer within ${timeoutMs} ms`)),
        timeoutMs,
      );
    });
    await Promise.race([Promise.resolve(open(signInUrl)), timeout]);
    return await Promise.race([done, timeout]);
  } catch (error) {
    // Forget the sign-in that did not finish: its state must not be accepted later.
    if (state) await takePending(core.store, state, core.now()).catch(() => undefined);
    throw error;
  } finally {
    clearTimeout(timer);
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

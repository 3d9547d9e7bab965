// How a fake (the user pool's FakeCognito, the FakeIdentityPool) is reached: through nock in
// process, or over real HTTP on 127.0.0.1. Both fakes answer through one `dispatch`; this is the
// glue around it that they share.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import nock from 'nock';
import type { Outcome } from './fake-cognito.js';

/** A fake's transport-neutral entry point: the X-Amz-Target, the raw body, lower-cased headers. */
export type Dispatch = (target: string, body: unknown, headers: Record<string, string>) => Promise<Outcome>;

/**
 * What Node's fetch (undici) rejects with when the connection drops. nock would otherwise pass
 * the raw error through, which real fetch never does.
 */
export function networkError(): TypeError {
  return new TypeError('fetch failed', {
    cause: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }),
  });
}

/** Request headers as one lower-cased name → one string (repeated values joined, as HTTP does). */
export function normalizeHeaders(
  headers: Record<string, string | string[] | undefined>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

/** Installs a persistent nock interceptor for POST / on `endpoint`; X-Amz-Target picks the operation. */
export function interceptPosts(endpoint: string, dispatch: Dispatch): nock.Scope {
  return nock(new URL(endpoint).origin)
    .persist()
    .post('/')
    .reply(async function (this: nock.ReplyFnContext, _uri, body) {
      const headers = normalizeHeaders(this.req.headers);
      const outcome = await dispatch(headers['x-amz-target'] ?? '', body, headers);
      if (outcome.kind === 'networkError') throw networkError();
      const { status, body: responseBody, headers: responseHeaders } = outcome.response;
      return [status, responseBody, responseHeaders] as const;
    });
}

/** Listens on 127.0.0.1 (a free port); `close` ends open connections too. */
export async function listenOnLoopback(server: Server): Promise<{ url: string; close(): Promise<void> }> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

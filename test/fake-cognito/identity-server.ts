import { createServer } from 'node:http';
import type { FakeIdentityPool } from './identity-pool.js';
import { listenOnLoopback, normalizeHeaders } from './transport.js';

/** Serves a {@link FakeIdentityPool} over real HTTP on 127.0.0.1 (a free port), with CORS for browsers. */
export async function startFakeIdentityServer(
  pool: FakeIdentityPool,
): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    res.setHeader('access-control-allow-origin', '*');
    res.setHeader('access-control-allow-methods', 'POST, OPTIONS');
    res.setHeader(
      'access-control-allow-headers',
      req.headers['access-control-request-headers'] ?? 'content-type,x-amz-target,x-amz-user-agent',
    );
    if (req.method === 'OPTIONS') return void res.writeHead(204).end();
    if (req.method !== 'POST') return void res.writeHead(405, { allow: 'POST, OPTIONS' }).end();
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const headers = normalizeHeaders(req.headers);
      pool
        .dispatch(headers['x-amz-target'] ?? '', Buffer.concat(chunks).toString('utf8'), headers)
        .then((outcome) => {
          if (outcome.kind === 'networkError') return void req.socket.destroy();
          res.writeHead(outcome.response.status, outcome.response.headers).end(outcome.response.body);
        })
        .catch((error: unknown) => {
          pool.internalErrors.push(error);
          if (!res.headersSent) res.writeHead(500);
          res.end();
        });
    });
  });
  return listenOnLoopback(server);
}

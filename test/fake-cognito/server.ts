import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { FakeCognito } from './fake-cognito.js';
import { listenOnLoopback, normalizeHeaders } from './transport.js';

const ALLOWED_HEADERS = 'content-type,x-amz-target,x-amz-user-agent,cache-control';
const EXPOSED_HEADERS = 'x-amzn-requestid,x-amzn-errortype,x-amzn-errormessage,date';

function cors(req: IncomingMessage, res: ServerResponse): void {
  res.setHeader('access-control-allow-origin', '*');
  res.setHeader('access-control-allow-methods', 'POST, GET, OPTIONS');
  // Reflect what the browser asks for, so Amplify's amz-sdk-* headers pass as well.
  const requested = req.headers['access-control-request-headers'];
  res.setHeader(
    'access-control-allow-headers',
    requested ? `${ALLOWED_HEADERS},${requested}` : ALLOWED_HEADERS,
  );
  res.setHeader('access-control-expose-headers', EXPOSED_HEADERS);
  res.setHeader('access-control-max-age', '600');
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** What the server answered to one request (for tests that read the raw JSON). */
export interface ServedResponse {
  target: string;
  status: number;
  body: string;
}

async function route(
  fake: FakeCognito,
  req: IncomingMessage,
  res: ServerResponse,
  served?: (response: ServedResponse) => void,
): Promise<void> {
  cors(req, res);
  if (req.method === 'OPTIONS') {
    res.writeHead(204).end();
    return;
  }
  const path = new URL(req.url ?? '/', 'http://localhost').pathname;
  if (req.method === 'GET' && path === `/${fake.userPoolId}/.well-known/jwks.json`) {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(fake.jwks()));
    return;
  }
  if (req.method !== 'POST') {
    res.writeHead(405, { allow: 'POST, OPTIONS' }).end();
    return;
  }
  const headers = normalizeHeaders(req.headers);
  const outcome = await fake.dispatch(headers['x-amz-target'] ?? '', await readBody(req), headers);
  if (outcome.kind === 'networkError') {
    req.socket.destroy();
    return;
  }
  const { status, headers: responseHeaders, body } = outcome.response;
  served?.({ target: headers['x-amz-target'] ?? '', status, body });
  res.writeHead(status, responseHeaders).end(body);
}

/**
 * Serves `fake` over real HTTP on 127.0.0.1 (a free port), with CORS for browser tests.
 * A client configured with `endpoint: url` talks to it like to Cognito. `served` sees every answer
 * as sent (the raw JSON, before any client reads it).
 */
export async function startFakeCognitoServer(
  fake: FakeCognito,
  served?: (response: ServedResponse) => void,
): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    route(fake, req, res, served).catch((error: unknown) => {
      fake.internalErrors.push(error);
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  return listenOnLoopback(server);
}

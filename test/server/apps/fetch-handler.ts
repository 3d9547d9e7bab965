// The Fetch Request/Response recipe of docs/ssr-cookies.md (Next.js route handlers and
// middleware, Remix, SvelteKit, Hono, workers), and the adapter that serves it under node:http.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import {
  CognitoClient,
  type CognitoClientOptions,
  type RequestCookieStorageOptions,
  requestCookieStorage,
} from '../../../src/server.js';

/** What the handler needs: the pool, cookie attributes, and how to verify an ID token. */
export interface HandlerConfig {
  client: Omit<CognitoClientOptions, 'storage'>;
  cookies?: Omit<RequestCookieStorageOptions, 'cookies' | 'setCookie'>;
  verify: (idToken: string) => Promise<Record<string, unknown>>;
}

/** A Fetch handler: GET /me, POST /sign-in, POST /sign-out. */
export function createFetchHandler(config: HandlerConfig): (request: Request) => Promise<Response> {
  return async (request) => {
    const headers = new Headers({ 'content-type': 'application/json' });
    const client = new CognitoClient({
      ...config.client,
      storage: requestCookieStorage({
        cookies: request.headers.get('cookie'),
        setCookie: (header) => headers.append('Set-Cookie', header),
        ...config.cookies,
      }),
    });
    const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers });
    const { pathname } = new URL(request.url);
    try {
      if (request.method === 'POST' && pathname === '/sign-in') {
        const { username, password } = (await request.json()) as { username: string; password: string };
        const result = await client.signIn({ username, password });
        return json(result.isSignedIn ? 200 : 409, { signedIn: result.isSignedIn });
      }
      if (request.method === 'GET' && pathname === '/me') {
        const session = await client.getSession();
        if (!session) return json(401, { signedIn: false });
        // Trust a claim only from a verified token.
        const claims = await config.verify(session.idToken);
        return json(200, { signedIn: true, sub: claims.sub });
      }
      if (request.method === 'POST' && pathname === '/sign-out') {
        await client.signOut();
        return new Response(null, { status: 204, headers });
      }
      return json(404, { error: 'not found' });
    } catch (error) {
      return json(400, { error: (error as { code?: string }).code ?? 'InternalError' });
    }
  };
}

async function toRequest(req: IncomingMessage): Promise<Request> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (typeof value === 'string') headers.set(name, value);
    else if (Array.isArray(value)) for (const item of value) headers.append(name, item);
  }
  const body = chunks.length > 0 ? Buffer.concat(chunks) : undefined;
  return new Request(`http://${req.headers.host}${req.url}`, {
    method: req.method ?? 'GET',
    headers,
    ...(body ? { body } : {}),
  });
}

async function send(response: Response, res: ServerResponse): Promise<void> {
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') headers[name] = value;
  });
  // Each Set-Cookie stays its own header line.
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) headers['set-cookie'] = cookies;
  res.writeHead(response.status, headers).end(Buffer.from(await response.arrayBuffer()));
}

/** Serves a Fetch handler with node:http on 127.0.0.1 and a free port. */
export async function serveFetchHandler(
  handler: (request: Request) => Promise<Response>,
): Promise<{ url: string; server: Server; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    toRequest(req)
      .then(handler)
      .then((response) => send(response, res))
      .catch(() => res.writeHead(500).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

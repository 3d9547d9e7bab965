// A stand-in for Cognito's hosted UI: panva's oidc-provider (a certified OpenID provider) on
// 127.0.0.1, configured with Cognito's routes (/oauth2/authorize, /oauth2/token, /oauth2/revoke,
// /oauth2/userInfo, /logout), Cognito-shaped claims (cognito:username, token_use, username,
// client_id, origin_jti), PKCE required, short lifetimes, refresh tokens that are not rotated, and
// a login page of our own. What differs from Cognito is written down in docs/hosted-ui-notes.md.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { type ClientLike, type KoaContextWithOIDC } from 'oidc-provider';

export const STANDIN_POOL_ID = 'us-east-1_HostedUi1';
export const STANDIN_CLIENT_ID = 'hostedui-client-1';

/** One request the stand-in received, as far as the tests care. */
export interface StandInRequest {
  method: string;
  path: string;
  /** Form body of a POST, parsed. */
  form: Record<string, string>;
  query: Record<string, string>;
  /** The Authorization header, where one was sent (client_secret_basic). */
  authorization?: string;
}

export interface HostedUiOptions {
  redirectUris: string[];
  postLogoutRedirectUris?: string[];
  /** Access and ID token lifetime in seconds. */
  tokenTtlSeconds?: number;
  /** Fixed port (the loopback test needs none; the browser test uses 0). */
  port?: number;
  /** A confidential app client: the token and revocation endpoints require client_secret_basic. */
  clientSecret?: string;
}

export interface HostedUi {
  /** 'http://127.0.0.1:<port>' (no trailing slash): the hosted UI's "domain". */
  url: string;
  /** The issuer the ID tokens carry. */
  issuer: string;
  clientId: string;
  userPoolId: string;
  requests: StandInRequest[];
  /** Requests to one path, e.g. '/oauth2/token'. */
  requestsTo(path: string): StandInRequest[];
  /** Users the login page accepts: username → sub. */
  users: Map<string, string>;
  /** Refresh tokens revoked through /oauth2/revoke. */
  revoked: string[];
  /** `oauth` option pointing a client at the stand-in. */
  oauthOptions(overrides?: Record<string, unknown>): Record<string, unknown>;
  /** Sets the answer of the next token request(s) to an error (e.g. 'invalid_grant'). */
  failTokenRequests(error: string | undefined): void;
  /** Holds every token request until the returned function is called. */
  holdTokenRequests(): () => void;
  /** POSTs `form` (plus this client's client_id) to the token endpoint, as a third party would. */
  postToken(form: Record<string, string>): Promise<Response>;
  close(): Promise<void>;
}

const COGNITO_SCOPES = ['openid', 'email', 'phone', 'profile', 'aws.cognito.signin.user.admin'];

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
    });
    req.on('end', () => resolve(body));
    req.on('error', reject);
  });
}

function loginPage(uid: string, error = ''): string {
  return `<!doctype html><html><head><title>Sign in (stand-in hosted UI)</title></head><body>
<h1>Sign in</h1>${error ? `<p id="error">${error}</p>` : ''}
<form method="post" action="/interaction/${uid}/login">
<label>Username <input id="username" name="username" autocomplete="off"></label>
<label>Password <input id="password" name="password" type="password"></label>
<button id="signin" type="submit">Sign in</button>
</form></body></html>`;
}

/** Starts the stand-in on 127.0.0.1. */
export async function startHostedUi(options: HostedUiOptions): Promise<HostedUi> {
  const requests: StandInRequest[] = [];
  const users = new Map<string, string>([['ann', '7d1f1c2e-0000-4000-8000-0000000000a1']]);
  const revoked: string[] = [];
  const ttl = options.tokenTtlSeconds ?? 300;
  let tokenError: string | undefined;
  let hold: Promise<void> | undefined;

  const server: Server = createServer();
  await new Promise<void>((ok) => server.listen(options.port ?? 0, '127.0.0.1', () => ok()));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  const issuer = `${url}/${STANDIN_POOL_ID}`;

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: STANDIN_CLIENT_ID,
        ...(options.clientSecret
          ? { client_secret: options.clientSecret, token_endpoint_auth_method: 'client_secret_basic' }
          : { token_endpoint_auth_method: 'none' }),
        redirect_uris: options.redirectUris,
        post_logout_redirect_uris: options.postLogoutRedirectUris ?? [],
        grant_types: ['authorization_code', 'refresh_token', 'implicit'],
        response_types: ['code', 'id_token token'],
        // Cognito answers redirects to http://localhost callbacks; oidc-provider needs this for them.
        application_type: 'native',
      },
    ],
    routes: {
      authorization: '/oauth2/authorize',
      token: '/oauth2/token',
      revocation: '/oauth2/revoke',
      userinfo: '/oauth2/userInfo',
      jwks: '/.well-known/jwks.json',
      end_session: '/oidc-logout',
    },
    scopes: COGNITO_SCOPES,
    claims: {
      openid: ['sub', 'cognito:username', 'token_use'],
      email: ['email', 'email_verified'],
      phone: ['phone_number', 'phone_number_verified'],
      profile: ['name'],
    },
    conformIdTokenClaims: false,
    responseTypes: ['code', 'id_token token'],
    pkce: { required: () => true },
    features: {
      devInteractions: { enabled: false },
      revocation: { enabled: true, allowedPolicy: async () => true },
      userinfo: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => `${url}/userpool`,
        useGrantedResource: () => true,
        getResourceServerInfo: () => ({
          scope: COGNITO_SCOPES.join(' '),
          audience: STANDIN_CLIENT_ID,
          accessTokenFormat: 'jwt',
          accessTokenTTL: ttl,
        }),
      },
    },
    ttl: {
      AccessToken: ttl,
      IdToken: ttl,
      AuthorizationCode: 60,
      RefreshToken: 86_400,
      Interaction: 600,
      Session: 3600,
      Grant: 86_400,
    },
    // Cognito issues a refresh token on every code exchange and does not rotate it (rotation off).
    issueRefreshToken: (_ctx: unknown, client: ClientLike) => client.grantTypeAllowed('refresh_token'),
    rotateRefreshToken: false,
    // The claims Cognito puts in its access tokens.
    extraTokenClaims: async (_ctx: unknown, token: unknown) => {
      const accountId = (token as { accountId?: string }).accountId;
      const username = [...users].find(([, sub]) => sub === accountId)?.[0];
      return {
        token_use: 'access',
        client_id: STANDIN_CLIENT_ID,
        username,
        origin_jti: (token as { grantId?: string }).grantId,
      };
    },
    findAccount: (_ctx: unknown, sub: string) => {
      const username = [...users].find(([, id]) => id === sub)?.[0];
      if (!username) return undefined;
      return {
        accountId: sub,
        claims: () => ({
          sub,
          'cognito:username': username,
          token_use: 'id',
          email: `${username}@example.com`,
          email_verified: true,
        }),
      };
    },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    cookies: { keys: ['stand-in-cookie-key'] },
  });
  provider.on('server_error', (_ctx: KoaContextWithOIDC, error: Error) => {
    process.stderr.write(`hosted-ui stand-in: ${error.stack ?? error.message}\n`);
  });
  const callback = provider.callback();

  async function interaction(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const uid = path.split('/')[2] ?? '';
    if (req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(loginPage(uid));
      return;
    }
    const form = Object.fromEntries(new URLSearchParams(await readBody(req)));
    const sub = users.get(form.username ?? '');
    if (!sub) {
      res
        .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
        .end(loginPage(uid, 'Incorrect username or password.'));
      return;
    }
    const details = await provider.interactionDetails(req, res);
    const grant = new provider.Grant({ accountId: sub, clientId: STANDIN_CLIENT_ID });
    const scope = String(details.params.scope ?? '');
    grant.addOIDCScope(scope);
    grant.addResourceScope(`${url}/userpool`, scope);
    const grantId = await grant.save();
    await provider.interactionFinished(
      req,
      res,
      { login: { accountId: sub }, consent: { grantId } },
      { mergeWithLastSubmission: false },
    );
  }

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const parsed = new URL(req.url ?? '/', url);
    const record: StandInRequest = {
      method: req.method ?? 'GET',
      path: parsed.pathname,
      form: {},
      query: Object.fromEntries(parsed.searchParams),
      ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
    };
    requests.push(record);
    const run = async () => {
      if (parsed.pathname === '/oauth2/authorize' && parsed.searchParams.get('response_type') === 'token') {
        // Cognito's implicit grant answers response_type=token with an ID token too (openid scope);
        // oidc-provider calls that 'id_token token'.
        parsed.searchParams.set('response_type', 'id_token token');
        req.url = `${parsed.pathname}${parsed.search}`;
      }
      if (parsed.pathname.startsWith('/interaction/')) return interaction(req, res, parsed.pathname);
      if (parsed.pathname === '/logout') {
        // Cognito's /logout: client_id and a logout_uri registered as a sign-out URL; ends the
        // hosted UI's cookie session and redirects there.
        const logoutUri = parsed.searchParams.get('logout_uri') ?? '';
        const known =
          parsed.searchParams.get('client_id') === STANDIN_CLIENT_ID &&
          (options.postLogoutRedirectUris ?? []).includes(logoutUri);
        if (!known) {
          res.writeHead(400, { 'content-type': 'text/plain' }).end('Required String parameter is invalid');
          return;
        }
        res.writeHead(302, { location: logoutUri, 'set-cookie': ['_session=; Max-Age=0; Path=/'] }).end();
        return;
      }
      if (
        req.method === 'POST' &&
        (parsed.pathname === '/oauth2/token' || parsed.pathname === '/oauth2/revoke')
      ) {
        const raw = await readBody(req);
        record.form = Object.fromEntries(new URLSearchParams(raw));
        if (parsed.pathname === '/oauth2/revoke' && record.form.token) revoked.push(record.form.token);
        if (parsed.pathname === '/oauth2/token') {
          if (hold) await hold;
          if (tokenError) {
            res
              .writeHead(400, { 'content-type': 'application/json' })
              .end(JSON.stringify({ error: tokenError }));
            return;
          }
        }
        // Hand the body on to oidc-provider, which reads the stream itself.
        const { Readable } = await import('node:stream');
        const replay = Object.assign(Readable.from([Buffer.from(raw)]), {
          headers: req.headers,
          method: req.method,
          url: req.url,
          httpVersion: req.httpVersion,
          socket: req.socket,
          connection: req.socket,
        });
        return callback(replay as unknown as IncomingMessage, res);
      }
      return callback(req, res);
    };
    run().catch((error: unknown) => {
      process.stderr.write(`hosted-ui stand-in: ${String(error)}\n`);
      if (!res.headersSent) res.writeHead(500).end();
    });
  });

  return {
    url,
    issuer,
    clientId: STANDIN_CLIENT_ID,
    userPoolId: STANDIN_POOL_ID,
    requests,
    requestsTo: (path) => requests.filter((request) => request.path === path),
    postToken: (form) =>
      fetch(`${url}/oauth2/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ client_id: STANDIN_CLIENT_ID, ...form }),
      }),
    users,
    revoked,
    oauthOptions: (overrides = {}) => ({
      domain: url,
      redirectSignIn: options.redirectUris,
      redirectSignOut: options.postLogoutRedirectUris ?? [],
      issuer,
      endpoints: { jwks: `${url}/.well-known/jwks.json` },
      ...overrides,
    }),
    failTokenRequests: (error) => {
      tokenError = error;
    },
    holdTokenRequests: () => {
      let release = () => {};
      hold = new Promise<void>((resolve) => {
        release = () => {
          hold = undefined;
          resolve();
        };
      });
      return release;
    },
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}

/** A cookie jar for driving the stand-in's login page with fetch (Node tests without a browser). */
export async function signInThroughLoginPage(authorizeUrl: string, username = 'ann'): Promise<string> {
  const cookies = new Map<string, string>();
  const remember = (response: Response) => {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const index = pair?.indexOf('=') ?? -1;
      if (pair && index > 0) cookies.set(pair.slice(0, index), pair.slice(index + 1));
    }
  };
  const header = () => [...cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  let next = authorizeUrl;
  let method = 'GET';
  let body: string | undefined;
  for (let hop = 0; hop < 10; hop++) {
    const response = await fetch(next, {
      method,
      redirect: 'manual',
      headers: {
        cookie: header(),
        ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      ...(body ? { body } : {}),
    });
    remember(response);
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location) {
      const target = new URL(location, next).href;
      // Leaving the stand-in: that is the redirect to the app's callback.
      if (new URL(target).origin !== new URL(authorizeUrl).origin) return target;
      next = target;
      method = 'GET';
      body = undefined;
      continue;
    }
    const text = await response.text();
    if (response.status === 200 && next.includes('/interaction/') && method === 'GET') {
      next = new URL(`${new URL(next).pathname}/login`, next).href;
      method = 'POST';
      body = new URLSearchParams({ username, password: 'any' }).toString();
      continue;
    }
    throw new Error(`stand-in login stopped at ${response.status}: ${text.slice(0, 200)}`);
  }
  throw new Error('stand-in login: too many redirects');
}

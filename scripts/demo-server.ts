/**
 * `npm run demo:server`: a server-side session, step by step. An Express server (the recipe of
 * docs/ssr-cookies.md) keeps each user's session in HttpOnly cookies through
 * `requestCookieStorage`, with one CognitoClient per request, against an in-process fake Cognito
 * served over HTTP on 127.0.0.1 whose app client has a secret. A fetch-based "browser" with a
 * cookie jar signs in, reads its verified `sub`, waits until the tokens are due (they live 6 s),
 * gets them refreshed by the server, and signs out. Nothing secret is printed: cookies appear by
 * name and attributes, tokens as lengths. A failed step ends the run with exit code 1.
 */
import { randomBytes } from 'node:crypto';
import { FakeCognito, startFakeCognitoServer } from '../test/fake-cognito/index.js';
import { BrowserJar } from '../test/helpers/cookie-jar.js';
import { createExpressApp } from '../test/server/apps/express-app.js';
import { idTokenVerifier, listen } from '../test/server/support.js';
import { bold, check, dim, green } from './lib/steps.js';

const TOKEN_SECONDS = 6;

let stepNumber = 0;
async function step<T>(title: string, run: () => Promise<T>): Promise<T> {
  stepNumber += 1;
  const started = performance.now();
  const value = await run();
  console.log(
    `${green('✓')} ${bold(`${stepNumber}.`)} ${title} ${dim(`(${Math.round(performance.now() - started)} ms)`)}`,
  );
  return value;
}
const detail = (text: string) => console.log(`     ${dim(text)}`);

/** A Set-Cookie header without its value: name and attributes. */
function describeCookie(header: string): string {
  const [pair = '', ...attributes] = header.split('; ');
  const at = pair.indexOf('=');
  const value = pair.slice(at + 1);
  return `${decodeURIComponent(pair.slice(0, at))} = ${value ? `<${value.length} chars>` : '<empty>'}; ${attributes.join('; ')}`;
}

async function main(): Promise<void> {
  const secret = randomBytes(24).toString('base64url');
  const fake = new FakeCognito({
    accessTokenTtlSeconds: TOKEN_SECONDS,
    idTokenTtlSeconds: TOKEN_SECONDS,
    clientSecret: secret,
  });
  const cognito = await startFakeCognitoServer(fake);
  const password = `Pw-${randomBytes(9).toString('base64url')}`;
  const { sub } = fake.addUser({ username: 'ann', password });
  const app = createExpressApp({
    client: {
      userPoolId: fake.userPoolId,
      clientId: fake.clientId,
      endpoint: cognito.url,
      clientSecret: secret,
      authFlow: 'USER_PASSWORD_AUTH',
    },
    // Plain http on 127.0.0.1 for the demo; keep the default (Secure) in production.
    cookies: { httpOnly: true, secure: false },
    verify: idTokenVerifier(fake),
  });
  const server = await listen(app);
  const jar = new BrowserJar(server.url);
  try {
    console.log(
      bold(`Express on ${server.url}, fake Cognito on ${cognito.url} (app client with a secret)\n`),
    );
    const signIn = await step(
      'POST /api/sign-in: the server signs in and answers with Set-Cookie',
      async () => {
        const response = await jar.fetch(`${server.url}/api/sign-in`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username: 'ann', password }),
        });
        check(response.status === 200, `sign-in answered ${response.status}`);
        return response;
      },
    );
    for (const header of signIn.headers.getSetCookie()) detail(describeCookie(header));
    const initiate = fake.requests.find((r) => r.target === 'InitiateAuth');
    detail(
      `InitiateAuth carried SECRET_HASH: ${typeof initiate?.body.AuthParameters?.SECRET_HASH === 'string'}`,
    );
    detail(`document.cookie would show: ${JSON.stringify(jar.documentCookie())} (HttpOnly)`);

    const before = fake.count();
    const me = await step(
      'GET /api/me: session from the cookies, token verified, no Cognito request',
      async () => {
        const body = (await (await jar.fetch(`${server.url}/api/me`)).json()) as {
          sub: string;
          accessToken: string;
        };
        check(body.sub === sub, 'wrong sub');
        check(fake.count() === before, 'a Cognito request was sent');
        return body;
      },
    );
    detail(`sub ${me.sub}; Cognito requests: ${fake.count() - before}`);

    await step(
      `wait until the tokens are due (they live ${TOKEN_SECONDS} s; refresh at half-life)`,
      () => new Promise((resolve) => setTimeout(resolve, (TOKEN_SECONDS / 2) * 1000 + 300)),
    );
    const refreshed = await step(
      'GET /api/me: the server refreshes once and sends the new cookies',
      async () => {
        const response = await jar.fetch(`${server.url}/api/me`);
        const body = (await response.json()) as { sub: string; accessToken: string };
        check(fake.refreshCount() === 1, `expected one refresh, saw ${fake.refreshCount()}`);
        check(body.accessToken !== me.accessToken, 'the access token did not change');
        return response;
      },
    );
    detail(
      `${refreshed.headers.getSetCookie().length} Set-Cookie headers; GetTokensFromRefreshToken carried ClientSecret: ${
        fake.requests.find((r) => r.target === 'GetTokensFromRefreshToken')?.body.ClientSecret === secret
      }`,
    );

    const out = await step('POST /api/sign-out: cookies expired, refresh token revoked', async () => {
      const response = await jar.fetch(`${server.url}/api/sign-out`, { method: 'POST' });
      check(response.status === 204, `sign-out answered ${response.status}`);
      check(jar.names().length === 0, 'cookies left in the jar');
      return response;
    });
    for (const header of out.headers.getSetCookie().slice(0, 2)) detail(describeCookie(header));
    detail(
      `… ${out.headers.getSetCookie().length} in all; RevokeToken requests: ${fake.count('RevokeToken')}`,
    );

    await step('GET /api/me: signed out (401)', async () => {
      const response = await jar.fetch(`${server.url}/api/me`);
      check(response.status === 401, `expected 401, got ${response.status}`);
    });
    console.log(green('\nDone.'));
  } finally {
    await server.close();
    await cognito.close();
  }
}

main().catch((error: unknown) => {
  console.error(`\nFailed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});

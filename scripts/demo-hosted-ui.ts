/**
 * `npm run demo:hosted-ui`: the hosted UI (managed login) flow through cognito-kit, step by step,
 * on an embedded stand-in: panva's oidc-provider configured with Cognito's routes and claims
 * (test/helpers/hosted-ui.ts; how it differs from Cognito: docs/hosted-ui-notes.md).
 *
 * Sign-in URL with PKCE, the user on the login page, the callback (state, code exchange, nonce /
 * aud / iss checks), a replayed callback refused without a request, 50 concurrent getSession calls
 * once the tokens are due (one token-endpoint request), sign-out through /oauth2/revoke and /logout.
 * A failed step ends the run with exit code 1. Nothing secret is printed.
 */
import { CognitoClient, isCognitoError, memoryStorage, type Session } from '../src/index.js';
import { signInThroughLoginPage, startHostedUi } from '../test/helpers/hosted-ui.js';
import { check, green, StepPrinter } from './lib/steps.js';

const BURST = 50;
const TOKEN_SECONDS = 6;
const CALLBACK = 'http://localhost:5173/callback';
const SIGNED_OUT = 'http://localhost:5173/';

const { step } = new StepPrinter({ labelWidth: 44, msWidth: 6 });

const summary = (s: Session) =>
  `user ${s.username}, sub ${s.userSub.slice(0, 8)}…, expires in ${((s.expiresAt - Date.now()) / 1000).toFixed(1)} s`;

async function main(): Promise<void> {
  const ui = await step('start the hosted-UI stand-in', async () => {
    const started = await startHostedUi({
      redirectUris: [CALLBACK],
      postLogoutRedirectUris: [SIGNED_OUT],
      tokenTtlSeconds: TOKEN_SECONDS,
    });
    return [started, `oidc-provider on ${started.url} (Cognito routes, ${TOKEN_SECONDS} s tokens)`];
  });
  try {
    const client = new CognitoClient({
      userPoolId: ui.userPoolId,
      clientId: ui.clientId,
      storage: memoryStorage(),
      endpoint: 'http://127.0.0.1:9/',
      oauth: {
        domain: ui.url,
        redirectSignIn: [CALLBACK],
        redirectSignOut: [SIGNED_OUT],
        issuer: ui.issuer,
        endpoints: { jwks: `${ui.url}/.well-known/jwks.json` },
      },
    });
    const url = await step('getSignInUrl (code + PKCE S256)', async () => {
      const signInUrl = await client.getSignInUrl({ customState: '/settings' });
      const params = [...new URL(signInUrl).searchParams.keys()];
      return [signInUrl, `parameters: ${params.join(', ')}`];
    });
    const callback = await step('user signs in on the hosted UI', async () => {
      const answer = await signInThroughLoginPage(url, 'ann');
      return [answer, `redirected to ${new URL(answer).pathname} with code and state`];
    });
    const session = await step('handleRedirect (exchange + checks)', async () => {
      const result = await client.handleRedirect(callback);
      check(result?.isSignedIn, 'signed in');
      check(result.customState === '/settings', 'customState round trip');
      check(ui.requestsTo('/oauth2/token').length === 1, 'one code exchange');
      return [result.session, `${summary(result.session)}; customState ${result.customState}`];
    });
    await step('replay the callback', async () => {
      const error = await client.handleRedirect(callback).then(
        () => undefined,
        (e: unknown) => e,
      );
      check(isCognitoError(error, 'InvalidStateException'), 'replay refused');
      check(ui.requestsTo('/oauth2/token').length === 1, 'nothing sent');
      return [undefined, 'InvalidStateException, no request sent'];
    });
    await step('getSession (tokens valid)', async () => {
      check((await client.getSession()) === session, 'same session');
      return [undefined, 'no request'];
    });
    await step('wait until the tokens are due', async () => {
      const due = session.expiresAt - (TOKEN_SECONDS / 2) * 1000 + 200;
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - Date.now())));
      return [undefined, 'inside the refresh margin (half the lifetime)'];
    });
    const refreshed = await step(`${BURST} concurrent getSession`, async () => {
      const before = ui.requestsTo('/oauth2/token').length;
      const all = await Promise.all(Array.from({ length: BURST }, () => client.getSession()));
      const sent = ui.requestsTo('/oauth2/token').length - before;
      check(sent === 1, 'exactly one refresh request');
      check(new Set(all).size === 1 && all[0], 'one session for all');
      return [all[0], `${sent} request to /oauth2/token (grant_type=refresh_token); ${summary(all[0])}`];
    });
    await step('signOut (revoke, then /logout)', async () => {
      let opened = '';
      await client.signOut({
        open: (logout) => {
          opened = logout;
        },
      });
      check(ui.revoked.includes(refreshed.refreshToken), 'refresh token revoked');
      const answer = await fetch(opened, { redirect: 'manual' });
      check(answer.headers.get('location') === SIGNED_OUT, '/logout redirects to the sign-out URL');
      return [undefined, `revoked; ${new URL(opened).pathname} → ${answer.status} ${SIGNED_OUT}`];
    });
    await step('the revoked refresh token is dead', async () => {
      const answer = await ui.postToken({
        grant_type: 'refresh_token',
        refresh_token: refreshed.refreshToken,
      });
      const body = (await answer.json()) as { error?: string };
      check(body.error === 'invalid_grant', 'invalid_grant');
      check((await client.getSession()) === null, 'signed out');
      return [undefined, `token endpoint: ${answer.status} ${body.error}; getSession() → null`];
    });
  } finally {
    await ui.close();
  }
}

main().then(
  () => console.log(green('\nThe hosted-UI flow works end to end.')),
  () => {
    process.exitCode = 1;
  },
);

/**
 * `npm run demo`: one user's whole life through cognito-kit, step by step, with timings.
 *
 * By default it starts an embedded cognito-local emulator (no AWS account, nothing to install
 * beyond `npm ci`), creates a user pool whose tokens live 5 seconds, and walks a user through
 * sign-up, confirmation, sign-in, getSession, a burst of 50 concurrent getSession calls once the
 * tokens are due (exactly one refresh request goes out), an attribute update that shows up in the
 * ID token, and sign-out. The emulator is stopped whatever happens; a failed step ends the run with
 * exit code 1.
 *
 * Against a real user pool instead:
 *
 *   COGNITO_USER_POOL_ID=us-east-1_AbCdEf123 COGNITO_CLIENT_ID=1example23456789 \
 *   COGNITO_DEMO_EMAIL=you@example.com npm run demo
 *
 *   COGNITO_USER_POOL_ID   the pool (its region is taken from the id)
 *   COGNITO_CLIENT_ID      a public app client (no secret) allowing SRP and refresh-token auth
 *   COGNITO_DEMO_EMAIL     where Cognito sends the confirmation code (typed in on stdin)
 *   COGNITO_DEMO_USERNAME  optional; default a unique `cognito-kit-demo-…` name. Pools that sign in
 *                          with email need an email here (e.g. you+demo1@example.com)
 *   COGNITO_DEMO_ATTRIBUTE optional; the attribute to update, default `custom:nickname` (the pool
 *                          must declare it, mutable and readable by the app client)
 *   COGNITO_AUTH_FLOW      optional; default USER_SRP_AUTH
 *   COGNITO_ENDPOINT       optional; a proxy or another emulator
 *   COGNITO_DEMO_KEEP_USER=1  keep the demo user (by default it is deleted at the end)
 *
 * Nothing secret is printed: passwords are generated and never shown, tokens appear as lengths
 * and the `sub`.
 */
import { randomBytes } from 'node:crypto';
import { type AuthFlow, CognitoClient, isCognitoError, type Session } from '../src/index.js';
import { type CognitoLocal, startCognitoLocal } from './lib/cognito-local.js';
import { countCognitoRequests } from './lib/count-requests.js';
import { ask } from './lib/prompt.js';
import { bold, check, describeError, dim, green, red, StepPrinter } from './lib/steps.js';

const BURST = 50;
/** Access/ID token lifetime on the emulator; with the default 60 s margin, capped at half: due after 2.5 s. */
const EMULATOR_TOKEN_SECONDS = 5;
/** Lifetimes up to this long are waited out for the burst; longer ones use forceRefresh instead. */
const MAX_WAIT_SECONDS = 60;

const realPool = Boolean(process.env.COGNITO_USER_POOL_ID && process.env.COGNITO_CLIENT_ID);
const steps = new StepPrinter({ labelWidth: 38, msWidth: 6 });
const { step } = steps;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const seconds = (ms: number) =>
  ms < 120_000
    ? `${(ms / 1000).toFixed(1)} s`
    : ms < 7_200_000
      ? `${Math.round(ms / 60_000)} min`
      : `${(ms / 3_600_000).toFixed(1)} h`;
const short = (sub: string) => `${sub.slice(0, 8)}…`;

/** A password that satisfies Cognito's default policy; generated, never printed. */
function newPassword(): string {
  return `Aa1!${randomBytes(12).toString('base64url')}`;
}

function tokenSummary(session: Session): string {
  return (
    `sub ${short(session.userSub)}, tokens: access ${session.accessToken.length} / ` +
    `id ${session.idToken.length} / refresh ${session.refreshToken.length} chars, ` +
    `expire in ${seconds(session.expiresAt - Date.now())}`
  );
}

async function main(): Promise<void> {
  const started = performance.now();
  let emulator: CognitoLocal | undefined;
  const counter = countCognitoRequests();
  let client: CognitoClient | undefined;
  let failure: unknown;
  try {
    // ---------------------------------------------------------------- setup
    let userPoolId: string;
    let clientId: string;
    let endpoint: string | undefined;
    let code: string | undefined;
    let authFlow: AuthFlow;
    if (realPool) {
      userPoolId = process.env.COGNITO_USER_POOL_ID ?? '';
      clientId = process.env.COGNITO_CLIENT_ID ?? '';
      endpoint = process.env.COGNITO_ENDPOINT || undefined;
      authFlow = (process.env.COGNITO_AUTH_FLOW as AuthFlow | undefined) || 'USER_SRP_AUTH';
      console.log(bold(`cognito-kit demo against the user pool ${userPoolId} (${authFlow})\n`));
    } else {
      console.log(
        bold(
          'cognito-kit demo against an embedded cognito-local emulator (USER_PASSWORD_AUTH: it has no SRP)\n',
        ),
      );
      const cl = await step('start cognito-local', async () => {
        const instance = await startCognitoLocal();
        return [instance, `listening on ${instance.endpoint}`];
      });
      emulator = cl;
      ({ userPoolId, clientId } = await step('create user pool + app client', async () => {
        const ids = await cl.createPool({
          name: 'cognito-kit-demo',
          accessTokenValiditySeconds: EMULATOR_TOKEN_SECONDS,
        });
        return [
          ids,
          `pool ${ids.userPoolId}, access/ID tokens live ${EMULATOR_TOKEN_SECONDS} s, custom:nickname declared`,
        ];
      }));
      endpoint = cl.endpoint;
      code = cl.code;
      authFlow = 'USER_PASSWORD_AUTH';
    }

    const c = new CognitoClient({
      userPoolId,
      clientId,
      authFlow,
      ...(endpoint ? { endpoint } : {}),
      ...(realPool ? {} : { requestTimeoutMs: 5000 }),
    });
    client = c;
    const events: string[] = [];
    c.on('signedIn', () => events.push('signedIn'));
    c.on('tokenRefreshed', () => events.push('tokenRefreshed'));
    c.on('sessionExpired', () => events.push('sessionExpired'));
    c.on('signedOut', ({ reason }) => events.push(`signedOut(${reason})`));
    const eventCount = (name: string) => events.filter((e) => e === name).length;

    const unique = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
    const username = realPool ? process.env.COGNITO_DEMO_USERNAME || `cognito-kit-demo-${unique}` : 'ann';
    const email = realPool ? (process.env.COGNITO_DEMO_EMAIL ?? '') : 'ann@example.com';
    const attribute = (realPool && process.env.COGNITO_DEMO_ATTRIBUTE) || 'custom:nickname';
    const nickname = `nick-${unique.slice(-6)}`;
    const password = newPassword();

    // ---------------------------------------------------------------- registration
    const signUp = await step('signUp', async () => {
      const result = await c.signUp({
        username,
        password,
        attributes: email ? { email } : {},
      });
      const delivery = result.codeDelivery
        ? `code sent by ${result.codeDelivery.deliveryMedium} to ${result.codeDelivery.destination}`
        : 'no code sent';
      return [
        result,
        `user "${username}", sub ${short(result.userSub)}, userConfirmed: ${result.userConfirmed}, ${delivery}`,
      ];
    });

    if (!signUp.userConfirmed) {
      steps.current = 'confirmSignUp';
      const confirmationCode =
        code ?? (await ask(`   Confirmation code sent to ${signUp.codeDelivery?.destination ?? 'you'}: `));
      await step('confirmSignUp', async () => {
        await c.confirmSignUp({ username, code: confirmationCode });
        return [undefined, code ? `confirmed with the emulator's fixed code` : 'confirmed'];
      });
    }

    // ---------------------------------------------------------------- sign-in
    let session = await step('signIn', async () => {
      counter.reset();
      let result = await c.signIn({ username, password });
      while (!result.isSignedIn) {
        const next = result.nextStep;
        if (
          realPool &&
          (next.signInStep === 'CONFIRM_SIGN_IN_WITH_TOTP_CODE' ||
            next.signInStep === 'CONFIRM_SIGN_IN_WITH_SMS_CODE')
        ) {
          result = await c.confirmSignIn({ challengeResponse: await ask(`   ${next.signInStep} code: `) });
        } else {
          throw new Error(`sign-in stopped at ${next.signInStep}, which this demo does not handle`);
        }
      }
      check(eventCount('signedIn') === 1, 'one signedIn event');
      const requests = counter.requests.map((r) => r.operation).join(' + ');
      return [result.session, `${authFlow} (${requests}); ${tokenSummary(result.session)}`];
    });

    await step('getSession (tokens valid)', async () => {
      counter.reset();
      const current = await c.getSession();
      check(current, 'getSession returns the session');
      check(
        counter.requests.length === 0,
        `no request while the tokens are valid (sent ${counter.requests.length})`,
      );
      const user = await c.getCurrentUser();
      return [
        current,
        `0 requests; same session: ${current === session}; getCurrentUser: "${user?.username}", sub ${short(current.userSub)}`,
      ];
    });

    // ---------------------------------------------------------------- the refresh burst
    const lifetimeSeconds = Math.min(
      session.idTokenClaims.exp - session.idTokenClaims.iat,
      session.accessTokenClaims.exp - session.accessTokenClaims.iat,
    );
    const waitForDue = lifetimeSeconds <= MAX_WAIT_SECONDS;
    if (waitForDue) {
      await step('wait until the tokens are due', async () => {
        // getSession refreshes refreshMarginSeconds (default 60, at most half the lifetime) before expiry.
        const margin = Math.min(60, lifetimeSeconds / 2);
        const dueAt = session.expiresAt - margin * 1000;
        const wait = Math.max(0, dueAt - Date.now()) + 100;
        await sleep(wait);
        return [
          undefined,
          `tokens live ${lifetimeSeconds} s; refresh margin min(60 s, half the lifetime) = ${margin} s; waited ${seconds(wait)}`,
        ];
      });
    }
    const burstName = waitForDue
      ? `${BURST} × getSession() at once`
      : `${BURST} × getSession({ forceRefresh })`;
    session = await step(burstName, async () => {
      counter.reset();
      const refreshedBefore = eventCount('tokenRefreshed');
      const results = await Promise.all(
        Array.from({ length: BURST }, () => c.getSession(waitForDue ? {} : { forceRefresh: true })),
      );
      const tokens = new Set(results.map((s) => s?.accessToken));
      const refreshed = results[0];
      check(refreshed && results.every(Boolean), 'every caller got a session');
      check(counter.refreshes() === 1, `exactly one refresh request (sent ${counter.refreshes()})`);
      check(tokens.size === 1, 'all callers got the same tokens');
      check(refreshed.accessToken !== session.accessToken, 'the tokens are new');
      const refreshEvents = eventCount('tokenRefreshed') - refreshedBefore;
      check(refreshEvents === 1, `one tokenRefreshed event (got ${refreshEvents})`);
      const flow =
        counter.requests.find((r) => r.operation === 'InitiateAuth')?.authFlow ?? 'GetTokensFromRefreshToken';
      // The client asks for GetTokensFromRefreshToken first; the emulator does not implement it.
      const probes = counter.requests.filter((r) => r.unsupported).length;
      const probe = probes
        ? ` after ${probes} GetTokensFromRefreshToken the emulator does not implement`
        : '';
      return [
        refreshed,
        `${BURST} callers → ${counter.refreshes()} refresh request (${flow}${probe}), ${refreshEvents} tokenRefreshed event, ` +
          `${tokens.size} new token set shared by all; ${seconds(refreshed.expiresAt - Date.now())} left`,
      ];
    });

    // ---------------------------------------------------------------- attributes
    await step(`updateAttributes(${attribute})`, async () => {
      counter.reset();
      const result = await c.updateAttributes({ [attribute]: nickname });
      const outcome = result[attribute];
      check(outcome?.isUpdated, `${attribute} updated at once`);
      return [
        undefined,
        `${attribute} = "${nickname}" → isUpdated: ${outcome.isUpdated} (${counter.requests.map((r) => r.operation).join(', ')})`,
      ];
    });

    session = await step('getSession (fresh claims)', async () => {
      counter.reset();
      const current = await c.getSession();
      check(current, 'still signed in');
      const claim = current.idTokenClaims[attribute];
      check(
        claim === nickname,
        `the ID token shows ${attribute} = "${nickname}" (got ${JSON.stringify(claim)})`,
      );
      return [
        current,
        `${counter.refreshes()} refresh request (claims were stale); ID token now says ${attribute}: "${String(claim)}"`,
      ];
    });

    // ---------------------------------------------------------------- sign-out
    await step('signOut', async () => {
      counter.reset();
      const before = events.length;
      await c.signOut();
      const after = await c.getSession();
      const user = await c.getCurrentUser();
      check(after === null && user === null, 'nobody is signed in afterwards');
      const revoked = counter.count('RevokeToken');
      const why = session.accessTokenClaims.origin_jti
        ? `refresh token revoked (${revoked} RevokeToken)`
        : `no origin_jti in the access token, so nothing to revoke (${revoked} requests)`;
      return [
        undefined,
        `${events.slice(before).join(', ')}; getSession → null, getCurrentUser → null; ${why}`,
      ];
    });

    if (realPool && process.env.COGNITO_DEMO_KEEP_USER !== '1') {
      await step('clean up: delete the demo user', async () => {
        const result = await c.signIn({ username, password });
        if (!result.isSignedIn) return [undefined, `skipped: sign-in needs ${result.nextStep.signInStep}`];
        await c.deleteUser();
        return [undefined, `user "${username}" deleted`];
      });
    }

    const total = Math.round(performance.now() - started);
    console.log(`\n${green('Done')} in ${seconds(total)}. Events, in order: ${events.join(', ')}.`);
  } catch (error) {
    failure = error;
  } finally {
    client?.dispose();
    counter.restore();
    if (emulator) {
      await emulator.stop().then(
        () => console.log(dim('cognito-local stopped.')),
        (error: unknown) => {
          failure ??= new Error(`could not stop cognito-local: ${describeError(error)}`);
        },
      );
    }
  }
  if (failure !== undefined) {
    process.exitCode = 1;
    console.error(`\n${red('Demo failed')} at step "${steps.current}": ${describeError(failure)}`);
    if (isCognitoError(failure) && failure.code === 'Unsupported') {
      console.error('(cognito-local does not support that operation; see docs/cognito-local-notes.md)');
    }
    if (emulator && process.env.DEMO_EMULATOR_LOG === '1') {
      console.error(
        `\ncognito-local log (last 40 lines):\n${emulator.logs().split('\n').slice(-40).join('\n')}`,
      );
    }
  }
}

await main();

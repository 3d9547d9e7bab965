/**
 * Sign in from Node and keep the session in a file, like a CLI tool would: the next run (or another
 * process) finds the session in the file and does not sign in again; cognito-kit refreshes the tokens
 * when they are due, once even when several processes ask at the same time.
 *
 *   npx tsx examples/node/sign-in.ts            # sign in, or reuse the session in the token file
 *   npx tsx examples/node/sign-in.ts --sign-out # sign out and empty the token file
 *   npx tsx examples/node/sign-in.ts --local    # no AWS needed: starts the cognito-local emulator
 *
 * Environment (for a real user pool):
 *   COGNITO_USER_POOL_ID  the user pool, e.g. us-east-1_AbCdEf123 (the region is taken from it)
 *   COGNITO_CLIENT_ID     a public app client (no secret)
 *   COGNITO_USERNAME      who signs in (only needed when the token file holds no session)
 *   COGNITO_PASSWORD      their password (idem)
 *   COGNITO_TOKEN_FILE    optional; default ~/.config/cognito-kit-example/tokens.json (mode 0600)
 *   COGNITO_AUTH_FLOW     optional; USER_SRP_AUTH (default) or USER_PASSWORD_AUTH
 *   COGNITO_ENDPOINT      optional; a proxy or emulator URL instead of Cognito's regional endpoint
 * An MFA code, if the user has MFA, is asked for on the terminal.
 *
 * Without COGNITO_USER_POOL_ID (or with --local) the example starts the cognito-local emulator,
 * creates a pool and a user (COGNITO_USERNAME, default "example-user", a generated password), uses a
 * temporary token file, and removes everything when done.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CognitoLocal, startCognitoLocal } from '../../scripts/lib/cognito-local.js';
import { ask } from '../../scripts/lib/prompt.js';
// In your app: import { CognitoClient, fileStorage, ... } from 'cognito-kit/node';
import {
  type AuthFlow,
  CognitoClient,
  type CognitoClientOptions,
  fileStorage,
  isCognitoError,
  type Session,
  type SignInResult,
} from '../../src/node.js';

const args = new Set(process.argv.slice(2));
const env = process.env;
const local = args.has('--local') || !env.COGNITO_USER_POOL_ID;

/** Answers MFA steps on the terminal until signed in; other steps are left to a real app. */
async function finishSignIn(client: CognitoClient, first: SignInResult): Promise<Session> {
  let result = first;
  while (!result.isSignedIn) {
    const step = result.nextStep;
    switch (step.signInStep) {
      case 'CONFIRM_SIGN_IN_WITH_TOTP_CODE':
        result = await client.confirmSignIn({
          challengeResponse: await ask('Code from your authenticator app: '),
        });
        break;
      case 'CONFIRM_SIGN_IN_WITH_SMS_CODE':
        result = await client.confirmSignIn({
          challengeResponse: await ask(`Code sent to ${step.codeDelivery.destination}: `),
        });
        break;
      default:
        throw new Error(`Sign-in needs ${step.signInStep}, which this example does not handle.`);
    }
  }
  return result.session;
}

function show(session: Session): void {
  console.log(`  username:   ${session.username}`);
  console.log(`  sub:        ${session.userSub}`);
  if (typeof session.idTokenClaims.email === 'string')
    console.log(`  email:      ${session.idTokenClaims.email}`);
  console.log(`  expires at: ${new Date(session.expiresAt).toISOString()} (refreshed automatically)`);
  // Use session.accessToken as `Authorization: Bearer …` for your API; never log it.
}

async function main(): Promise<void> {
  let emulator: CognitoLocal | undefined;
  let tempDir: string | undefined;
  try {
    let options: Pick<CognitoClientOptions, 'userPoolId' | 'clientId' | 'endpoint' | 'authFlow'>;
    let tokenFile: string;
    let username = env.COGNITO_USERNAME;
    let password = env.COGNITO_PASSWORD;

    if (local) {
      console.log('No COGNITO_USER_POOL_ID: starting the cognito-local emulator…');
      emulator = await startCognitoLocal();
      const { userPoolId, clientId } = await emulator.createPool({ name: 'example' });
      // The emulator has no SRP: sign in with USER_PASSWORD_AUTH.
      options = { userPoolId, clientId, endpoint: emulator.endpoint, authFlow: 'USER_PASSWORD_AUTH' };
      username ??= 'example-user';
      password = `Aa1!${randomBytes(12).toString('base64url')}`;
      const setup = new CognitoClient(options);
      await setup.signUp({ username, password, attributes: { email: `${username}@example.com` } });
      await setup.confirmSignUp({ username, code: emulator.code });
      console.log(`Created pool ${userPoolId} and user "${username}".`);
      tempDir = await mkdtemp(join(tmpdir(), 'cognito-kit-example-'));
      tokenFile = join(tempDir, 'tokens.json');
    } else {
      options = {
        userPoolId: env.COGNITO_USER_POOL_ID ?? '',
        clientId: env.COGNITO_CLIENT_ID ?? '',
        ...(env.COGNITO_ENDPOINT ? { endpoint: env.COGNITO_ENDPOINT } : {}),
        ...(env.COGNITO_AUTH_FLOW ? { authFlow: env.COGNITO_AUTH_FLOW as AuthFlow } : {}),
      };
      tokenFile = env.COGNITO_TOKEN_FILE ?? join(homedir(), '.config', 'cognito-kit-example', 'tokens.json');
    }

    // The whole point: the session lives in this file, shared by every run and process.
    const client = new CognitoClient({ ...options, storage: fileStorage(tokenFile) });
    client.on('tokenRefreshed', () => console.log('(tokens refreshed)'));
    client.on('signedOut', ({ reason }) => console.log(`(signed out: ${reason})`));

    if (args.has('--sign-out')) {
      await client.signOut();
      console.log(`Signed out; ${tokenFile} holds no session any more.`);
      return;
    }

    let session = await client.getSession();
    if (session) {
      console.log(`Already signed in (session read from ${tokenFile}):`);
    } else {
      if (!username || !password) throw new Error('Set COGNITO_USERNAME and COGNITO_PASSWORD to sign in.');
      session = await finishSignIn(client, await client.signIn({ username, password }));
      console.log(
        `Signed in; session stored in ${tokenFile} (mode ${((await stat(tokenFile)).mode & 0o777).toString(8)}):`,
      );
    }
    show(session);

    // What the next run of this script sees: a new client on the same file, no sign-in needed.
    const nextRun = new CognitoClient({ ...options, storage: fileStorage(tokenFile) });
    const user = await nextRun.getCurrentUser();
    const again = await nextRun.getSession();
    console.log(
      `A new client on the same file finds "${user?.username}" signed in ` +
        `(same tokens: ${again?.accessToken === session.accessToken}).`,
    );
  } finally {
    if (emulator) await emulator.stop();
    if (tempDir) await rm(tempDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(isCognitoError(error) ? `${error.code}: ${error.message}` : String(error));
  process.exitCode = 1;
});

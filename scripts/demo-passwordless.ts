/**
 * `npm run demo:passwordless`: passwordless sign-up and sign-in through cognito-kit, step by step,
 * against the in-process fake Cognito served over HTTP on 127.0.0.1 (codes are read from its
 * outbox, as a user would read their email). Every step after the first runs on a NEW client on
 * the same storage, as after a page reload. A failed step ends the run with exit code 1.
 *
 * Nothing secret is printed: codes and tokens appear as lengths.
 */
import { CognitoClient, isCognitoError, memoryStorage, type SignInResult } from '../src/index.js';
import { FakeCognito, startFakeCognitoServer } from '../test/fake-cognito/index.js';
import { bold, check, StepPrinter } from './lib/steps.js';

const { step } = new StepPrinter({ labelWidth: 46, msWidth: 5 });

const describeStep = (result: SignInResult) =>
  result.isSignedIn ? `DONE, signed in as ${result.session.username}` : result.nextStep.signInStep;

async function main(): Promise<void> {
  const fake = new FakeCognito({ userPoolId: 'us-east-1_Passwordless1', clientId: 'democlient1' });
  const server = await startFakeCognitoServer(fake);
  const storage = memoryStorage();
  // A new client for every step: what a page reload (or the next request of a server) gives.
  const reload = () =>
    new CognitoClient({
      userPoolId: fake.userPoolId,
      clientId: fake.clientId,
      endpoint: server.url,
      storage,
      authFlow: 'USER_AUTH',
    });
  const requests = () => `${fake.count()} requests so far`;
  const username = 'pat@example.com';
  console.log(bold(`cognito-kit passwordless demo against the fake Cognito at ${server.url}\n`));
  try {
    await step('signUp without a password, autoSignIn', async () => {
      const result = await reload().signUp({ username, attributes: { email: username }, autoSignIn: true });
      return [result, `code sent to ${result.codeDelivery?.destination} (${requests()})`];
    });
    await step('confirmSignUp after a reload → signed in', async () => {
      const confirmed = await reload().confirmSignUp({ username, code: fake.lastCode(username, 'signUp') });
      check(confirmed?.signInResult.isSignedIn, 'signed in by the ConfirmSignUp session');
      return [confirmed, `${describeStep(confirmed.signInResult)}, no password asked (${requests()})`];
    });
    await step('signOut', async () => [await reload().signOut(), 'the stored session is gone']);
    const first = await step('signIn (USER_AUTH, no preference)', async () => {
      const result = await reload().signIn({ username });
      check(
        !result.isSignedIn && result.nextStep.signInStep === 'CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION',
        'selection',
      );
      return [result, `${describeStep(result)}: ${result.nextStep.availableChallenges.join(', ')}`];
    });
    check(!first.isSignedIn, 'a step');
    await step("confirmSignIn 'EMAIL_OTP' after a reload", async () => {
      const result = await reload().confirmSignIn({ challengeResponse: 'EMAIL_OTP' });
      check(
        !result.isSignedIn && result.nextStep.signInStep === 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE',
        'email code',
      );
      return [result, `${describeStep(result)}: code sent to ${result.nextStep.codeDelivery.destination}`];
    });
    const code = fake.lastCode(username, 'emailOtp');
    await step('a wrong code: the step stays', async () => {
      const error = await reload()
        .confirmSignIn({ challengeResponse: code === '000000' ? '111111' : '000000' })
        .catch((reason: unknown) => reason);
      check(isCognitoError(error, 'CodeMismatchException'), 'CodeMismatchException');
      return [error, `${error.code}; the challenge is still pending`];
    });
    await step('the code from the email after a reload', async () => {
      const result = await reload().confirmSignIn({ challengeResponse: code });
      check(result.isSignedIn, 'signed in');
      return [result, `${describeStep(result)} (code of ${code.length} digits, ${requests()})`];
    });
    await step('listPasskeys', async () => {
      const { passkeys } = await reload().listPasskeys();
      return [passkeys, `${passkeys.length} passkeys registered`];
    });
    await step('registerPasskey (Node has no WebAuthn)', async () => {
      const before = fake.count();
      const error = await reload()
        .registerPasskey()
        .catch((reason: unknown) => reason);
      check(isCognitoError(error, 'WebAuthnNotSupportedException') && fake.count() === before, 'no request');
      return [error, `${error.code}, before any request: offer passkeys in a browser`];
    });
    await step('signOut', async () => [await reload().signOut(), `done (${requests()})`]);
  } finally {
    await server.close();
  }
}

main().catch(() => {
  process.exitCode = 1;
});

// The bundle-size app for passwordless sign-in: USER_AUTH with an email code (or the first-factor
// selection), passkey sign-in, registration and listing, and sign-up with sign-in after the
// confirmation. Its entry chunk should match kit-app's; the passwordless code arrives as a lazy
// chunk on the first USER_AUTH sign-in, the WebAuthn ceremony as another on the first passkey use.
import { CognitoClient } from '../../src/index.js';

const client = new CognitoClient({
  userPoolId: 'us-east-1_AbCdEf123',
  clientId: '1example23456789',
  authFlow: 'USER_AUTH',
});

export async function register(email: string): Promise<boolean> {
  const { userConfirmed } = await client.signUp({ username: email, attributes: { email }, autoSignIn: true });
  return userConfirmed;
}

export async function confirm(email: string, code: string): Promise<boolean> {
  const confirmed = await client.confirmSignUp({ username: email, code });
  return confirmed?.signInResult.isSignedIn ?? false;
}

export async function sendCode(email: string): Promise<string> {
  const result = await client.signIn({ username: email, preferredChallenge: 'EMAIL_OTP' });
  if (!result.isSignedIn && result.nextStep.signInStep === 'CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION') {
    return (await client.confirmSignIn({ challengeResponse: 'EMAIL_OTP' })).nextStep.signInStep;
  }
  return result.nextStep.signInStep;
}

export async function enterCode(code: string): Promise<boolean> {
  return (await client.confirmSignIn({ challengeResponse: code })).isSignedIn;
}

export async function signInWithPasskey(email: string): Promise<boolean> {
  return (await client.signIn({ username: email, preferredChallenge: 'WEB_AUTHN' })).isSignedIn;
}

export async function addPasskey(): Promise<number> {
  await client.registerPasskey();
  return (await client.listPasskeys()).passkeys.length;
}

export async function logOut(): Promise<void> {
  await client.signOut();
}

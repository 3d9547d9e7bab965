// The bundle-size app on cognito-kit: sign up, confirm, sign in, get the session, update an
// attribute, sign out. bench/bundle.ts resolves this import to the published build of the package
// (tsup output of the current src), as `import … from 'cognito-kit'` would in a user's app.
import { CognitoClient } from '../../src/index.js';

const client = new CognitoClient({ userPoolId: 'us-east-1_AbCdEf123', clientId: '1example23456789' });

export async function register(username: string, password: string, email: string): Promise<boolean> {
  const { userConfirmed } = await client.signUp({ username, password, attributes: { email } });
  return userConfirmed;
}

export async function confirm(username: string, code: string): Promise<void> {
  await client.confirmSignUp({ username, code });
}

export async function logIn(username: string, password: string): Promise<string | undefined> {
  const result = await client.signIn({ username, password });
  return result.isSignedIn ? result.session.username : result.nextStep.signInStep;
}

export async function accessToken(): Promise<string | null> {
  const session = await client.getSession();
  return session?.accessToken ?? null;
}

export async function rename(name: string): Promise<boolean> {
  const result = await client.updateAttributes({ name });
  return result.name?.isUpdated ?? false;
}

export async function logOut(): Promise<void> {
  await client.signOut();
}

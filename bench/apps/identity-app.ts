// The bundle-size app for identity pools: kit-app's sign-in and session, plus AWS credentials for
// the signed-in user (or a guest) handed to an AWS SDK v3 client. The SDK client itself is left out
// (the app would bundle it anyway); what is measured is what cognito-kit adds.
import { CognitoClient } from '../../src/index.js';

const client = new CognitoClient({
  userPoolId: 'us-east-1_AbCdEf123',
  clientId: '1example23456789',
  identityPoolId: 'us-east-1:1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d',
  allowGuestAccess: true,
});

export async function logIn(username: string, password: string): Promise<string | undefined> {
  const result = await client.signIn({ username, password });
  return result.isSignedIn ? result.session.username : result.nextStep.signInStep;
}

export async function accessToken(): Promise<string | null> {
  const session = await client.getSession();
  return session?.accessToken ?? null;
}

/** What `new S3Client({ credentials })` takes: called by the SDK whenever it needs credentials. */
export const credentials = () => client.getAwsCredentials();

export async function identityId(): Promise<string> {
  return client.getIdentityId();
}

export async function logOut(): Promise<void> {
  await client.signOut();
}

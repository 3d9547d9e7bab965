// The bundle-size app of the hosted UI: the kit app's session handling plus sign-in with Google
// through the hosted UI, the callback (completed by getSession) and sign-out through /logout.
// bench/bundle.ts resolves this import to the published build, as `import … from 'cognito-kit'`.
import { CognitoClient } from '../../src/index.js';

const client = new CognitoClient({
  userPoolId: 'us-east-1_AbCdEf123',
  clientId: '1example23456789',
  oauth: {
    domain: 'auth.example.com',
    redirectSignIn: ['https://app.example.com/callback'],
    redirectSignOut: ['https://app.example.com/'],
  },
});

export function signInWithGoogle(): Promise<void> {
  return client.signInWithRedirect({ provider: 'Google', customState: location.pathname });
}

export async function accessToken(): Promise<string | null> {
  const session = await client.getSession();
  return session?.accessToken ?? null;
}

export function logOut(): Promise<void> {
  return client.signOut();
}

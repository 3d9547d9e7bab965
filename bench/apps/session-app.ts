// The bundle-size app for session state: the small app (bench/apps/kit-app.ts) plus what a UI adds
// with onSessionChange and the cross-tab events (sign in, follow the session, sign out).
// bench/bundle.ts resolves this import to the published build of the package.
import { CognitoClient, type Session } from '../../src/index.js';

const client = new CognitoClient({
  userPoolId: 'us-east-1_AbCdEf123',
  clientId: '1example23456789',
  autoRefresh: true,
});

export function follow(render: (session: Session | null) => void): () => void {
  return client.onSessionChange(render);
}

export function onSignOut(show: () => void): () => void {
  return client.on('signedOut', show);
}

export async function logIn(username: string, password: string): Promise<string | undefined> {
  const result = await client.signIn({ username, password });
  return result.isSignedIn ? result.session.username : result.nextStep.signInStep;
}

export async function logOut(): Promise<void> {
  await client.signOut();
}

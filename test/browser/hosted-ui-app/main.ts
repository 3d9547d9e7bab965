// A page that uses the hosted UI the way an app would: every page (the callback page too) only
// calls getSession(); sign-in and sign-out go through the hosted UI. Settings come from
// /config.json at run time (no bundler define).
import { CognitoClient, type Session } from 'cognito-kit';

interface Config {
  userPoolId: string;
  clientId: string;
  oauth: { domain: string; redirectSignIn: string[]; redirectSignOut: string[]; issuer: string };
}

declare global {
  interface Window {
    hostedApp: {
      signIn(customState?: string): Promise<void>;
      signInUrl(): Promise<string>;
      signOut(): Promise<void>;
      session(): Promise<Pick<Session, 'username' | 'expiresAt'> | null>;
      error?: { code: string; message: string };
    };
  }
}

const config = (await (await fetch('/config.json')).json()) as Config;
const client = new CognitoClient({
  userPoolId: config.userPoolId,
  clientId: config.clientId,
  // The user-pool API is not used here: a closed port makes any such request fail loudly.
  endpoint: 'http://127.0.0.1:9/',
  oauth: config.oauth,
});

const status = document.querySelector('#status') as HTMLElement;
window.hostedApp = {
  signIn: (customState) => client.signInWithRedirect(customState ? { customState } : {}),
  signInUrl: () => client.getSignInUrl(),
  signOut: () => client.signOut(),
  session: async () => {
    const session = await client.getSession();
    return session && { username: session.username, expiresAt: session.expiresAt };
  },
};

try {
  const session = await client.getSession();
  status.textContent = session ? `signed in as ${session.username}` : 'signed out';
} catch (e) {
  const error = e as { code: string; message: string };
  window.hostedApp.error = { code: error.code, message: error.message };
  status.textContent = `error ${error.code}`;
}

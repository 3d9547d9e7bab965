// A page for test/browser/session-sync.test.ts: one CognitoClient on localStorage, configured from
// the query string, recording what onSessionChange and on() report. Built from dist/ by esbuild.
import { CognitoClient, type CognitoEventName } from 'cognito-kit';

/** What one tab saw; sessions by access token. */
export interface SyncPage {
  /** onSessionChange calls: the access token, or null. */
  changes: (string | null)[];
  /** on() events: name and, for signedOut, the reason; session events with their access token. */
  events: { name: CognitoEventName; accessToken?: string; reason?: string }[];
  signIn(username: string, password: string): Promise<string | null>;
  refresh(): Promise<string | null>;
  signOut(): Promise<void>;
  /** The stored session's tokens, to look for them in messages. */
  tokens(): Promise<string[]>;
}

declare global {
  interface Window {
    sync: SyncPage;
  }
}

const query = new URLSearchParams(location.search);
const client = new CognitoClient({
  userPoolId: query.get('userPoolId') ?? '',
  clientId: query.get('clientId') ?? '',
  endpoint: query.get('endpoint') ?? '',
  authFlow: 'USER_PASSWORD_AUTH',
  autoRefresh: query.get('autoRefresh') === 'true',
});
const page: SyncPage = {
  changes: [],
  events: [],
  async signIn(username, password) {
    const result = await client.signIn({ username, password });
    return result.isSignedIn ? result.session.accessToken : null;
  },
  async refresh() {
    return (await client.getSession({ forceRefresh: true }))?.accessToken ?? null;
  },
  signOut: () => client.signOut(),
  async tokens() {
    const session = await client.getSession();
    return session ? [session.accessToken, session.idToken, session.refreshToken] : [];
  },
};
client.on('signedIn', (session) => page.events.push({ name: 'signedIn', accessToken: session.accessToken }));
client.on('tokenRefreshed', (session) =>
  page.events.push({ name: 'tokenRefreshed', accessToken: session.accessToken }),
);
client.on('signedOut', ({ reason }) => page.events.push({ name: 'signedOut', reason }));
client.on('sessionExpired', () => page.events.push({ name: 'sessionExpired' }));
client.onSessionChange((session) => {
  page.changes.push(session?.accessToken ?? null);
  const status = document.getElementById('status');
  if (status) status.textContent = session ? `signed in as ${session.username}` : 'signed out';
});
window.sync = page;

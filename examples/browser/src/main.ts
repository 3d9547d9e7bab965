// A tiny page over cognito-kit: sign up, confirm, sign in, see the session survive a reload,
// change an attribute, sign out. Every button calls `window.app`, which the browser tests drive.
//
// Configuration comes from the query string (?userPoolId=…&clientId=…&endpoint=…&authFlow=…&storage=…)
// or, under Vite, from VITE_COGNITO_* environment variables (see README.md).
import {
  CognitoClient,
  type CognitoEventName,
  cookieStorage,
  isCognitoError,
  type TokenStorage,
  webStorage,
} from 'cognito-kit';
import type { AppEvent, ExampleApp, ExampleConfig, SessionView, StorageChoice } from './api.js';

const EVENTS: readonly CognitoEventName[] = ['signedIn', 'signedOut', 'tokenRefreshed', 'sessionExpired'];

function readConfig(): ExampleConfig | string {
  const query = new URLSearchParams(location.search);
  // Vite replaces import.meta.env at build time; other bundlers leave it undefined.
  const env = (import.meta as ImportMeta & { env?: Record<string, string | undefined> }).env ?? {};
  const pick = (name: string, envName: string): string | undefined =>
    query.get(name) || env[envName] || undefined;
  const userPoolId = pick('userPoolId', 'VITE_COGNITO_USER_POOL_ID');
  const clientId = pick('clientId', 'VITE_COGNITO_CLIENT_ID');
  if (!userPoolId || !clientId) {
    return 'No user pool configured: set VITE_COGNITO_USER_POOL_ID and VITE_COGNITO_CLIENT_ID (see examples/browser/README.md), or pass ?userPoolId=…&clientId=…';
  }
  const authFlow = pick('authFlow', 'VITE_COGNITO_AUTH_FLOW') ?? 'USER_SRP_AUTH';
  if (authFlow !== 'USER_SRP_AUTH' && authFlow !== 'USER_PASSWORD_AUTH') {
    return `Unknown auth flow "${authFlow}": use USER_SRP_AUTH or USER_PASSWORD_AUTH`;
  }
  const storage = pick('storage', 'VITE_COGNITO_STORAGE') ?? 'local';
  if (storage !== 'local' && storage !== 'session' && storage !== 'cookie') {
    return `Unknown storage "${storage}": use local, session or cookie`;
  }
  return { userPoolId, clientId, endpoint: pick('endpoint', 'VITE_COGNITO_ENDPOINT'), authFlow, storage };
}

function storageFor(choice: StorageChoice): TokenStorage | undefined {
  if (choice === 'cookie') return cookieStorage();
  if (choice === 'session') return webStorage(sessionStorage);
  return undefined; // cognito-kit's default in a browser: localStorage
}

// ---- the page ----

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;
const statusBox = $<HTMLDivElement>('status');
const claimsBox = $<HTMLPreElement>('claims');
const logList = $<HTMLOListElement>('log');
const field = (name: string): string => $<HTMLInputElement>(name).value.trim();

function log(text: string): void {
  const item = document.createElement('li');
  item.textContent = `${new Date().toLocaleTimeString()} ${text}`;
  logList.prepend(item);
  while (logList.children.length > 8) logList.lastElementChild?.remove();
}

function describeError(error: unknown): string {
  if (isCognitoError(error)) return `${error.code}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}

function render(session: SessionView | null): void {
  statusBox.className = session ? 'signed-in' : '';
  statusBox.textContent = session
    ? `Signed in as ${session.username} · tokens valid until ${new Date(session.expiresAt).toLocaleString()}`
    : 'Signed out';
  claimsBox.hidden = !session;
  if (session) {
    const { idTokenClaims: claims } = session;
    const shown = ['sub', 'cognito:username', 'email', 'custom:nickname', 'token_use'];
    claimsBox.textContent = JSON.stringify(
      Object.fromEntries(shown.filter((name) => name in claims).map((name) => [name, claims[name]])),
      null,
      2,
    );
  }
}

function showError(error: unknown): void {
  statusBox.className = 'error';
  statusBox.textContent = describeError(error);
  log(`error ${describeError(error)}`);
}

function unconfigured(message: string): ExampleApp {
  const fail = () => Promise.reject(new Error(message));
  return {
    config: null,
    ready: Promise.resolve(null),
    events: [],
    signUp: fail,
    confirmSignUp: fail,
    signIn: fail,
    getSession: fail,
    updateAttributes: fail,
    signOut: fail,
  };
}

function createApp(config: ExampleConfig): ExampleApp {
  const storage = storageFor(config.storage);
  const client = new CognitoClient({
    userPoolId: config.userPoolId,
    clientId: config.clientId,
    authFlow: config.authFlow,
    ...(config.endpoint ? { endpoint: config.endpoint } : {}),
    ...(storage ? { storage } : {}),
  });
  const events: AppEvent[] = [];
  for (const name of EVENTS) {
    client.on(name, (payload) => {
      const detail =
        'reason' in payload ? payload.reason : 'error' in payload ? payload.error.code : undefined;
      events.push(detail === undefined ? { name, at: Date.now() } : { name, at: Date.now(), detail });
      log(`event ${name}${detail ? ` (${detail})` : ''}`);
    });
  }
  // Every action shows its outcome on the page, then resolves or rejects like the client did.
  const run = async <T>(label: string, action: () => Promise<T>): Promise<T> => {
    try {
      const result = await action();
      log(label);
      render(await client.getSession());
      return result;
    } catch (error) {
      showError(error);
      throw error;
    }
  };

  const ready = client.getSession().then(
    (session) => {
      render(session);
      log(session ? `restored the session of ${session.username}` : 'nobody signed in');
      return session;
    },
    (error: unknown) => {
      showError(error);
      return null;
    },
  );

  return {
    config,
    ready,
    events,
    signUp: ({ username, password, attributes }) =>
      run(`signed up ${username}`, async () => {
        const { userConfirmed, userSub } = await client.signUp({
          username,
          password,
          ...(attributes ? { attributes } : {}),
        });
        return { userConfirmed, userSub };
      }),
    confirmSignUp: (username, code) =>
      run(`confirmed ${username}`, async () => {
        await client.confirmSignUp({ username, code });
      }),
    signIn: (username, password) =>
      run(`sign-in of ${username}`, async () => {
        const result = await client.signIn({ username, password });
        return { isSignedIn: result.isSignedIn, signInStep: result.nextStep.signInStep };
      }),
    getSession: (options = {}) => run('session checked', () => client.getSession(options)),
    updateAttributes: (attributes) =>
      run('attributes updated', async () => {
        const result = await client.updateAttributes(attributes);
        return Object.fromEntries(
          Object.entries(result).map(([name, { isUpdated }]) => [name, { isUpdated }]),
        );
      }),
    signOut: () => run('signed out', () => client.signOut()),
  };
}

const config = readConfig();
const app = typeof config === 'string' ? unconfigured(config) : createApp(config);
window.app = app;

$<HTMLParagraphElement>('config').textContent =
  typeof config === 'string'
    ? config
    : `pool ${config.userPoolId} · client ${config.clientId} · ${config.authFlow} · ${config.storage} storage${
        config.endpoint ? ` · ${config.endpoint}` : ''
      }`;
if (typeof config === 'string') statusBox.className = 'error';

// The buttons: the same calls the tests make.
const actions: Record<string, () => Promise<unknown>> = {
  signUp: () => {
    const attributes: Record<string, string> = {};
    if (field('email')) attributes.email = field('email');
    if (field('nickname')) attributes['custom:nickname'] = field('nickname');
    return app.signUp({
      username: field('username'),
      password: $<HTMLInputElement>('password').value,
      attributes,
    });
  },
  confirmSignUp: () => app.confirmSignUp(field('username'), field('code')),
  signIn: () => app.signIn(field('username'), $<HTMLInputElement>('password').value),
  saveNickname: () => app.updateAttributes({ 'custom:nickname': field('nickname') }),
  refresh: () => app.getSession({ forceRefresh: true }),
  signOut: () => app.signOut(),
};
const form = $<HTMLFormElement>('form');
form.addEventListener('submit', (event) => {
  event.preventDefault();
  actions.signIn?.().catch(() => undefined); // shown on the page already
});
form.addEventListener('click', (event) => {
  const button = (event.target as HTMLElement).closest('button');
  const action = button?.dataset.action;
  if (!button || button.type === 'submit' || !action) return;
  actions[action]?.().catch(() => undefined);
});

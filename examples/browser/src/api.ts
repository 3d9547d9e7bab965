// The example's `window.app` API: what the buttons call, and what test/browser drives through
// Playwright's page.evaluate. Types only, so that tests can import it without importing the app.

export type StorageChoice = 'local' | 'session' | 'cookie';

export interface ExampleConfig {
  userPoolId: string;
  clientId: string;
  endpoint: string | undefined;
  authFlow: 'USER_SRP_AUTH' | 'USER_PASSWORD_AUTH';
  storage: StorageChoice;
}

/** The parts of a cognito-kit `Session` the example shows (a `Session` is one). */
export interface SessionView {
  username: string;
  userSub: string;
  accessToken: string;
  idToken: string;
  refreshToken: string;
  expiresAt: number;
  idTokenClaims: Record<string, unknown>;
}

/** One event the client emitted, as the page saw it. */
export interface AppEvent {
  name: 'signedIn' | 'signedOut' | 'tokenRefreshed' | 'sessionExpired';
  /** Epoch ms. */
  at: number;
  /** `signedOut`'s reason, `sessionExpired`'s error code. */
  detail?: string;
}

export interface ExampleApp {
  /** `null` when the page has no pool configured (see README.md). */
  config: ExampleConfig | null;
  /** Settles once the page has restored (or not) the stored session. */
  ready: Promise<SessionView | null>;
  events: AppEvent[];
  signUp(input: {
    username: string;
    password: string;
    attributes?: Record<string, string>;
  }): Promise<{ userConfirmed: boolean; userSub: string }>;
  confirmSignUp(username: string, code: string): Promise<void>;
  signIn(username: string, password: string): Promise<{ isSignedIn: boolean; signInStep: string }>;
  getSession(options?: { forceRefresh?: boolean }): Promise<SessionView | null>;
  updateAttributes(attributes: Record<string, string>): Promise<Record<string, { isUpdated: boolean }>>;
  signOut(): Promise<void>;
}

declare global {
  interface Window {
    app: ExampleApp;
  }
}

// Shared set-up of the hosted-UI tests: the oidc-provider stand-in and clients pointed at it.

import { afterAll, afterEach, beforeEach, vi } from 'vitest';
import {
  CognitoClient,
  type CognitoClientOptions,
  memoryStorage,
  type TokenStorage,
} from '../../src/index.js';
import { type HostedUi, startHostedUi } from '../helpers/hosted-ui.js';

export const APP = 'http://localhost:5173';
export const CALLBACK = `${APP}/callback`;
export const SIGNED_OUT = `${APP}/`;

export function startStandIn(tokenTtlSeconds?: number): Promise<HostedUi> {
  return startHostedUi({
    redirectUris: [CALLBACK, 'http://localhost:8765/callback'],
    postLogoutRedirectUris: [SIGNED_OUT],
    ...(tokenTtlSeconds ? { tokenTtlSeconds } : {}),
  });
}

/**
 * The stand-in for one test file (`const ui = await standInForFile()` at its top): closed after the
 * file, its request log and token-request faults cleared before each test, real timers after each.
 */
export async function standInForFile(tokenTtlSeconds?: number): Promise<HostedUi> {
  const ui = await startStandIn(tokenTtlSeconds);
  afterAll(() => ui.close());
  beforeEach(() => {
    ui.requests.length = 0;
    ui.failTokenRequests(undefined);
  });
  afterEach(() => {
    vi.useRealTimers();
  });
  return ui;
}

/** A client of the stand-in on `storage`. */
export function hostedClient(
  ui: HostedUi,
  storage: TokenStorage = memoryStorage(),
  options: Omit<Partial<CognitoClientOptions>, 'oauth'> & { oauth?: Record<string, unknown> } = {},
): CognitoClient {
  const { oauth, ...rest } = options;
  return new CognitoClient({
    userPoolId: ui.userPoolId,
    clientId: ui.clientId,
    storage,
    retryBaseDelayMs: 0,
    // Nothing of the user-pool API is used: a closed port makes any such request fail loudly.
    endpoint: 'http://127.0.0.1:9/',
    oauth: ui.oauthOptions(oauth) as CognitoClientOptions['oauth'] & object,
    ...rest,
  });
}

/** Everything a test must never see in an error, an event or a log line. */
export function secretsOf(url: string, extra: string[] = []): string[] {
  const params = new URL(url).searchParams;
  return [params.get('code'), params.get('state'), ...extra].filter((v): v is string => !!v);
}

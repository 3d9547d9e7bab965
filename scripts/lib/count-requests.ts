/**
 * Counts the requests this process sends to Cognito (or cognito-local) by wrapping
 * `globalThis.fetch`: every request carrying an `X-Amz-Target:
 * AWSCognitoIdentityProviderService.<Operation>` header is recorded with its operation and, for
 * InitiateAuth, its `AuthFlow`. Used by the demo and the integration tests to show honestly how many
 * refresh requests went over the wire; nothing is changed in the requests or their answers.
 */

/** One recorded request. */
export interface RecordedRequest {
  /** e.g. `'InitiateAuth'`, `'GetUser'` */
  operation: string;
  /** InitiateAuth's `AuthFlow`, e.g. `'REFRESH_TOKEN_AUTH'` */
  authFlow?: string;
  /** epoch ms when the request was sent */
  at: number;
  /** the endpoint answered that it does not implement the operation (cognito-local's `Unsupported`) */
  unsupported?: boolean;
}

export interface RequestCounter {
  /** every Cognito request since the counter was created or last reset */
  readonly requests: readonly RecordedRequest[];
  /** number of requests for `operation` (and `authFlow`, when given) */
  count(operation: string, authFlow?: string): number;
  /**
   * token refresh requests the endpoint implements: InitiateAuth REFRESH_TOKEN_AUTH / REFRESH_TOKEN,
   * GetTokensFromRefreshToken (not counted where cognito-local answered that it does not implement it:
   * each client learns that once, then refreshes with REFRESH_TOKEN_AUTH)
   */
  refreshes(): number;
  /** forgets what was recorded so far */
  reset(): void;
  /** puts the previous `fetch` back (idempotent) */
  restore(): void;
}

const TARGET_PREFIX = 'AWSCognitoIdentityProviderService.';

function isRefresh(request: RecordedRequest): boolean {
  if (request.unsupported) return false;
  return (
    request.operation === 'GetTokensFromRefreshToken' ||
    (request.operation === 'InitiateAuth' &&
      (request.authFlow === 'REFRESH_TOKEN_AUTH' || request.authFlow === 'REFRESH_TOKEN'))
  );
}

async function readBody(
  input: RequestInfo | URL,
  init: RequestInit | undefined,
): Promise<string | undefined> {
  if (typeof init?.body === 'string') return init.body;
  if (init?.body === undefined && input instanceof Request) return input.clone().text();
  return undefined;
}

function authFlowOf(body: string | undefined): string | undefined {
  if (body === undefined) return undefined;
  try {
    const parsed = JSON.parse(body) as { AuthFlow?: unknown };
    return typeof parsed.AuthFlow === 'string' ? parsed.AuthFlow : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Starts counting Cognito requests made through `globalThis.fetch` (cognito-kit's transport and any
 * raw call alike). Call `restore()` when done.
 */
export function countCognitoRequests(): RequestCounter {
  const original = globalThis.fetch;
  const requests: RecordedRequest[] = [];
  const wrapped: typeof fetch = async (input, init) => {
    const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined));
    const target = headers.get('x-amz-target');
    if (target?.startsWith(TARGET_PREFIX)) {
      const operation = target.slice(TARGET_PREFIX.length);
      const record: RecordedRequest = { operation, at: Date.now() };
      if (operation === 'InitiateAuth') {
        const authFlow = authFlowOf(await readBody(input, init));
        if (authFlow !== undefined) record.authFlow = authFlow;
      }
      requests.push(record);
      const response = await original(input, init);
      if (response.status === 500 && response.headers.get('x-amzn-errortype')?.includes('Unsupported')) {
        record.unsupported = true;
      } else if (response.status === 500) {
        const text = await response.clone().text();
        if (text.includes('#Unsupported')) record.unsupported = true;
      }
      return response;
    }
    return original(input, init);
  };
  globalThis.fetch = wrapped;
  let restored = false;
  return {
    requests,
    count: (operation, authFlow) =>
      requests.filter((r) => r.operation === operation && (authFlow === undefined || r.authFlow === authFlow))
        .length,
    refreshes: () => requests.filter(isRefresh).length,
    reset: () => {
      requests.length = 0;
    },
    restore: () => {
      if (restored) return;
      restored = true;
      // Only undo our own wrapper; if someone wrapped on top of us, leave theirs in place.
      if (globalThis.fetch === wrapped) globalThis.fetch = original;
    },
  };
}

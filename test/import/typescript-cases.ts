// Sources of the TypeScript consumer, written into a temporary project that has the packed
// tarball installed. They are strings (not files under test/) so that the repository's own
// type check never sees the cases that must not compile.

const header = `import { CognitoClient } from 'cognito-kit';

const client = new CognitoClient({ userPoolId: 'us-east-1_AbCdEf123', clientId: '1example23456789' });
`;

/** Correct usage of both entries, every public type on its way; must compile without a diagnostic. */
export const goodUsage = `import {
  CognitoClient,
  CognitoError,
  cookieStorage,
  isCognitoError,
  memoryStorage,
  webStorage,
  type AccessTokenClaims,
  type CodeDelivery,
  type CognitoClientOptions,
  type CognitoErrorCode,
  type CognitoEvents,
  type IdTokenClaims,
  type NextSignInStep,
  type Session,
  type SignInResult,
  type SignOutReason,
  type TokenStorage,
  type UpdateAttributesResult,
} from 'cognito-kit';
import { fileStorage, type FileStorageOptions } from 'cognito-kit/node';

const kv = new Map<string, string>();
const asyncStorage: TokenStorage = {
  async getItem(key) {
    return kv.get(key) ?? null;
  },
  async setItem(key, value) {
    kv.set(key, value);
  },
  async removeItem(key) {
    kv.delete(key);
  },
  lock: (_name, task) => task(),
};

const options: CognitoClientOptions = {
  userPoolId: 'us-east-1_AbCdEf123',
  clientId: '1example23456789',
  endpoint: 'http://127.0.0.1:9229/',
  storage: asyncStorage,
  authFlow: 'USER_PASSWORD_AUTH',
  refreshMarginSeconds: 60,
  requestTimeoutMs: 15_000,
};
const client = new CognitoClient(options);
const fileOptions: FileStorageOptions = { lockTimeoutMs: 5_000 };
export const others = [
  new CognitoClient({ userPoolId: 'us-east-1_AbCdEf123', clientId: 'x', storage: memoryStorage() }),
  new CognitoClient({ userPoolId: 'us-east-1_AbCdEf123', clientId: 'x', storage: cookieStorage({ sameSite: 'strict' }) }),
  new CognitoClient({ userPoolId: 'us-east-1_AbCdEf123', clientId: 'x', storage: fileStorage('/tmp/t.json', fileOptions) }),
];
export const browserOnly = (storage: Storage): TokenStorage => webStorage(storage);

function describeStep(step: NextSignInStep): string {
  switch (step.signInStep) {
    case 'CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED':
      return step.requiredAttributes.join(',') + Object.keys(step.userAttributes).join(',');
    case 'CONFIRM_SIGN_IN_WITH_SMS_CODE': {
      const delivery: CodeDelivery = step.codeDelivery;
      return delivery.destination + delivery.deliveryMedium + delivery.attributeName;
    }
    case 'CONFIRM_SIGN_IN_WITH_TOTP_CODE':
      return 'totp';
    case 'CONTINUE_SIGN_IN_WITH_MFA_SELECTION':
      return step.allowedMfaTypes.join(',');
    case 'CONTINUE_SIGN_IN_WITH_TOTP_SETUP':
      return step.secretCode + step.otpauthUri;
    case 'CONFIRM_SIGN_IN_WITH_CUSTOM_CHALLENGE':
      return JSON.stringify(step.challengeParameters);
    case 'CONFIRM_SIGN_UP':
      return 'confirm sign-up';
    case 'RESET_PASSWORD':
      return 'reset';
    case 'CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION':
      return step.availableChallenges.join(',');
    case 'CONFIRM_SIGN_IN_WITH_PASSWORD':
      return 'password';
    case 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE':
      return step.codeDelivery.destination;
    case 'CONTINUE_SIGN_IN_WITH_EMAIL_SETUP':
      return 'email set-up';
    case 'CONTINUE_SIGN_IN_WITH_MFA_SETUP_SELECTION':
      return step.allowedMfaTypes.join(',');
    default: {
      const unreachable: never = step;
      return unreachable;
    }
  }
}

export async function flow(): Promise<Session | null> {
  const result: SignInResult = await client.signIn({ username: 'ann', password: 'pw' });
  if (result.isSignedIn) {
    const done: 'DONE' = result.nextStep.signInStep;
    const id: IdTokenClaims = result.session.idTokenClaims;
    const access: AccessTokenClaims = result.session.accessTokenClaims;
    return done && id.sub === access.sub ? result.session : null;
  }
  describeStep(result.nextStep);
  const next = await client.confirmSignIn({ challengeResponse: '123456', friendlyDeviceName: 'phone' });
  const custom: unknown = next.isSignedIn ? next.session.idTokenClaims['custom:plan'] : undefined;
  void custom;
  const updated: UpdateAttributesResult = await client.updateAttributes({ email: 'ann@example.com' });
  const email = updated.email;
  if (email && !email.isUpdated) await client.verifyAttribute({ name: 'email', code: '123456' });
  await client.setMfaPreference({ totp: 'PREFERRED', sms: 'DISABLED' });
  const user: { username: string; userSub: string } | null = await client.getCurrentUser();
  void user;
  return client.getSession({ forceRefresh: true });
}

const off: () => void = client.on('signedOut', ({ reason }) => {
  const why: SignOutReason = reason;
  void why;
});
off();
client.on('sessionExpired', ({ error }) => {
  const code: CognitoErrorCode | (string & {}) = error.code;
  void code;
});
client.on('tokenRefreshed', (session: CognitoEvents['tokenRefreshed']) => void session.expiresAt);

export function handle(error: unknown): number | undefined {
  if (isCognitoError(error, 'NotAuthorizedException')) return error.status;
  if (error instanceof CognitoError && error.retryable) return 0;
  return undefined;
}

// isCognitoError narrows error.code to the literal it checked; error.code itself stays open.
export function narrowed(error: unknown): 'UserNotConfirmedException' | 'NetworkError' | undefined {
  if (isCognitoError(error, 'UserNotConfirmedException')) {
    const code: 'UserNotConfirmedException' = error.code;
    return code;
  }
  if (isCognitoError(error, 'NetworkError')) return error.code;
  if (isCognitoError(error)) {
    const open: string = error.code;
    if (error.code === 'SomeExceptionCognitoAddsLater') return undefined;
    void open;
  }
  return undefined;
}
const identityCodes: CognitoErrorCode[] = ['ResourceConflictException', 'WebAuthnNotEnabledException'];
void identityCodes;

const offSession: () => void = client.onSessionChange((session: Session | null) => void session?.idToken);
offSession();
new CognitoClient({ userPoolId: 'us-east-1_AbCdEf123', clientId: '1example23456789', autoRefresh: true });
`;

/** The CommonJS flavour of the types (index.d.cts), under node16 only. */
export const goodUsageCjs = `import { CognitoClient, CognitoError, isCognitoError } from 'cognito-kit';
import { fileStorage } from 'cognito-kit/node';

export const client = new CognitoClient({
  userPoolId: 'us-east-1_AbCdEf123',
  clientId: '1example23456789',
  storage: fileStorage('/tmp/tokens.json'),
});
export const ok: boolean = isCognitoError(new CognitoError('X', 'm'));
`;

/** Each must fail to compile with exactly these diagnostics; `message` must appear in one of them. */
export const mustNotCompile: Record<string, { source: string; codes: string[]; message?: string }> = {
  'session-without-narrowing.ts': {
    source: `${header}
export async function run(): Promise<string> {
  const result = await client.signIn({ username: 'ann', password: 'pw' });
  return result.session.accessToken;
}
`,
    codes: ['TS2339'],
    message: "'session'",
  },
  'unknown-sign-in-step.ts': {
    source: `${header}
import type { NextSignInStep } from 'cognito-kit';

export function describe(step: NextSignInStep): string {
  switch (step.signInStep) {
    case 'CONFIRM_SIGN_IN_WITH_CARRIER_PIGEON':
      return 'pigeon';
    default:
      return 'other';
  }
}
`,
    codes: ['TS2678'],
    message: 'CONFIRM_SIGN_IN_WITH_CARRIER_PIGEON',
  },
  'non-exhaustive-sign-in-step.ts': {
    source: `${header}
import type { NextSignInStep } from 'cognito-kit';

export function describe(step: NextSignInStep): string {
  switch (step.signInStep) {
    case 'CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED':
    case 'CONFIRM_SIGN_IN_WITH_SMS_CODE':
    case 'CONFIRM_SIGN_IN_WITH_TOTP_CODE':
    case 'CONTINUE_SIGN_IN_WITH_MFA_SELECTION':
    case 'CONTINUE_SIGN_IN_WITH_TOTP_SETUP':
    case 'CONFIRM_SIGN_IN_WITH_CUSTOM_CHALLENGE':
    case 'CONFIRM_SIGN_UP':
    case 'CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION':
    case 'CONFIRM_SIGN_IN_WITH_PASSWORD':
    case 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE':
    case 'CONTINUE_SIGN_IN_WITH_EMAIL_SETUP':
    case 'CONTINUE_SIGN_IN_WITH_MFA_SETUP_SELECTION':
      return step.signInStep;
    default: {
      const unreachable: never = step;
      return unreachable;
    }
  }
}
`,
    codes: ['TS2322'],
    message: 'RESET_PASSWORD',
  },
  'is-cognito-error-typo.ts': {
    source: `${header}
import { isCognitoError } from 'cognito-kit';

export function wrongPassword(error: unknown): boolean {
  return isCognitoError(error, 'NotAuthorisedException');
}
`,
    codes: ['TS2345'],
    message: 'NotAuthorisedException',
  },
  'narrowed-code-is-the-literal.ts': {
    source: `${header}
import { isCognitoError } from 'cognito-kit';

export function code(error: unknown): 'UserNotFoundException' | undefined {
  if (isCognitoError(error, 'NotAuthorizedException')) return error.code;
  return undefined;
}
`,
    codes: ['TS2322'],
    message: '"NotAuthorizedException"',
  },
  'number-as-username.ts': {
    source: `${header}
export const pending = client.signIn({ username: 42, password: 'pw' });
`,
    codes: ['TS2322'],
    message: "'number' is not assignable to type 'string'",
  },
  'client-without-pool-id.ts': {
    source: `import { CognitoClient } from 'cognito-kit';

export const client = new CognitoClient({});
`,
    codes: ['TS2345'],
    message: 'userPoolId',
  },
  'unknown-client-option.ts': {
    source: `import { CognitoClient } from 'cognito-kit';

export const client = new CognitoClient({ userPoolId: 'us-east-1_AbCdEf123', clientId: 'x', region: 'us-east-1' });
`,
    codes: ['TS2353'],
    message: 'region',
  },
  'file-storage-from-main-entry.ts': {
    source: `import { fileStorage } from 'cognito-kit';

export const storage = fileStorage('/tmp/tokens.json');
`,
    codes: ['TS2305'],
    message: 'fileStorage',
  },
};

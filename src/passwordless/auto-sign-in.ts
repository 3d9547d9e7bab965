// Sign-in straight after sign-up: SignUp's Session goes with ConfirmSignUp, whose Session signs the
// user in (InitiateAuth USER_AUTH with that Session). Both sessions are kept in the client's
// storage, like a pending challenge, so the confirmation may come from another client (a reload)
// and a failed sign-in may be retried by calling confirmSignUp again. The core's helpers come from
// `ctx.lib` (kit.ts: this chunk imports no core module).

import type { ChallengeAnswer, SignInContext } from '../sign-in.js';
import type { ConfirmSignUpResult } from '../types.js';
import { kitOf, type PasswordlessKit } from './kit.js';

const KEY = 'autoSignIn';
// A sign-up code lives 24 hours; SignUp's session is sent with the confirmation within that time.
const SIGN_UP_TTL_MS = 24 * 3600 * 1000;

/** What is stored between signUp and confirmSignUp (and after a confirmation whose sign-in failed). */
export interface AutoSignIn {
  username: string;
  session?: string;
  /** `true` once ConfirmSignUp succeeded: `session` is then the one that signs in. */
  confirmed?: boolean;
  expiresAt: number;
}

export function parseAutoSignIn(raw: string | null, now: number): AutoSignIn | null {
  if (!raw) return null;
  try {
    const value = JSON.parse(raw) as Partial<AutoSignIn> | null;
    if (
      value &&
      typeof value.username === 'string' &&
      typeof value.expiresAt === 'number' &&
      value.expiresAt > now
    ) {
      return value as AutoSignIn;
    }
  } catch {
    // unreadable: no auto sign-in
  }
  return null;
}

/** Writes (or with `null` removes) the stored auto sign-in; a failing storage is StorageException. */
async function store(ctx: SignInContext, kit: PasswordlessKit, marker: AutoSignIn | null): Promise<void> {
  // The key SessionStore.readExtra reads (written here so that the entry chunk need not carry it).
  const key = `CognitoIdentityServiceProvider.${ctx.clientId}.cognitoKit.${KEY}`;
  try {
    if (marker) await ctx.store.storage.setItem(key, JSON.stringify(marker));
    else await ctx.store.storage.removeItem(key);
  } catch (cause) {
    throw new kit.CognitoError('StorageException', 'The token storage failed to keep the sign-up session', {
      cause,
      retryable: false,
    });
  }
}

export async function rememberSignUp(
  ctx: SignInContext,
  username: string,
  session: string | undefined,
): Promise<void> {
  const marker: AutoSignIn = { username, expiresAt: ctx.now() + SIGN_UP_TTL_MS };
  if (session) marker.session = session;
  await store(ctx, kitOf(ctx.lib), marker);
}

/**
 * ConfirmSignUp with SignUp's session, then the sign-in with the session it returns. `null` when
 * no auto sign-in is stored for `username` (a plain confirmation); `undefined` when Cognito
 * returned no session (the pool or app client does not offer sign-in after sign-up).
 */
export async function confirmAndSignIn(
  ctx: SignInContext,
  confirm: { username: string; code: string },
): Promise<ConfirmSignUpResult | undefined | null> {
  const kit = kitOf(ctx.lib);
  const marker = parseAutoSignIn(await ctx.store.readExtra(KEY), ctx.now());
  if (marker?.username !== confirm.username) return null;
  let session = marker.confirmed ? marker.session : undefined;
  if (!session) {
    const confirmed = await ctx.transport.send<{ Session?: string }>('ConfirmSignUp', {
      ClientId: ctx.clientId,
      Username: confirm.username,
      ConfirmationCode: confirm.code,
      ...(marker.session ? { Session: marker.session } : {}),
    });
    session = confirmed.Session;
    if (!session) {
      await store(ctx, kit, null);
      return undefined;
    }
    const expiresAt = ctx.now() + ctx.challengeTtlMs;
    await store(ctx, kit, { username: marker.username, session, confirmed: true, expiresAt });
  }
  let answer: ChallengeAnswer;
  try {
    await ctx.store.clearPending();
    answer = await ctx.transport.send<ChallengeAnswer>(
      'InitiateAuth',
      {
        AuthFlow: 'USER_AUTH',
        ClientId: ctx.clientId,
        AuthParameters: { USERNAME: marker.username },
        Session: session,
      },
      { onceOnly: true },
    );
  } catch (error) {
    // A session Cognito refused is spent: nothing left to retry with.
    if (error instanceof kit.CognitoError && !error.retryable) await store(ctx, kit, null);
    throw error;
  }
  await store(ctx, kit, null);
  try {
    return { signInResult: await kit.handleAnswer(ctx, answer, marker.username) };
  } catch (error) {
    return { signInResult: kit.stepForError(error) };
  }
}

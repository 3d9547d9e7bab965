// Choice-based sign-in (USER_AUTH) and email MFA: the challenges sign-in.ts hands over. Loaded
// only when a sign-in uses USER_AUTH or Cognito answers with one of these challenges, so an app
// that signs in with a password alone never downloads it. Passkey ceremonies live in webauthn.ts,
// loaded only when a passkey is used.

import type { PendingChallenge } from '../session-store.js';
import type { ChallengeAnswer, SignInContext } from '../sign-in.js';
import type { NextSignInStep, PreferredChallenge, SignInInput, SignInResult } from '../types.js';
import { kitOf, type PasswordlessKit } from './kit.js';

const FIRST_FACTORS: readonly PreferredChallenge[] = [
  'PASSWORD',
  'PASSWORD_SRP',
  'EMAIL_OTP',
  'SMS_OTP',
  'WEB_AUTHN',
];

type Metadata = { ClientMetadata?: Record<string, string> };

/** What confirmSignIn passes on besides the answer. */
export interface ConfirmExtras {
  clientMetadata?: Record<string, string> | undefined;
}

const metadataOf = (clientMetadata: Record<string, string> | undefined): Metadata =>
  clientMetadata ? { ClientMetadata: clientMetadata } : {};

/** Fails with WebAuthnNotSupportedException (before any request) where WebAuthn is missing. */
async function requireWebAuthn(kit: PasswordlessKit): Promise<void> {
  (await import('./webauthn.js')).requireWebAuthn(kit.CognitoError);
}

/**
 * signIn with `authFlow: 'USER_AUTH'`: InitiateAuth with the preferred first factor (and the
 * password, or SRP_A, when it is a password), then the same answer handling as every sign-in.
 */
export async function startUserAuth(ctx: SignInContext, signIn: SignInInput): Promise<SignInResult> {
  const kit = kitOf(ctx.lib);
  const { invalidParameter, optionalString, requireOneOf, requireString, startSrp } = kit;
  const o = kit.requireOptions(signIn, 'input', [
    'username',
    'password',
    'authFlow',
    'preferredChallenge',
    'clientMetadata',
  ]);
  const username = requireString(o.username, 'username');
  const password = optionalString(o.password, 'password');
  const stated =
    o.preferredChallenge === undefined
      ? undefined
      : requireOneOf(o.preferredChallenge, 'preferredChallenge', FIRST_FACTORS);
  const metadata = metadataOf(kit.optionalStringRecord(o.clientMetadata, 'clientMetadata'));
  // A password without a preference is proven with SRP: it never leaves the device.
  const preferred = stated ?? (password === undefined ? undefined : 'PASSWORD_SRP');
  const withPassword = preferred === 'PASSWORD' || preferred === 'PASSWORD_SRP';
  if (withPassword && password === undefined) {
    throw invalidParameter('password is required with preferredChallenge PASSWORD or PASSWORD_SRP');
  }
  if (!withPassword && password !== undefined) {
    throw invalidParameter('password goes only with preferredChallenge PASSWORD or PASSWORD_SRP');
  }
  if (preferred === 'WEB_AUTHN') await requireWebAuthn(kit);
  await ctx.store.clearPending();
  const srp = preferred === 'PASSWORD_SRP' ? await startSrp(ctx.userPoolId.split('_')[1] ?? '') : undefined;
  const parameters: Record<string, string> = { USERNAME: username };
  if (preferred) parameters.PREFERRED_CHALLENGE = preferred;
  if (preferred === 'PASSWORD') parameters.PASSWORD = password ?? '';
  if (srp) parameters.SRP_A = srp.largeA;
  try {
    // A remembered device's key goes with every step (InitiateAuth's AuthParameters, each answer):
    // Cognito then proves the device (DEVICE_SRP_AUTH) instead of asking for MFA. It may send an
    // email or SMS, or spend a password attempt: once only (a refused device key spends nothing,
    // and is retried without the key).
    const user = { username, password, srp, onceOnly: true };
    return await kit.initiateAuth(ctx, 'USER_AUTH', parameters, metadata, user);
  } catch (error) {
    return kit.stepForError(error);
  }
}

/** Stores the challenge and returns its step. */
async function pendingStep(
  ctx: SignInContext,
  pending: PendingChallenge,
  nextStep: NextSignInStep,
): Promise<SignInResult> {
  await ctx.store.writePending(pending);
  return { isSignedIn: false, nextStep };
}

/** Cognito asked one of our challenges: the step to show, or (a passkey) the ceremony run at once. */
export async function passwordlessResult(
  ctx: SignInContext,
  pending: PendingChallenge,
  parameters: Record<string, string>,
  answer: ChallengeAnswer,
): Promise<SignInResult> {
  const kit = kitOf(ctx.lib);
  switch (pending.challengeName) {
    case 'SELECT_CHALLENGE': {
      const offered =
        answer.AvailableChallenges ?? kit.parseJson<string[]>(parameters.AVAILABLE_CHALLENGES, []);
      const availableChallenges = offered.filter((item): item is string => typeof item === 'string');
      pending.parameters = { available: JSON.stringify(availableChallenges) };
      return pendingStep(ctx, pending, {
        signInStep: 'CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION',
        availableChallenges,
      });
    }
    case 'EMAIL_OTP':
      return pendingStep(ctx, pending, {
        signInStep: 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE',
        codeDelivery: kit.challengeCodeDelivery(parameters, 'EMAIL'),
      });
    case 'SMS_OTP':
      return pendingStep(ctx, pending, {
        signInStep: 'CONFIRM_SIGN_IN_WITH_SMS_CODE',
        codeDelivery: kit.challengeCodeDelivery(parameters, 'SMS'),
      });
    case 'WEB_AUTHN':
      return passkeyAnswer(
        ctx,
        kit,
        pending,
        kit.requireParameter(parameters, 'CREDENTIAL_REQUEST_OPTIONS'),
        {},
      );
    case 'MFA_SETUP': {
      const canSetUp = kit.parseJson<string[]>(parameters.MFAS_CAN_SETUP, []);
      const totp = canSetUp.includes('SOFTWARE_TOKEN_MFA');
      pending.parameters = { mfaSetup: totp ? 'select' : 'email' };
      return pendingStep(
        ctx,
        pending,
        totp
          ? { signInStep: 'CONTINUE_SIGN_IN_WITH_MFA_SETUP_SELECTION', allowedMfaTypes: ['EMAIL', 'TOTP'] }
          : { signInStep: 'CONTINUE_SIGN_IN_WITH_EMAIL_SETUP' },
      );
    }
    default:
      throw kit.unsupported(pending.challengeName);
  }
}

/** confirmSignIn for a pending USER_AUTH challenge or email MFA set-up. */
export async function answerPasswordless(
  ctx: SignInContext,
  pending: PendingChallenge,
  answer: string,
  extras: ConfirmExtras,
): Promise<SignInResult> {
  const kit = kitOf(ctx.lib);
  const metadata = metadataOf(extras.clientMetadata);
  switch (pending.challengeName) {
    case 'SELECT_CHALLENGE':
      return selectFirstFactor(ctx, kit, pending, answer, metadata);
    case 'EMAIL_OTP':
      return respond(ctx, kit, pending, 'EMAIL_OTP', { EMAIL_OTP_CODE: answer }, metadata);
    case 'SMS_OTP':
      return respond(ctx, kit, pending, 'SMS_OTP', { SMS_OTP_CODE: answer }, metadata);
    case 'MFA_SETUP': {
      if (pending.parameters.mfaSetup === 'email') {
        return respond(ctx, kit, pending, 'MFA_SETUP', { EMAIL: answer }, metadata);
      }
      // The choice is ours to remember: Cognito learns it from the set-up that follows.
      if (kit.requireOneOf(answer, 'challengeResponse', ['EMAIL', 'TOTP']) === 'EMAIL') {
        return pendingStep(
          ctx,
          { ...pending, parameters: { mfaSetup: 'email' } },
          { signInStep: 'CONTINUE_SIGN_IN_WITH_EMAIL_SETUP' },
        );
      }
      const next: PendingChallenge = { ...pending, parameters: {} };
      const nextStep = await kit.totpSetupStep(ctx, next);
      return pendingStep(ctx, next, nextStep);
    }
    default:
      throw kit.unsupported(pending.challengeName);
  }
}

async function selectFirstFactor(
  ctx: SignInContext,
  kit: PasswordlessKit,
  pending: PendingChallenge,
  answer: string,
  metadata: Metadata,
): Promise<SignInResult> {
  const chosen = pending.parameters.chosen;
  if (chosen === 'PASSWORD') {
    return respond(ctx, kit, pending, 'SELECT_CHALLENGE', { ANSWER: 'PASSWORD', PASSWORD: answer }, metadata);
  }
  if (chosen === 'PASSWORD_SRP') {
    const srp = await kit.startSrp(ctx.userPoolId.split('_')[1] ?? '');
    let result = await send(
      ctx,
      kit,
      pending,
      'SELECT_CHALLENGE',
      { ANSWER: 'PASSWORD_SRP', SRP_A: srp.largeA },
      metadata,
    );
    if (result.ChallengeName === 'PASSWORD_VERIFIER') {
      result = await kit.verifyPassword(ctx, srp, answer, pending.username, result, metadata);
    }
    return kit.handleAnswer(ctx, result, pending.label ?? pending.username);
  }
  const choice = kit.requireOneOf(answer, 'challengeResponse', FIRST_FACTORS);
  if (choice === 'PASSWORD' || choice === 'PASSWORD_SRP') {
    // Cognito wants the password with the choice: ask for it first, nothing is sent yet.
    return pendingStep(
      ctx,
      { ...pending, parameters: { ...pending.parameters, chosen: choice } },
      { signInStep: 'CONFIRM_SIGN_IN_WITH_PASSWORD' },
    );
  }
  if (choice === 'WEB_AUTHN') await requireWebAuthn(kit);
  return respond(ctx, kit, pending, 'SELECT_CHALLENGE', { ANSWER: choice }, metadata);
}

/** RespondToAuthChallenge, with this storage's device key for the user when there is one. */
function send(
  ctx: SignInContext,
  kit: PasswordlessKit,
  pending: PendingChallenge,
  challengeName: string,
  responses: Record<string, string>,
  metadata: Metadata,
): Promise<ChallengeAnswer> {
  const challenge = { name: challengeName, username: pending.username, session: pending.session };
  return kit.respondWithDevice(ctx, challenge, responses, metadata);
}

async function respond(
  ctx: SignInContext,
  kit: PasswordlessKit,
  pending: PendingChallenge,
  challengeName: string,
  responses: Record<string, string>,
  metadata: Metadata,
): Promise<SignInResult> {
  const result = await send(ctx, kit, pending, challengeName, responses, metadata);
  return kit.handleAnswer(ctx, result, pending.label ?? pending.username);
}

/**
 * WEB_AUTHN: the browser asks the authenticator at once and the assertion answers the challenge.
 * Nothing is kept pending: a cancelled prompt ends this sign-in (the user signs in again and may
 * pick another factor), and a challenge session cannot be answered twice anyway.
 */
async function passkeyAnswer(
  ctx: SignInContext,
  kit: PasswordlessKit,
  pending: PendingChallenge,
  requestOptions: string,
  metadata: Metadata,
): Promise<SignInResult> {
  await ctx.store.clearPending();
  const { getCredential } = await import('./webauthn.js');
  const credential = await getCredential(kit.CognitoError, requestOptions);
  const result = await send(
    ctx,
    kit,
    pending,
    'WEB_AUTHN',
    { CREDENTIAL: JSON.stringify(credential) },
    metadata,
  );
  if (result.ChallengeName === 'WEB_AUTHN') {
    throw new kit.CognitoError('UnexpectedResponseException', 'Cognito asked for a second passkey in a row');
  }
  return kit.handleAnswer(ctx, result, pending.label ?? pending.username);
}

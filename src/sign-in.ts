import { CognitoError, invalidParameter } from './errors.js';
import type { Emitter } from './events.js';
import type { CoreLib } from './internal/core.js';
import type { Transport } from './internal/http.js';
import { startSrp } from './internal/srp.js';
import {
  optionalString,
  optionalStringRecord,
  requireOneOf,
  requireOptions,
  requireString,
} from './internal/validate.js';
import { AUTH_FLOWS } from './options.js';
import { type AuthenticationResult, tokensFrom } from './session.js';
import type { PendingChallenge, SessionStore } from './session-store.js';
import { storedDevice, withDevice } from './sign-in-device.js';
import { ATTRIBUTE_PREFIX, nextStepFor, requireParameter, unsupported } from './sign-in-steps.js';
import type { AuthFlow, ConfirmSignInInput, SignInInput, SignInResult } from './types.js';

/** What the sign-in state machine needs from its client. */
export interface SignInContext {
  userPoolId: string;
  /** Runtime helpers handed to the lazily loaded device and passwordless code. */
  lib: CoreLib;
  /** The client's default flow. */
  authFlow: AuthFlow;
  clientId: string;
  transport: Transport;
  store: SessionStore;
  events: Emitter;
  totpIssuer: string;
  /** How long a pending challenge is kept (Cognito's AuthSessionValidity). */
  challengeTtlMs: number;
  now: () => number;
  options: { deviceName: string | undefined };
}

/** Cognito's InitiateAuth / RespondToAuthChallenge answer. */
export interface ChallengeAnswer {
  ChallengeName?: string;
  /** USER_AUTH's SELECT_CHALLENGE: the first factors the user may choose from. */
  AvailableChallenges?: string[];
  ChallengeParameters?: Record<string, string>;
  Session?: string;
  AuthenticationResult?: AuthenticationResult & {
    NewDeviceMetadata?: { DeviceKey?: string; DeviceGroupKey?: string };
  };
}

// Never sent back with a new password: Cognito owns them (the raw library echoes them and fails).
const IMMUTABLE_ATTRIBUTES = new Set(['sub', 'email_verified', 'phone_number_verified']);
// A wrong code or a weak new password leaves the challenge open: the user may try again.
const KEEPS_CHALLENGE = new Set([
  'CodeMismatchException',
  'InvalidPasswordException',
  'InvalidParameterException',
  'EnableSoftwareTokenMFAException', // a mistyped TOTP set-up code: the set-up session stays valid
]);

// #region passwordless
// USER_AUTH and email MFA are handled in src/passwordless/, loaded only when in play.
function isPasswordless(name: string, parameters: Record<string, string>): boolean {
  // SELECT_CHALLENGE, EMAIL_OTP, SMS_OTP, WEB_AUTHN, and an MFA set-up that offers email
  return (
    /^(SELECT_CHALLENGE|EMAIL_OTP|SMS_OTP|WEB_AUTHN)$/.test(name) ||
    (name === 'MFA_SETUP' &&
      (parameters.mfaSetup !== undefined || /EMAIL_OTP/.test(parameters.MFAS_CAN_SETUP ?? '')))
  );
}
// #endregion passwordless

/** Validates a {@link SignInInput} against the client's default flow. */
function signInInput(ctx: SignInContext, input: SignInInput) {
  const o = requireOptions(input, 'input', ['username', 'password', 'authFlow', 'clientMetadata']);
  const authFlow = o.authFlow === undefined ? ctx.authFlow : requireOneOf(o.authFlow, 'authFlow', AUTH_FLOWS);
  return {
    username: requireString(o.username, 'username'),
    password:
      authFlow === 'CUSTOM_AUTH'
        ? optionalString(o.password, 'password')
        : requireString(o.password, 'password'),
    authFlow,
    clientMetadata: optionalStringRecord(o.clientMetadata, 'clientMetadata'),
  };
}

/** Runs the first step of a sign-in: InitiateAuth and, for SRP, the password verifier. */
export async function startSignIn(ctx: SignInContext, signIn: SignInInput): Promise<SignInResult> {
  // #region passwordless
  // USER_AUTH validates and runs in its own module.
  if (((signIn as { authFlow?: unknown } | null)?.authFlow ?? ctx.authFlow) === 'USER_AUTH') {
    return (await import('./passwordless/user-auth.js')).startUserAuth(ctx, signIn);
  }
  // #endregion passwordless
  const input = signInInput(ctx, signIn);
  await ctx.store.clearPending();
  const metadata = input.clientMetadata ? { ClientMetadata: input.clientMetadata } : {};
  try {
    const srp =
      input.authFlow === 'USER_SRP_AUTH' || (input.authFlow === 'CUSTOM_AUTH' && input.password !== undefined)
        ? await startSrp(ctx.userPoolId.split('_')[1] ?? '')
        : undefined;
    const parameters: Record<string, string> = { USERNAME: input.username };
    if (input.authFlow === 'USER_PASSWORD_AUTH') parameters.PASSWORD = input.password ?? '';
    if (srp) parameters.SRP_A = srp.largeA;
    if (srp && input.authFlow === 'CUSTOM_AUTH') parameters.CHALLENGE_NAME = 'SRP_A';
    // A password sent in the clear counts toward Cognito's lock-out when it arrives: send it once.
    const onceOnly = input.authFlow === 'USER_PASSWORD_AUTH';
    return await initiateAuth(ctx, input.authFlow, parameters, metadata, { ...input, srp, onceOnly });
  } catch (error) {
    return stepForError(error);
  }
}

type Metadata = { ClientMetadata?: Record<string, string> };
type Srp = Awaited<ReturnType<typeof startSrp>>;

/**
 * InitiateAuth with this storage's device key for the user when it has one (a key Cognito no
 * longer knows is dropped and the request sent once more without it), the SRP password verifier
 * when Cognito asks for it, then the answer's step. Every flow starts here: USER_SRP_AUTH,
 * USER_PASSWORD_AUTH, CUSTOM_AUTH, and USER_AUTH from src/passwordless/.
 */
export async function initiateAuth(
  ctx: SignInContext,
  authFlow: AuthFlow,
  parameters: Record<string, string>,
  metadata: Metadata,
  user: { username: string; password: string | undefined; srp: Srp | undefined; onceOnly: boolean },
): Promise<SignInResult> {
  const initiate = (deviceKey: string | undefined) =>
    ctx.transport.send<ChallengeAnswer>(
      'InitiateAuth',
      {
        AuthFlow: authFlow,
        ClientId: ctx.clientId,
        AuthParameters: deviceKey ? { ...parameters, DEVICE_KEY: deviceKey } : parameters,
        ...metadata,
      },
      { onceOnly: user.onceOnly },
    );
  let { answer, device } = await withDevice(ctx, await storedDevice(ctx, user.username), initiate);
  if (answer.ChallengeName === 'PASSWORD_VERIFIER') {
    answer = await verifyPassword(ctx, user.srp, user.password, user.username, answer, metadata, device);
  }
  return await handleAnswer(ctx, answer, user.username);
}

/**
 * RespondToAuthChallenge naming this storage's device for `challenge.username`, when it has one
 * ("Include a DEVICE_KEY for device authentication", ChallengeResponseType): Cognito binds the
 * tokens to the device the final answer names, and to a NEW device when it names none. A key
 * Cognito no longer knows is dropped and the answer sent again without it: Cognito refuses the key
 * before it reads the answer (the raw library resends PASSWORD_VERIFIER with the same Session and
 * claim after 'Device does not exist'), so a code is not spent; were it spent after all, the resend
 * fails and nothing more is lost. `known`: the device already found for this sign-in.
 */
export async function respondWithDevice(
  ctx: SignInContext,
  challenge: { name: string; username: string; session: string | undefined },
  responses: Record<string, string>,
  metadata: Metadata,
  known?: Awaited<ReturnType<typeof storedDevice>>,
): Promise<ChallengeAnswer> {
  const respond = (deviceKey: string | undefined) =>
    ctx.transport.send<ChallengeAnswer>('RespondToAuthChallenge', {
      ChallengeName: challenge.name,
      ClientId: ctx.clientId,
      ChallengeResponses: {
        USERNAME: challenge.username,
        ...responses,
        ...(deviceKey ? { DEVICE_KEY: deviceKey } : {}),
      },
      ...(challenge.session ? { Session: challenge.session } : {}),
      ...metadata,
    });
  const device = known ?? (await storedDevice(ctx, challenge.username));
  return (await withDevice(ctx, device, respond)).answer;
}

/** Amplify v6 turns these two errors into next steps; so do we. Anything else is rethrown. */
export function stepForError(error: unknown): SignInResult {
  if (error instanceof CognitoError && error.code === 'UserNotConfirmedException') {
    return { isSignedIn: false, nextStep: { signInStep: 'CONFIRM_SIGN_UP' } };
  }
  if (error instanceof CognitoError && error.code === 'PasswordResetRequiredException') {
    return { isSignedIn: false, nextStep: { signInStep: 'RESET_PASSWORD' } };
  }
  throw error;
}

/** Answers PASSWORD_VERIFIER with the SRP claim (USER_SRP_AUTH, CUSTOM_AUTH, USER_AUTH's PASSWORD_SRP). */
export async function verifyPassword(
  ctx: SignInContext,
  srp: Srp | undefined,
  password: string | undefined,
  username: string,
  answer: ChallengeAnswer,
  metadata: Metadata,
  known?: Awaited<ReturnType<typeof storedDevice>>,
): Promise<ChallengeAnswer> {
  if (!srp || password === undefined) throw unsupported('PASSWORD_VERIFIER');
  const challenge = answer.ChallengeParameters ?? {};
  const userIdForSrp = challenge.USER_ID_FOR_SRP ?? challenge.USERNAME ?? username;
  const claim = await srp.claim({
    userIdForSrp,
    password,
    srpB: requireParameter(challenge, 'SRP_B'),
    salt: requireParameter(challenge, 'SALT'),
    secretBlock: requireParameter(challenge, 'SECRET_BLOCK'),
  });
  // Only now is the canonical username known: a device the raw library stored under it counts too.
  const verifier = { name: 'PASSWORD_VERIFIER', username: userIdForSrp, session: answer.Session };
  return respondWithDevice(ctx, verifier, { ...claim }, metadata, known);
}

/** Answers the pending challenge, which may have been stored by another client on the same storage. */
export async function answerChallenge(
  ctx: SignInContext,
  confirm: ConfirmSignInInput,
): Promise<SignInResult> {
  const o = requireOptions(confirm, 'input', [
    'challengeResponse',
    'userAttributes',
    'friendlyDeviceName',
    'clientMetadata',
  ]);
  const answer = requireString(o.challengeResponse, 'challengeResponse');
  const input = {
    userAttributes: optionalStringRecord(o.userAttributes, 'userAttributes'),
    friendlyDeviceName: optionalString(o.friendlyDeviceName, 'friendlyDeviceName'),
    clientMetadata: optionalStringRecord(o.clientMetadata, 'clientMetadata'),
  };
  let pending = await ctx.store.readPending(ctx.now());
  if (!pending)
    throw new CognitoError('NoPendingChallengeException', 'There is no sign-in challenge to answer');
  const { challengeName } = pending;
  const responses: Record<string, string> = { USERNAME: pending.username };
  let session = pending.session;
  try {
    // #region passwordless
    // USER_AUTH's challenges and the email MFA set-up are answered by their module.
    if (isPasswordless(challengeName, pending.parameters)) {
      const passwordless = await import('./passwordless/user-auth.js');
      return await passwordless.answerPasswordless(ctx, pending, answer, input);
    }
    // #endregion passwordless
    switch (pending.challengeName) {
      case 'NEW_PASSWORD_REQUIRED':
        responses.NEW_PASSWORD = answer;
        for (const [name, value] of Object.entries(input.userAttributes ?? {})) {
          if (IMMUTABLE_ATTRIBUTES.has(name))
            throw invalidParameter(`userAttributes.${name} cannot be set by the user`);
          responses[ATTRIBUTE_PREFIX + name] = value;
        }
        break;
      case 'SMS_MFA':
        responses.SMS_MFA_CODE = answer;
        break;
      case 'SOFTWARE_TOKEN_MFA':
        responses.SOFTWARE_TOKEN_MFA_CODE = answer;
        break;
      case 'SELECT_MFA_TYPE': {
        const choice = requireOneOf(answer, 'challengeResponse', ['SMS', 'TOTP', 'EMAIL']);
        responses.ANSWER =
          choice === 'SMS' ? 'SMS_MFA' : choice === 'TOTP' ? 'SOFTWARE_TOKEN_MFA' : 'EMAIL_OTP';
        break;
      }
      case 'CUSTOM_CHALLENGE':
        responses.ANSWER = answer;
        break;
      case 'MFA_SETUP': {
        if (pending.parameters.verified === 'true') break; // a retry after RespondToAuthChallenge failed
        const verified = await ctx.transport.send<{ Status?: string; Session?: string }>(
          'VerifySoftwareToken',
          {
            Session: session,
            UserCode: answer,
            ...(input.friendlyDeviceName ? { FriendlyDeviceName: input.friendlyDeviceName } : {}),
          },
        );
        if (verified.Status !== 'SUCCESS') {
          throw new CognitoError('EnableSoftwareTokenMFAException', 'The TOTP code was not accepted');
        }
        session = verified.Session ?? session;
        // The old session is spent: keep the new one, so that a retry does not verify again.
        pending = { ...pending, session, parameters: { verified: 'true' } };
        await ctx.store.writePending(pending);
        break;
      }
      default:
        throw unsupported(pending.challengeName);
    }
    const result = await respondWithDevice(
      ctx,
      { name: challengeName, username: pending.username, session },
      responses,
      input.clientMetadata ? { ClientMetadata: input.clientMetadata } : {},
    );
    return await handleAnswer(ctx, result, pending.label ?? pending.username);
  } catch (error) {
    const keep = error instanceof CognitoError && (error.retryable || KEEPS_CHALLENGE.has(error.code));
    // Clear only the challenge we answered: a concurrent answer may already have stored the next one.
    if (!keep && (await ctx.store.readPending(ctx.now()).catch(() => null))?.session === pending.session) {
      await ctx.store.clearPending();
    }
    throw error;
  }
}

/**
 * Cognito's answer → stored session and `DONE`, or a stored challenge and its typed next step.
 * `loginId` is the name the user typed (kept for display; Cognito's USERNAME is the canonical one).
 */
export async function handleAnswer(
  ctx: SignInContext,
  answer: ChallengeAnswer,
  loginId: string,
): Promise<SignInResult> {
  if (answer.ChallengeName === 'DEVICE_SRP_AUTH') {
    // A confirmed device proves itself; the caller never sees these two steps.
    const devices = await import('./devices/index.js');
    return handleAnswer(ctx, await devices.answerDeviceSrp<ChallengeAnswer>(ctx, answer, loginId), loginId);
  }
  if (answer.AuthenticationResult) {
    const tokens = tokensFrom(answer.AuthenticationResult);
    // Exclusive with a refresh's write and an expiry's clear on the same storage.
    const stored = await ctx.store.exclusive(async () =>
      ctx.store.write(tokens, ctx.now(), await ctx.store.read().catch(() => null), loginId),
    );
    await ctx.store.clearPending();
    const newDevice = answer.AuthenticationResult.NewDeviceMetadata;
    const deviceError = newDevice
      ? await (await import('./devices/index.js')).confirmNewDevice(ctx, stored, newDevice, loginId)
      : undefined;
    ctx.events.emit('signedIn', stored.session);
    return {
      isSignedIn: true,
      nextStep: { signInStep: 'DONE' },
      session: stored.session,
      ...(deviceError ? { deviceError } : {}),
    };
  }
  const name = answer.ChallengeName;
  if (!name || !answer.Session) {
    throw new CognitoError(
      'UnexpectedResponseException',
      'Cognito answered with neither tokens nor a challenge',
    );
  }
  const parameters = answer.ChallengeParameters ?? {};
  const pending: PendingChallenge = {
    challengeName: name,
    session: answer.Session,
    username: parameters.USERNAME ?? parameters.USER_ID_FOR_SRP ?? loginId,
    parameters: {},
    expiresAt: ctx.now() + ctx.challengeTtlMs,
    label: loginId,
  };
  // #region passwordless
  // Its steps (and a passkey's ceremony) come from its own module.
  if (isPasswordless(name, parameters)) {
    const passwordless = await import('./passwordless/user-auth.js');
    return passwordless.passwordlessResult(ctx, pending, parameters, answer);
  }
  // #endregion passwordless
  const nextStep = await nextStepFor(ctx, pending, parameters);
  await ctx.store.writePending(pending);
  return { isSignedIn: false, nextStep };
}

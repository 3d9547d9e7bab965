// Operations for a user who is not signed in: sign-up and its confirmation, password reset. Each
// validates its input, then sends exactly one request.
import { type CodeDeliveryDetails, toCodeDelivery } from './code-delivery.js';
import { CognitoError, invalidParameter } from './errors.js';
import type { Transport } from './internal/http.js';
import { optionalString, optionalStringRecord, requireOptions, requireString } from './internal/validate.js';
import type { SessionStore } from './session-store.js';
import type { SignInContext } from './sign-in.js';
import type { CodeDelivery, ConfirmSignUpResult, SignUpInput, SignUpResult } from './types.js';

/** What the registration operations need from their client. */
export interface RegistrationContext {
  clientId: string;
  transport: Transport;
  store: SessionStore;
}

/** Cognito's `[{ Name, Value }]` from a plain record. */
export function toAttributeList(record: Record<string, string>): { Name: string; Value: string }[] {
  return Object.entries(record).map(([Name, Value]) => ({ Name, Value }));
}

export async function signUp(ctx: SignInContext, input: SignUpInput): Promise<SignUpResult> {
  const o = requireOptions(input, 'input', [
    'username',
    'password',
    'autoSignIn',
    'attributes',
    'clientMetadata',
    'validationData',
  ]);
  const validationData = optionalStringRecord(o.validationData, 'validationData');
  const clientMetadata = optionalStringRecord(o.clientMetadata, 'clientMetadata');
  if (o.autoSignIn !== undefined && o.autoSignIn !== true) throw invalidParameter('autoSignIn must be true');
  // Passwordless pools register users without one.
  const password = optionalString(o.password, 'password');
  const username = requireString(o.username, 'username');
  const body = {
    ClientId: ctx.clientId,
    Username: username,
    ...(password === undefined ? {} : { Password: password }),
    UserAttributes: toAttributeList(optionalStringRecord(o.attributes, 'attributes') ?? {}),
    ...(validationData ? { ValidationData: toAttributeList(validationData) } : {}),
    ...(clientMetadata ? { ClientMetadata: clientMetadata } : {}),
  };
  const answer = await ctx.transport.send<{
    UserConfirmed?: boolean;
    UserSub?: string;
    CodeDeliveryDetails?: CodeDeliveryDetails;
    Session?: string;
  }>('SignUp', body);
  if (typeof answer.UserSub !== 'string') {
    throw new CognitoError('UnexpectedResponseException', 'Cognito answered SignUp without UserSub');
  }
  const result: SignUpResult = { userConfirmed: answer.UserConfirmed === true, userSub: answer.UserSub };
  if (answer.CodeDeliveryDetails?.Destination)
    result.codeDelivery = toCodeDelivery(answer.CodeDeliveryDetails);
  // passwordless: sign-in after confirmation keeps SignUp's session in the storage
  if (o.autoSignIn) {
    const auto = await import('./passwordless/auto-sign-in.js');
    await auto.rememberSignUp(ctx, username, answer.Session);
  }
  return result;
}

export async function confirmSignUp(
  ctx: SignInContext,
  input: { username: string; code: string },
): Promise<ConfirmSignUpResult | undefined> {
  const o = requireOptions(input, 'input', ['username', 'code']);
  const username = requireString(o.username, 'username');
  const code = requireString(o.code, 'code');
  // passwordless: a signUp with autoSignIn left its session in the storage (one key read)
  if (await ctx.store.readExtra('autoSignIn')) {
    const auto = await import('./passwordless/auto-sign-in.js');
    const result = await auto.confirmAndSignIn(ctx, { username, code });
    if (result !== null) return result;
  }
  await ctx.transport.send('ConfirmSignUp', {
    ClientId: ctx.clientId,
    Username: username,
    ConfirmationCode: code,
  });
  return undefined;
}

export async function resendSignUpCode(
  ctx: RegistrationContext,
  input: { username: string },
): Promise<CodeDelivery> {
  const o = requireOptions(input, 'input', ['username']);
  const answer = await ctx.transport.send<{ CodeDeliveryDetails?: CodeDeliveryDetails }>(
    'ResendConfirmationCode',
    { ClientId: ctx.clientId, Username: requireString(o.username, 'username') },
  );
  return toCodeDelivery(answer.CodeDeliveryDetails);
}

export async function forgotPassword(
  ctx: RegistrationContext,
  input: { username: string },
): Promise<CodeDelivery> {
  const o = requireOptions(input, 'input', ['username']);
  const answer = await ctx.transport.send<{ CodeDeliveryDetails?: CodeDeliveryDetails }>('ForgotPassword', {
    ClientId: ctx.clientId,
    Username: requireString(o.username, 'username'),
  });
  return toCodeDelivery(answer.CodeDeliveryDetails);
}

export async function confirmForgotPassword(
  ctx: RegistrationContext,
  input: { username: string; code: string; newPassword: string },
): Promise<void> {
  const o = requireOptions(input, 'input', ['username', 'code', 'newPassword']);
  await ctx.transport.send('ConfirmForgotPassword', {
    ClientId: ctx.clientId,
    Username: requireString(o.username, 'username'),
    ConfirmationCode: requireString(o.code, 'code'),
    Password: requireString(o.newPassword, 'newPassword'),
  });
}

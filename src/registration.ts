// Operations for a user who is not signed in: sign-up and its confirmation, password reset. Each
// validates its input, then sends exactly one request.
import { type CodeDeliveryDetails, toCodeDelivery } from './code-delivery.js';
import { CognitoError } from './errors.js';
import type { Transport } from './internal/http.js';
import { optionalStringRecord, requireOptions, requireString } from './internal/validate.js';
import type { CodeDelivery, SignUpInput, SignUpResult } from './types.js';

/** What the registration operations need from their client. */
export interface RegistrationContext {
  clientId: string;
  transport: Transport;
}

/** Cognito's `[{ Name, Value }]` from a plain record. */
export function toAttributeList(record: Record<string, string>): { Name: string; Value: string }[] {
  return Object.entries(record).map(([Name, Value]) => ({ Name, Value }));
}

export async function signUp(ctx: RegistrationContext, input: SignUpInput): Promise<SignUpResult> {
  const o = requireOptions(input, 'input', [
    'username',
    'password',
    'attributes',
    'clientMetadata',
    'validationData',
  ]);
  const validationData = optionalStringRecord(o.validationData, 'validationData');
  const clientMetadata = optionalStringRecord(o.clientMetadata, 'clientMetadata');
  const body = {
    ClientId: ctx.clientId,
    Username: requireString(o.username, 'username'),
    Password: requireString(o.password, 'password'),
    UserAttributes: toAttributeList(optionalStringRecord(o.attributes, 'attributes') ?? {}),
    ...(validationData ? { ValidationData: toAttributeList(validationData) } : {}),
    ...(clientMetadata ? { ClientMetadata: clientMetadata } : {}),
  };
  const answer = await ctx.transport.send<{
    UserConfirmed?: boolean;
    UserSub?: string;
    CodeDeliveryDetails?: CodeDeliveryDetails;
  }>('SignUp', body);
  if (typeof answer.UserSub !== 'string') {
    throw new CognitoError('UnexpectedResponseException', 'Cognito answered SignUp without UserSub');
  }
  const result: SignUpResult = { userConfirmed: answer.UserConfirmed === true, userSub: answer.UserSub };
  if (answer.CodeDeliveryDetails?.Destination)
    result.codeDelivery = toCodeDelivery(answer.CodeDeliveryDetails);
  return result;
}

export async function confirmSignUp(
  ctx: RegistrationContext,
  input: { username: string; code: string },
): Promise<void> {
  const o = requireOptions(input, 'input', ['username', 'code']);
  await ctx.transport.send('ConfirmSignUp', {
    ClientId: ctx.clientId,
    Username: requireString(o.username, 'username'),
    ConfirmationCode: requireString(o.code, 'code'),
  });
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

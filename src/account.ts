// The single-request operations: registration, attributes, passwords, MFA settings. Each takes
// validated input and sends exactly one request (plus a session read for the access token).
import { CognitoError } from './errors.js';
import type { Transport } from './internal/http.js';
import type { SessionManager } from './session.js';
import type { CodeDelivery, MfaSetting, SignUpResult, UpdateAttributesResult } from './types.js';

/** What the account operations need from their client. */
export interface AccountContext {
  clientId: string;
  transport: Transport;
  sessions: SessionManager;
}

interface CodeDeliveryDetails {
  Destination?: string;
  DeliveryMedium?: string;
  AttributeName?: string;
}

type AttributeList = { Name: string; Value: string }[];

/** Cognito's `[{ Name, Value }]` from a plain record. */
export function toAttributeList(record: Record<string, string>): AttributeList {
  return Object.entries(record).map(([Name, Value]) => ({ Name, Value }));
}

/** Our {@link CodeDelivery} from Cognito's `CodeDeliveryDetails`. */
export function toCodeDelivery(details: CodeDeliveryDetails | undefined): CodeDelivery {
  if (typeof details?.Destination !== 'string' || details.Destination === '') {
    throw new CognitoError('UnexpectedResponseException', 'Cognito answered without CodeDeliveryDetails');
  }
  return {
    destination: details.Destination,
    deliveryMedium: details.DeliveryMedium === 'SMS' ? 'SMS' : 'EMAIL',
    attributeName:
      typeof details.AttributeName === 'string'
        ? details.AttributeName
        : details.DeliveryMedium === 'SMS'
          ? 'phone_number'
          : 'email',
  };
}

/** The current access token, refreshed when needed. */
export async function accessToken(ctx: AccountContext): Promise<string> {
  const session = await ctx.sessions.get();
  if (!session) throw new CognitoError('NotSignedInException', 'Nobody is signed in', { retryable: false });
  return session.accessToken;
}

function metadata(clientMetadata: Record<string, string> | undefined): {
  ClientMetadata?: Record<string, string>;
} {
  return clientMetadata ? { ClientMetadata: clientMetadata } : {};
}

export async function signUp(
  ctx: AccountContext,
  input: {
    username: string;
    password: string;
    attributes?: Record<string, string> | undefined;
    clientMetadata?: Record<string, string> | undefined;
    validationData?: Record<string, string> | undefined;
  },
): Promise<SignUpResult> {
  const answer = await ctx.transport.send<{
    UserConfirmed?: boolean;
    UserSub?: string;
    CodeDeliveryDetails?: CodeDeliveryDetails;
  }>('SignUp', {
    ClientId: ctx.clientId,
    Username: input.username,
    Password: input.password,
    UserAttributes: toAttributeList(input.attributes ?? {}),
    ...(input.validationData ? { ValidationData: toAttributeList(input.validationData) } : {}),
    ...metadata(input.clientMetadata),
  });
  if (typeof answer.UserSub !== 'string') {
    throw new CognitoError('UnexpectedResponseException', 'Cognito answered SignUp without UserSub');
  }
  const result: SignUpResult = { userConfirmed: answer.UserConfirmed === true, userSub: answer.UserSub };
  if (answer.CodeDeliveryDetails?.Destination)
    result.codeDelivery = toCodeDelivery(answer.CodeDeliveryDetails);
  return result;
}

export async function confirmSignUp(ctx: AccountContext, username: string, code: string): Promise<void> {
  await ctx.transport.send('ConfirmSignUp', {
    ClientId: ctx.clientId,
    Username: username,
    ConfirmationCode: code,
  });
}

export async function resendSignUpCode(ctx: AccountContext, username: string): Promise<CodeDelivery> {
  const answer = await ctx.transport.send<{ CodeDeliveryDetails?: CodeDeliveryDetails }>(
    'ResendConfirmationCode',
    {
      ClientId: ctx.clientId,
      Username: username,
    },
  );
  return toCodeDelivery(answer.CodeDeliveryDetails);
}

export async function forgotPassword(ctx: AccountContext, username: string): Promise<CodeDelivery> {
  const answer = await ctx.transport.send<{ CodeDeliveryDetails?: CodeDeliveryDetails }>('ForgotPassword', {
    ClientId: ctx.clientId,
    Username: username,
  });
  return toCodeDelivery(answer.CodeDeliveryDetails);
}

export async function confirmForgotPassword(
  ctx: AccountContext,
  input: { username: string; code: string; newPassword: string },
): Promise<void> {
  await ctx.transport.send('ConfirmForgotPassword', {
    ClientId: ctx.clientId,
    Username: input.username,
    ConfirmationCode: input.code,
    Password: input.newPassword,
  });
}

export async function getUserAttributes(ctx: AccountContext): Promise<Record<string, string>> {
  const answer = await ctx.transport.send<{ UserAttributes?: AttributeList }>('GetUser', {
    AccessToken: await accessToken(ctx),
  });
  // Only well-formed { Name, Value } string pairs: the result is typed Record<string, string>.
  return Object.fromEntries(
    (answer.UserAttributes ?? []).flatMap((item) =>
      typeof item?.Name === 'string' && typeof item.Value === 'string' ? [[item.Name, item.Value]] : [],
    ),
  );
}

export async function updateAttributes(
  ctx: AccountContext,
  attributes: Record<string, string>,
): Promise<UpdateAttributesResult> {
  const token = await accessToken(ctx);
  const answer = await ctx.transport.send<{ CodeDeliveryDetailsList?: CodeDeliveryDetails[] }>(
    'UpdateUserAttributes',
    { AccessToken: token, UserAttributes: toAttributeList(attributes) },
  );
  await ctx.sessions.markClaimsStale(token);
  const pending = new Map(
    (answer.CodeDeliveryDetailsList ?? []).map((details) => [details.AttributeName, details]),
  );
  const result: UpdateAttributesResult = {};
  for (const name of Object.keys(attributes)) {
    const details = pending.get(name);
    result[name] = details
      ? { isUpdated: false, codeDelivery: toCodeDelivery(details) }
      : { isUpdated: true };
  }
  return result;
}

export async function sendAttributeVerificationCode(
  ctx: AccountContext,
  name: string,
): Promise<CodeDelivery> {
  const answer = await ctx.transport.send<{ CodeDeliveryDetails?: CodeDeliveryDetails }>(
    'GetUserAttributeVerificationCode',
    { AccessToken: await accessToken(ctx), AttributeName: name },
  );
  return toCodeDelivery(answer.CodeDeliveryDetails);
}

export async function verifyAttribute(ctx: AccountContext, name: string, code: string): Promise<void> {
  const token = await accessToken(ctx);
  await ctx.transport.send('VerifyUserAttribute', { AccessToken: token, AttributeName: name, Code: code });
  await ctx.sessions.markClaimsStale(token);
}

export async function deleteAttributes(ctx: AccountContext, names: string[]): Promise<void> {
  const token = await accessToken(ctx);
  await ctx.transport.send('DeleteUserAttributes', { AccessToken: token, UserAttributeNames: names });
  await ctx.sessions.markClaimsStale(token);
}

export async function changePassword(
  ctx: AccountContext,
  oldPassword: string,
  newPassword: string,
): Promise<void> {
  await ctx.transport.send('ChangePassword', {
    AccessToken: await accessToken(ctx),
    PreviousPassword: oldPassword,
    ProposedPassword: newPassword,
  });
}

export async function setUpTotp(ctx: AccountContext): Promise<{ secretCode: string; token: string }> {
  const token = await accessToken(ctx);
  const answer = await ctx.transport.send<{ SecretCode?: string }>('AssociateSoftwareToken', {
    AccessToken: token,
  });
  if (!answer.SecretCode)
    throw new CognitoError('UnexpectedResponseException', 'Cognito answered without a TOTP secret');
  return { secretCode: answer.SecretCode, token };
}

export async function verifyTotpSetup(
  ctx: AccountContext,
  code: string,
  friendlyDeviceName?: string,
): Promise<void> {
  const answer = await ctx.transport.send<{ Status?: string }>('VerifySoftwareToken', {
    AccessToken: await accessToken(ctx),
    UserCode: code,
    ...(friendlyDeviceName ? { FriendlyDeviceName: friendlyDeviceName } : {}),
  });
  if (answer.Status !== 'SUCCESS') {
    throw new CognitoError('EnableSoftwareTokenMFAException', 'The TOTP code was not accepted');
  }
}

function mfaSettings(
  setting: MfaSetting | undefined,
): { Enabled: boolean; PreferredMfa: boolean } | undefined {
  return setting === undefined
    ? undefined
    : { Enabled: setting !== 'DISABLED', PreferredMfa: setting === 'PREFERRED' };
}

export async function setMfaPreference(
  ctx: AccountContext,
  totp?: MfaSetting,
  sms?: MfaSetting,
): Promise<void> {
  const body: Record<string, unknown> = { AccessToken: await accessToken(ctx) };
  if (totp) body.SoftwareTokenMfaSettings = mfaSettings(totp);
  if (sms) body.SMSMfaSettings = mfaSettings(sms);
  await ctx.transport.send('SetUserMFAPreference', body);
}

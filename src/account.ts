// The signed-in user's single-request operations: attributes, password, MFA settings. Each
// validates its input, reads the session for the access token (refreshed when due), and sends
// exactly one request.
import { type CodeDeliveryDetails, toCodeDelivery } from './code-delivery.js';
import { CognitoError, invalidParameter } from './errors.js';
import type { Transport } from './internal/http.js';
import {
  optionalString,
  requireOneOf,
  requireOptions,
  requireString,
  requireStringRecord,
} from './internal/validate.js';
import { toAttributeList } from './registration.js';
import type { SessionManager } from './session.js';
import type { SessionStore } from './session-store.js';
import { otpauthUri, totpLabel } from './totp.js';
import type { CodeDelivery, MfaSetting, TotpSetup, UpdateAttributesResult } from './types.js';

/** What the account operations need from their client. */
export interface AccountContext {
  clientId: string;
  transport: Transport;
  sessions: SessionManager;
  store: SessionStore;
  totpIssuer: string;
}

type AttributeList = { Name: string; Value: string }[];

const MFA_SETTINGS: readonly MfaSetting[] = ['PREFERRED', 'ENABLED', 'DISABLED'];

/** The current access token, refreshed when needed. */
export async function accessToken(ctx: { sessions: SessionManager }): Promise<string> {
  const session = await ctx.sessions.get();
  if (!session) throw new CognitoError('NotSignedInException', 'Nobody is signed in', { retryable: false });
  return session.accessToken;
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
  input: Record<string, string>,
): Promise<UpdateAttributesResult> {
  const attributes = requireStringRecord(input, 'attributes', { allowEmpty: false });
  const token = await accessToken(ctx);
  // Sends a code when an email or phone number changes: once only, like every code-sending call.
  const answer = await ctx.transport.send<{ CodeDeliveryDetailsList?: CodeDeliveryDetails[] }>(
    'UpdateUserAttributes',
    { AccessToken: token, UserAttributes: toAttributeList(attributes) },
  );
  await ctx.sessions.markClaimsStale(token);
  const pending = new Map(
    (answer.CodeDeliveryDetailsList ?? []).map((details) => [details.AttributeName, details]),
  );
  // Object.fromEntries defines own entries: a name like "__proto__" never reaches the prototype.
  return Object.fromEntries(
    Object.keys(attributes).map((name) => {
      const details = pending.get(name);
      return [
        name,
        details ? { isUpdated: false, codeDelivery: toCodeDelivery(details) } : { isUpdated: true },
      ];
    }),
  );
}

export async function sendAttributeVerificationCode(
  ctx: AccountContext,
  name: string,
): Promise<CodeDelivery> {
  const attribute = requireString(name, 'name');
  const answer = await ctx.transport.send<{ CodeDeliveryDetails?: CodeDeliveryDetails }>(
    'GetUserAttributeVerificationCode',
    { AccessToken: await accessToken(ctx), AttributeName: attribute },
  );
  return toCodeDelivery(answer.CodeDeliveryDetails);
}

export async function verifyAttribute(
  ctx: AccountContext,
  input: { name: string; code: string },
): Promise<void> {
  const o = requireOptions(input, 'input', ['name', 'code']);
  const name = requireString(o.name, 'name');
  const code = requireString(o.code, 'code');
  const token = await accessToken(ctx);
  await ctx.transport.send('VerifyUserAttribute', { AccessToken: token, AttributeName: name, Code: code });
  await ctx.sessions.markClaimsStale(token);
}

export async function deleteAttributes(ctx: AccountContext, input: string[]): Promise<void> {
  if (!Array.isArray(input) || input.length === 0) throw invalidParameter('names must be a non-empty array');
  // Array.from visits holes, so a sparse array is rejected rather than sent with nulls.
  const names = Array.from(input, (name, index) => requireString(name, `names[${index}]`));
  const token = await accessToken(ctx);
  await ctx.transport.send('DeleteUserAttributes', { AccessToken: token, UserAttributeNames: names });
  await ctx.sessions.markClaimsStale(token);
}

export async function changePassword(
  ctx: AccountContext,
  input: { oldPassword: string; newPassword: string },
): Promise<void> {
  const o = requireOptions(input, 'input', ['oldPassword', 'newPassword']);
  const previous = requireString(o.oldPassword, 'oldPassword');
  const proposed = requireString(o.newPassword, 'newPassword');
  await ctx.transport.send('ChangePassword', {
    AccessToken: await accessToken(ctx),
    PreviousPassword: previous,
    ProposedPassword: proposed,
  });
}

/** AssociateSoftwareToken, and the `otpauth://` URI under the same label as a sign-in's TOTP set-up. */
export async function setUpTotp(ctx: AccountContext): Promise<TotpSetup> {
  const answer = await ctx.transport.send<{ SecretCode?: string }>('AssociateSoftwareToken', {
    AccessToken: await accessToken(ctx),
  });
  if (!answer.SecretCode)
    throw new CognitoError('UnexpectedResponseException', 'Cognito answered without a TOTP secret');
  const stored = await ctx.store.read();
  const label = totpLabel(stored?.loginId, stored?.session.username ?? '');
  return { secretCode: answer.SecretCode, otpauthUri: otpauthUri(ctx.totpIssuer, label, answer.SecretCode) };
}

export async function verifyTotpSetup(
  ctx: AccountContext,
  input: { code: string; friendlyDeviceName?: string },
): Promise<void> {
  const o = requireOptions(input, 'input', ['code', 'friendlyDeviceName']);
  const code = requireString(o.code, 'code');
  const friendlyDeviceName = optionalString(o.friendlyDeviceName, 'friendlyDeviceName');
  const answer = await ctx.transport.send<{ Status?: string }>('VerifySoftwareToken', {
    AccessToken: await accessToken(ctx),
    UserCode: code,
    ...(friendlyDeviceName ? { FriendlyDeviceName: friendlyDeviceName } : {}),
  });
  if (answer.Status !== 'SUCCESS') {
    throw new CognitoError('EnableSoftwareTokenMFAException', 'The TOTP code was not accepted');
  }
}

function mfaSettings(setting: MfaSetting): { Enabled: boolean; PreferredMfa: boolean } {
  return { Enabled: setting !== 'DISABLED', PreferredMfa: setting === 'PREFERRED' };
}

export async function setMfaPreference(
  ctx: AccountContext,
  input: { totp?: MfaSetting; sms?: MfaSetting; email?: MfaSetting },
): Promise<void> {
  const o = requireOptions(input, 'input', ['totp', 'sms', 'email']);
  const body: Record<string, unknown> = {};
  if (o.totp !== undefined)
    body.SoftwareTokenMfaSettings = mfaSettings(requireOneOf(o.totp, 'totp', MFA_SETTINGS));
  if (o.sms !== undefined) body.SMSMfaSettings = mfaSettings(requireOneOf(o.sms, 'sms', MFA_SETTINGS));
  if (o.email !== undefined)
    body.EmailMfaSettings = mfaSettings(requireOneOf(o.email, 'email', MFA_SETTINGS));
  if (Object.keys(body).length === 0) throw invalidParameter('input must set totp, sms or email');
  await ctx.transport.send('SetUserMFAPreference', { AccessToken: await accessToken(ctx), ...body });
}

// The signed-in user's passkeys: register (StartWebAuthnRegistration → navigator.credentials.create
// → CompleteWebAuthnRegistration), list, delete. Loaded on first use of one of them; the browser
// ceremony (webauthn.ts) only when a passkey is registered. The core's helpers come from
// `core.lib` (kit.ts: this chunk imports no core module).
import type { ClientCore } from '../internal/core.js';
import { kitOf, type PasswordlessKit } from './kit.js';
import type { ListPasskeysInput, ListPasskeysResult, Passkey } from './types.js';

interface CognitoCredential {
  CredentialId?: unknown;
  FriendlyCredentialName?: unknown;
  RelyingPartyId?: unknown;
  AuthenticatorAttachment?: unknown;
  AuthenticatorTransports?: unknown;
  CreatedAt?: unknown;
}

/** The access token, refreshed when due (account.ts's accessToken, without importing it). */
async function accessToken(core: ClientCore, kit: PasswordlessKit): Promise<string> {
  const session = await core.sessions.get();
  if (!session)
    throw new kit.CognitoError('NotSignedInException', 'Nobody is signed in', { retryable: false });
  return session.accessToken;
}

export async function registerPasskey(core: ClientCore): Promise<void> {
  const kit = kitOf(core.lib);
  const { createCredential, requireWebAuthn } = await import('./webauthn.js');
  requireWebAuthn(kit.CognitoError);
  const token = await accessToken(core, kit);
  const started = await core.transport.send<{ CredentialCreationOptions?: unknown }>(
    'StartWebAuthnRegistration',
    { AccessToken: token },
  );
  if (started.CredentialCreationOptions === undefined) {
    throw new kit.CognitoError(
      'UnexpectedResponseException',
      'Cognito answered without CredentialCreationOptions',
    );
  }
  const credential = await createCredential(kit.CognitoError, started.CredentialCreationOptions);
  await core.transport.send('CompleteWebAuthnRegistration', { AccessToken: token, Credential: credential });
}

function toPasskey(item: CognitoCredential): Passkey[] {
  if (typeof item?.CredentialId !== 'string' || typeof item.RelyingPartyId !== 'string') return [];
  const created =
    typeof item.CreatedAt === 'number' ? item.CreatedAt * 1000 : Date.parse(String(item.CreatedAt));
  const passkey: Passkey = {
    credentialId: item.CredentialId,
    relyingPartyId: item.RelyingPartyId,
    createdAt: new Date(created),
  };
  if (typeof item.FriendlyCredentialName === 'string') passkey.friendlyName = item.FriendlyCredentialName;
  if (typeof item.AuthenticatorAttachment === 'string')
    passkey.authenticatorAttachment = item.AuthenticatorAttachment;
  if (Array.isArray(item.AuthenticatorTransports)) {
    passkey.authenticatorTransports = item.AuthenticatorTransports.filter(
      (transport): transport is string => typeof transport === 'string',
    );
  }
  return [passkey];
}

export async function listPasskeys(core: ClientCore, input?: ListPasskeysInput): Promise<ListPasskeysResult> {
  const kit = kitOf(core.lib);
  const o = input === undefined ? {} : kit.requireOptions(input, 'input', ['limit', 'nextToken']);
  const limit = o.limit === undefined ? undefined : kit.requireNumber(o.limit, 'limit', 1, 20);
  if (limit !== undefined && !Number.isInteger(limit)) kit.requireNumber(Number.NaN, 'limit', 1, 20);
  const nextToken = kit.optionalString(o.nextToken, 'nextToken');
  const answer = await core.transport.send<{ Credentials?: CognitoCredential[]; NextToken?: string }>(
    'ListWebAuthnCredentials',
    {
      AccessToken: await accessToken(core, kit),
      ...(limit === undefined ? {} : { MaxResults: limit }),
      ...(nextToken === undefined ? {} : { NextToken: nextToken }),
    },
  );
  const result: ListPasskeysResult = {
    passkeys: (Array.isArray(answer.Credentials) ? answer.Credentials : []).flatMap(toPasskey),
  };
  if (typeof answer.NextToken === 'string' && answer.NextToken !== '') result.nextToken = answer.NextToken;
  return result;
}

export async function deletePasskey(core: ClientCore, input: { credentialId: string }): Promise<void> {
  const kit = kitOf(core.lib);
  const o = kit.requireOptions(input, 'input', ['credentialId']);
  const credentialId = kit.requireString(o.credentialId, 'credentialId');
  await core.transport.send('DeleteWebAuthnCredential', {
    AccessToken: await accessToken(core, kit),
    CredentialId: credentialId,
  });
}

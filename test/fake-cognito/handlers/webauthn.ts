/**
 * Passkeys with real WebAuthn verification (@simplewebauthn/server): StartWebAuthnRegistration,
 * CompleteWebAuthnRegistration, ListWebAuthnCredentials, DeleteWebAuthnCredential, and the
 * assertion that answers a WEB_AUTHN challenge. The relying party is `pool.webAuthnRpId`
 * ('localhost'); an origin is accepted when its host is the relying party, as Cognito does.
 */
import { randomBytes } from 'node:crypto';
import {
  type AuthenticationResponseJSON,
  generateAuthenticationOptions,
  generateRegistrationOptions,
  type RegistrationResponseJSON,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from '@simplewebauthn/server';
import {
  type Body,
  CognitoFault,
  invalidParameter,
  notAuthorized,
  optionalString,
  requireString,
} from '../errors.js';
import type { Pool } from '../pool.js';
import type { UserRecord } from '../users.js';

/** The origin in clientDataJSON, when its host is the relying party. */
function originFor(pool: Pool, clientDataJSON: unknown): string {
  try {
    const data = JSON.parse(Buffer.from(String(clientDataJSON), 'base64url').toString('utf8')) as {
      origin?: string;
    };
    const origin = String(data.origin);
    if (new URL(origin).hostname === pool.webAuthnRpId) return origin;
  } catch {
    // falls through to the rejection
  }
  throw new CognitoFault(
    'WebAuthnOriginNotAllowedException',
    'The origin is not allowed for this relying party.',
  );
}

export async function startWebAuthnRegistration(pool: Pool, body: Body) {
  const user = pool.authenticate(body);
  const options = await generateRegistrationOptions({
    rpName: pool.poolName,
    rpID: pool.webAuthnRpId,
    userName: user.attributes.email ?? user.username,
    userID: new TextEncoder().encode(user.sub),
    timeout: pool.webAuthnTimeoutMs,
    attestationType: 'none',
    excludeCredentials: user.passkeys.map((passkey) => ({ id: passkey.id, transports: passkey.transports })),
    authenticatorSelection: { residentKey: 'required', userVerification: pool.webAuthnUserVerification },
  });
  user.pendingRegistration = { challenge: options.challenge, expiresAt: pool.now() + pool.webAuthnTimeoutMs };
  return { CredentialCreationOptions: options };
}

export async function completeWebAuthnRegistration(pool: Pool, body: Body) {
  const user = pool.authenticate(body);
  const credential = body.Credential;
  if (credential === null || typeof credential !== 'object') {
    throw invalidParameter(
      "1 validation error detected: Value null at 'credential' failed to satisfy constraint",
    );
  }
  const pending = user.pendingRegistration;
  if (!pending || pending.expiresAt < pool.now()) {
    throw new CognitoFault('WebAuthnChallengeNotFoundException', 'No registration challenge was found.');
  }
  const response = credential as RegistrationResponseJSON;
  const origin = originFor(pool, response.response?.clientDataJSON);
  user.pendingRegistration = undefined;
  let verified: Awaited<ReturnType<typeof verifyRegistrationResponse>>;
  try {
    verified = await verifyRegistrationResponse({
      response,
      expectedChallenge: pending.challenge,
      expectedOrigin: origin,
      expectedRPID: pool.webAuthnRpId,
      requireUserVerification: pool.webAuthnUserVerification === 'required',
    });
  } catch (error) {
    throw new CognitoFault(
      'WebAuthnClientMismatchException',
      `The credential did not verify: ${(error as Error).message}`,
    );
  }
  if (!verified.verified)
    throw new CognitoFault('WebAuthnClientMismatchException', 'The credential did not verify.');
  const info = verified.registrationInfo.credential;
  user.passkeys.push({
    id: info.id,
    publicKey: info.publicKey,
    counter: info.counter,
    transports: info.transports ?? response.response.transports ?? [],
    attachment: response.authenticatorAttachment,
    friendlyName: 'Passkey',
    relyingPartyId: pool.webAuthnRpId,
    createdAt: pool.now(),
  });
  return {};
}

export function listWebAuthnCredentials(pool: Pool, body: Body) {
  const user = pool.authenticate(body);
  const max = body.MaxResults === undefined ? 20 : Number(body.MaxResults);
  if (!Number.isInteger(max) || max < 1 || max > 20)
    throw invalidParameter('MaxResults must be from 1 to 20');
  const token = optionalString(body, 'NextToken');
  const start = token === undefined ? 0 : Number(Buffer.from(token, 'base64url').toString('utf8'));
  if (!Number.isInteger(start) || start < 0) throw invalidParameter('Invalid NextToken');
  const page = user.passkeys.slice(start, start + max);
  return {
    Credentials: page.map((passkey) => ({
      CredentialId: passkey.id,
      FriendlyCredentialName: passkey.friendlyName,
      RelyingPartyId: passkey.relyingPartyId,
      ...(passkey.attachment ? { AuthenticatorAttachment: passkey.attachment } : {}),
      AuthenticatorTransports: passkey.transports,
      CreatedAt: passkey.createdAt / 1000,
    })),
    ...(start + max < user.passkeys.length
      ? { NextToken: Buffer.from(String(start + max)).toString('base64url') }
      : {}),
  };
}

export function deleteWebAuthnCredential(pool: Pool, body: Body) {
  const user = pool.authenticate(body);
  const id = requireString(body, 'CredentialId');
  const index = user.passkeys.findIndex((passkey) => passkey.id === id);
  if (index < 0) throw new CognitoFault('ResourceNotFoundException', 'Credential not found.');
  user.passkeys.splice(index, 1);
  return {};
}

/** CREDENTIAL_REQUEST_OPTIONS for a WEB_AUTHN challenge: the user's passkeys allowed. */
export function authenticationOptions(pool: Pool, user: UserRecord) {
  return generateAuthenticationOptions({
    rpID: pool.webAuthnRpId,
    challenge: randomBytes(32),
    timeout: pool.webAuthnTimeoutMs,
    userVerification: pool.webAuthnUserVerification,
    allowCredentials: user.passkeys.map((passkey) => ({ id: passkey.id, transports: passkey.transports })),
  });
}

/** Verifies the CREDENTIAL answering a WEB_AUTHN challenge; NotAuthorizedException when it fails. */
export async function verifyAssertion(
  pool: Pool,
  user: UserRecord,
  challenge: string,
  raw: string,
): Promise<void> {
  let response: AuthenticationResponseJSON;
  try {
    response = JSON.parse(raw) as AuthenticationResponseJSON;
  } catch {
    throw invalidParameter('CREDENTIAL must be a JSON AuthenticationResponseJSON');
  }
  const passkey = user.passkeys.find((item) => item.id === response.id);
  if (!passkey) throw notAuthorized('The passkey is not registered for the user.');
  const origin = originFor(pool, response.response?.clientDataJSON);
  let result: Awaited<ReturnType<typeof verifyAuthenticationResponse>>;
  try {
    result = await verifyAuthenticationResponse({
      response,
      expectedChallenge: challenge,
      expectedOrigin: origin,
      expectedRPID: pool.webAuthnRpId,
      credential: {
        id: passkey.id,
        publicKey: passkey.publicKey as Uint8Array<ArrayBuffer>,
        counter: passkey.counter,
        transports: passkey.transports as never,
      },
      requireUserVerification: pool.webAuthnUserVerification === 'required',
    });
  } catch {
    throw notAuthorized('The passkey assertion did not verify.');
  }
  if (!result.verified) throw notAuthorized('The passkey assertion did not verify.');
  passkey.counter = result.authenticationInfo.newCounter;
}

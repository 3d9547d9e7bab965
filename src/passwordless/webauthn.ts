// The browser's WebAuthn ceremonies for Cognito's passkeys: Cognito's JSON options (base64url
// strings) → the ArrayBuffers navigator.credentials wants, and the credential back to the JSON
// shapes Cognito documents (W3C WebAuthn Level 3 RegistrationResponseJSON /
// AuthenticationResponseJSON). Loaded only when a passkey is used.
// The error class comes from the caller (core.lib, see kit.ts): this chunk imports nothing of the core.
import type { CognitoError } from '../errors.js';

type Errors = typeof CognitoError;

/** The prompt is given up after the options' timeout plus this grace (some browsers never settle). */
const GRACE_MS = 5_000;
/** When the options name no timeout (WebAuthn's own default is browser-defined). */
const DEFAULT_TIMEOUT_MS = 300_000;

type Json = Record<string, unknown>;

function credentialsApi(): CredentialsContainer | undefined {
  const nav = (globalThis as { navigator?: { credentials?: CredentialsContainer } }).navigator;
  return typeof globalThis.PublicKeyCredential === 'function' &&
    typeof nav?.credentials?.get === 'function' &&
    typeof nav.credentials.create === 'function'
    ? nav.credentials
    : undefined;
}

/** @throws CognitoError `WebAuthnNotSupportedException` where WebAuthn is missing (Node, old browsers). */
export function requireWebAuthn(E: Errors): CredentialsContainer {
  const api = credentialsApi();
  if (!api) {
    throw new E('WebAuthnNotSupportedException', 'WebAuthn (passkeys) is not available here', {
      retryable: false,
    });
  }
  return api;
}

export function toBase64Url(buffer: ArrayBuffer | ArrayBufferView): string {
  const bytes =
    buffer instanceof ArrayBuffer
      ? new Uint8Array(buffer)
      : new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function fromBase64Url(E: Errors, value: unknown, name: string): ArrayBuffer {
  if (typeof value !== 'string') throw malformed(E, name);
  const base64 = value.replace(/-/g, '+').replace(/_/g, '/');
  let binary: string;
  try {
    binary = atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4));
  } catch {
    throw malformed(E, name);
  }
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes.buffer;
}

function malformed(E: Errors, name: string): CognitoError {
  return new E('UnexpectedResponseException', `Cognito's passkey options have a malformed ${name}`);
}

function asObject(E: Errors, value: unknown, name: string): Json {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw malformed(E, name);
  return value as Json;
}

function descriptors(E: Errors, value: unknown, name: string): PublicKeyCredentialDescriptor[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) throw malformed(E, name);
  return value.map((item: unknown) => {
    const entry = asObject(E, item, name);
    return { ...(entry as object), type: 'public-key', id: fromBase64Url(E, entry.id, `${name}.id`) };
  }) as PublicKeyCredentialDescriptor[];
}

function timeoutOf(options: Json): number {
  const timeout = options.timeout;
  return typeof timeout === 'number' && Number.isFinite(timeout) && timeout > 0
    ? Math.min(timeout, DEFAULT_TIMEOUT_MS)
    : DEFAULT_TIMEOUT_MS;
}

/**
 * Runs a ceremony with a bound: the browser's own timeout, then ours, so a prompt that never
 * settles still ends (WebAuthnCancelledException).
 */
async function ceremony(
  E: Errors,
  run: (signal: AbortSignal) => Promise<Credential | null>,
  timeoutMs: number,
): Promise<PublicKeyCredential> {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(cancelled(E, 'The passkey prompt timed out'));
    }, timeoutMs + GRACE_MS);
  });
  try {
    const credential = await Promise.race([run(controller.signal), expired]);
    if (credential?.type !== 'public-key') throw cancelled(E, 'No passkey was chosen');
    return credential as PublicKeyCredential;
  } catch (error) {
    throw fromDomError(E, error);
  } finally {
    clearTimeout(timer);
  }
}

function cancelled(E: Errors, message: string, cause?: unknown): CognitoError {
  return new E('WebAuthnCancelledException', message, { retryable: false, cause });
}

function fromDomError(E: Errors, error: unknown): CognitoError {
  if (error instanceof E) return error;
  const name = (error as { name?: unknown } | null)?.name;
  if (name === 'NotAllowedError' || name === 'AbortError' || name === 'TimeoutError') {
    return cancelled(E, 'The passkey prompt was cancelled or the authenticator refused', error);
  }
  if (name === 'NotSupportedError' || name === 'SecurityError') {
    return new E('WebAuthnNotSupportedException', `This page cannot use the passkey (${name})`, {
      retryable: false,
      cause: error,
    });
  }
  if (name === 'InvalidStateError') {
    return new E(
      'WebAuthnCredentialExistsException',
      'This authenticator already holds a passkey for the user',
      { retryable: false, cause: error },
    );
  }
  return new E('UnexpectedResponseException', 'The passkey ceremony failed', { cause: error });
}

function extensionResults(credential: PublicKeyCredential): Json {
  try {
    return { ...credential.getClientExtensionResults() } as Json;
  } catch {
    return {};
  }
}

/**
 * `navigator.credentials.get` with Cognito's CREDENTIAL_REQUEST_OPTIONS (a JSON string of
 * PublicKeyCredentialRequestOptionsJSON); resolves with the AuthenticationResponseJSON Cognito wants.
 */
export async function getCredential(E: Errors, requestOptions: string): Promise<Json> {
  const api = requireWebAuthn(E);
  let parsed: unknown;
  try {
    parsed = JSON.parse(requestOptions);
  } catch {
    throw malformed(E, 'CREDENTIAL_REQUEST_OPTIONS');
  }
  const options = asObject(E, parsed, 'CREDENTIAL_REQUEST_OPTIONS');
  const { allowCredentials, challenge, ...rest } = options;
  const publicKey = {
    ...rest,
    challenge: fromBase64Url(E, challenge, 'challenge'),
    ...(allowCredentials === undefined
      ? {}
      : { allowCredentials: descriptors(E, allowCredentials, 'allowCredentials') }),
  } as PublicKeyCredentialRequestOptions;
  const credential = await ceremony(E, (signal) => api.get({ publicKey, signal }), timeoutOf(options));
  const response = credential.response as AuthenticatorAssertionResponse;
  return credentialJson(credential, {
    authenticatorData: toBase64Url(response.authenticatorData),
    signature: toBase64Url(response.signature),
    ...(response.userHandle ? { userHandle: toBase64Url(response.userHandle) } : {}),
  });
}

/**
 * `navigator.credentials.create` with StartWebAuthnRegistration's CredentialCreationOptions
 * (PublicKeyCredentialCreationOptionsJSON); resolves with the RegistrationResponseJSON for
 * CompleteWebAuthnRegistration.
 */
export async function createCredential(E: Errors, creationOptions: unknown): Promise<Json> {
  const api = requireWebAuthn(E);
  const options = asObject(E, creationOptions, 'CredentialCreationOptions');
  const { challenge, user, excludeCredentials, ...rest } = options;
  const userJson = asObject(E, user, 'user');
  const publicKey = {
    ...rest,
    challenge: fromBase64Url(E, challenge, 'challenge'),
    user: { ...userJson, id: fromBase64Url(E, userJson.id, 'user.id') },
    ...(excludeCredentials === undefined
      ? {}
      : { excludeCredentials: descriptors(E, excludeCredentials, 'excludeCredentials') }),
  } as PublicKeyCredentialCreationOptions;
  const credential = await ceremony(E, (signal) => api.create({ publicKey, signal }), timeoutOf(options));
  const response = credential.response as AuthenticatorAttestationResponse;
  const transports = typeof response.getTransports === 'function' ? response.getTransports() : undefined;
  const publicKeyBytes = typeof response.getPublicKey === 'function' ? response.getPublicKey() : null;
  return credentialJson(credential, {
    attestationObject: toBase64Url(response.attestationObject),
    ...(transports ? { transports } : {}),
    ...(typeof response.getAuthenticatorData === 'function'
      ? { authenticatorData: toBase64Url(response.getAuthenticatorData()) }
      : {}),
    ...(typeof response.getPublicKeyAlgorithm === 'function'
      ? { publicKeyAlgorithm: response.getPublicKeyAlgorithm() }
      : {}),
    ...(publicKeyBytes ? { publicKey: toBase64Url(publicKeyBytes) } : {}),
  });
}

/**
 * A credential as WebAuthn's JSON (`toJSON()`, which not every browser has): binary fields in
 * base64url, `response` with the client data and the ceremony's own fields.
 */
function credentialJson(credential: PublicKeyCredential, response: Json): Json {
  return {
    id: credential.id,
    rawId: toBase64Url(credential.rawId),
    type: credential.type,
    response: { clientDataJSON: toBase64Url(credential.response.clientDataJSON), ...response },
    clientExtensionResults: extensionResults(credential),
    ...(credential.authenticatorAttachment
      ? { authenticatorAttachment: credential.authenticatorAttachment }
      : {}),
  };
}

// The browser's WebAuthn ceremonies for Cognito's passkeys: Cognito's JSON options (base64url
// strings) → the ArrayBuffers navigator.credentials wants, and the credential back to the JSON
// shapes Cognito documents (W3C WebAuthn Level 3 RegistrationResponseJSON /
// AuthenticationResponseJSON). Loaded only when a passkey is used.
import { CognitoError } from '../errors.js';

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
export function requireWebAuthn(): CredentialsContainer {
  const api = credentialsApi();
  if (!api) {
    throw new CognitoError('WebAuthnNotSupportedException', 'WebAuthn (passkeys) is not available here', {
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

export function fromBase64Url(value: unknown, name: string): ArrayBuffer {
  if (typeof value !== 'string') throw malformed(name);
  const base64 = value.replace(/-/g, '+').replace(/_/g, '/');
  let binary: string;
  try {
    binary = atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4));
  } catch {
    throw malformed(name);
  }
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes.buffer;
}

function malformed(name: string): CognitoError {
  return new CognitoError(
    'UnexpectedResponseException',
    `Cognito's passkey options have a malformed ${name}`,
  );
}

function asObject(value: unknown, name: string): Json {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw malformed(name);
  return value as Json;
}

function descriptors(value: unknown, name: string): PublicKeyCredentialDescriptor[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) throw malformed(name);
  return value.map((item: unknown) => {
    const entry = asObject(item, name);
    return { ...(entry as object), type: 'public-key', id: fromBase64Url(entry.id, `${name}.id`) };
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
  run: (signal: AbortSignal) => Promise<Credential | null>,
  timeoutMs: number,
): Promise<PublicKeyCredential> {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(cancelled('The passkey prompt timed out'));
    }, timeoutMs + GRACE_MS);
  });
  try {
    const credential = await Promise.race([run(controller.signal), expired]);
    if (credential?.type !== 'public-key') throw cancelled('No passkey was chosen');
    return credential as PublicKeyCredential;
  } catch (error) {
    throw fromDomError(error);
  } finally {
    clearTimeout(timer);
  }
}

function cancelled(message: string, cause?: unknown): CognitoError {
  return new CognitoError('WebAuthnCancelledException', message, { retryable: false, cause });
}

function fromDomError(error: unknown): CognitoError {
  if (error instanceof CognitoError) return error;
  const name = (error as { name?: unknown } | null)?.name;
  if (name === 'NotAllowedError' || name === 'AbortError' || name === 'TimeoutError') {
    return cancelled('The passkey prompt was cancelled or the authenticator refused', error);
  }
  if (name === 'NotSupportedError' || name === 'SecurityError') {
    return new CognitoError('WebAuthnNotSupportedException', `This page cannot use the passkey (${name})`, {
      retryable: false,
      cause: error,
    });
  }
  if (name === 'InvalidStateError') {
    return new CognitoError(
      'WebAuthnCredentialExistsException',
      'This authenticator already holds a passkey for the user',
      { retryable: false, cause: error },
    );
  }
  return new CognitoError('UnexpectedResponseException', 'The passkey ceremony failed', { cause: error });
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
export async function getCredential(requestOptions: string): Promise<Json> {
  const api = requireWebAuthn();
  let parsed: unknown;
  try {
    parsed = JSON.parse(requestOptions);
  } catch {
    throw malformed('CREDENTIAL_REQUEST_OPTIONS');
  }
  const options = asObject(parsed, 'CREDENTIAL_REQUEST_OPTIONS');
  const { allowCredentials, challenge, ...rest } = options;
  const publicKey = {
    ...rest,
    challenge: fromBase64Url(challenge, 'challenge'),
    ...(allowCredentials === undefined
      ? {}
      : { allowCredentials: descriptors(allowCredentials, 'allowCredentials') }),
  } as PublicKeyCredentialRequestOptions;
  const credential = await ceremony((signal) => api.get({ publicKey, signal }), timeoutOf(options));
  const response = credential.response as AuthenticatorAssertionResponse;
  return {
    id: credential.id,
    rawId: toBase64Url(credential.rawId),
    type: credential.type,
    response: {
      clientDataJSON: toBase64Url(response.clientDataJSON),
      authenticatorData: toBase64Url(response.authenticatorData),
      signature: toBase64Url(response.signature),
      ...(response.userHandle ? { userHandle: toBase64Url(response.userHandle) } : {}),
    },
    clientExtensionResults: extensionResults(credential),
    ...(credential.authenticatorAttachment
      ? { authenticatorAttachment: credential.authenticatorAttachment }
      : {}),
  };
}

/**
 * `navigator.credentials.create` with StartWebAuthnRegistration's CredentialCreationOptions
 * (PublicKeyCredentialCreationOptionsJSON); resolves with the RegistrationResponseJSON for
 * CompleteWebAuthnRegistration.
 */
export async function createCredential(creationOptions: unknown): Promise<Json> {
  const api = requireWebAuthn();
  const options = asObject(creationOptions, 'CredentialCreationOptions');
  const { challenge, user, excludeCredentials, ...rest } = options;
  const userJson = asObject(user, 'user');
  const publicKey = {
    ...rest,
    challenge: fromBase64Url(challenge, 'challenge'),
    user: { ...userJson, id: fromBase64Url(userJson.id, 'user.id') },
    ...(excludeCredentials === undefined
      ? {}
      : { excludeCredentials: descriptors(excludeCredentials, 'excludeCredentials') }),
  } as PublicKeyCredentialCreationOptions;
  const credential = await ceremony((signal) => api.create({ publicKey, signal }), timeoutOf(options));
  const response = credential.response as AuthenticatorAttestationResponse;
  const transports = typeof response.getTransports === 'function' ? response.getTransports() : undefined;
  const publicKeyBytes = typeof response.getPublicKey === 'function' ? response.getPublicKey() : null;
  return {
    id: credential.id,
    rawId: toBase64Url(credential.rawId),
    type: credential.type,
    response: {
      clientDataJSON: toBase64Url(response.clientDataJSON),
      attestationObject: toBase64Url(response.attestationObject),
      ...(transports ? { transports } : {}),
      ...(typeof response.getAuthenticatorData === 'function'
        ? { authenticatorData: toBase64Url(response.getAuthenticatorData()) }
        : {}),
      ...(typeof response.getPublicKeyAlgorithm === 'function'
        ? { publicKeyAlgorithm: response.getPublicKeyAlgorithm() }
        : {}),
      ...(publicKeyBytes ? { publicKey: toBase64Url(publicKeyBytes) } : {}),
    },
    clientExtensionResults: extensionResults(credential),
    ...(credential.authenticatorAttachment
      ? { authenticatorAttachment: credential.authenticatorAttachment }
      : {}),
  };
}

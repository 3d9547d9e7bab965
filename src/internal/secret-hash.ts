// SECRET_HASH for confidential app clients, loaded only when a client has a clientSecret, so a
// browser app ships none of it. SECRET_HASH = Base64(HMAC-SHA256(key = clientSecret,
// message = username + clientId)); where it goes depends on the operation (Cognito API reference).
import type { ClientSecret } from './client-secret.js';

type Body = Record<string, unknown>;

const encoder = new TextEncoder();
const keys = new WeakMap<ClientSecret, Promise<CryptoKey>>();

function hmacKey(secret: ClientSecret): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    key = secret
      .subtle()
      .then((subtle) =>
        subtle.importKey('raw', encoder.encode(secret.secret), { name: 'HMAC', hash: 'SHA-256' }, false, [
          'sign',
        ]),
      );
    // A failed import is not cached: the next request tries again.
    key.catch(() => keys.delete(secret));
    keys.set(secret, key);
  }
  return key;
}

function toBase64(bytes: ArrayBuffer): string {
  let binary = '';
  for (const byte of new Uint8Array(bytes)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** Base64(HMAC-SHA256(clientSecret, username + clientId)). */
export async function secretHash(secret: ClientSecret, username: string, clientId: string): Promise<string> {
  const key = await hmacKey(secret);
  const subtle = await secret.subtle();
  return toBase64(await subtle.sign('HMAC', key, encoder.encode(username + clientId)));
}

// Operations whose top-level `Username` keys a top-level `SecretHash`.
const TOP_LEVEL = new Set([
  'SignUp',
  'ConfirmSignUp',
  'ResendConfirmationCode',
  'ForgotPassword',
  'ConfirmForgotPassword',
]);
// Operations that take the secret itself.
const CLIENT_SECRET = new Set(['GetTokensFromRefreshToken', 'RevokeToken']);

function record(value: unknown): Record<string, string> | undefined {
  return value !== null && typeof value === 'object' ? (value as Record<string, string>) : undefined;
}

/**
 * `body` with what a confidential app client must add to `operation`: SecretHash, SECRET_HASH in
 * AuthParameters or ChallengeResponses (keyed by their USERNAME; `refreshUsername`, the canonical
 * username, for REFRESH_TOKEN_AUTH, which has none), or ClientSecret. Other operations unchanged.
 * `undefined` when the operation needs a SECRET_HASH and there is no username to key it by.
 */
export async function withClientSecret(
  secret: ClientSecret,
  operation: string,
  body: Body,
  refreshUsername: string | undefined,
): Promise<Body | undefined> {
  const clientId = String(body.ClientId ?? '');
  if (CLIENT_SECRET.has(operation)) return { ...body, ClientSecret: secret.secret };
  if (TOP_LEVEL.has(operation) && typeof body.Username === 'string') {
    return { ...body, SecretHash: await secretHash(secret, body.Username, clientId) };
  }
  const container =
    operation === 'InitiateAuth'
      ? 'AuthParameters'
      : operation === 'RespondToAuthChallenge'
        ? 'ChallengeResponses'
        : undefined;
  const parameters = container ? record(body[container]) : undefined;
  if (!container || !parameters) return body;
  const username =
    parameters.USERNAME ?? (body.AuthFlow === 'REFRESH_TOKEN_AUTH' ? refreshUsername : undefined);
  // No username to key the hash by: the transport reports it (this lazy chunk imports no runtime
  // module of the entry's, or bundlers would split that module into a chunk every app loads).
  if (username === undefined) return undefined;
  return {
    ...body,
    [container]: { ...parameters, SECRET_HASH: await secretHash(secret, username, clientId) },
  };
}

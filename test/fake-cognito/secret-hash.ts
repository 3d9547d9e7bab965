// Confidential app clients: Cognito checks SECRET_HASH = Base64(HMAC-SHA256(clientSecret,
// username + clientId)) on the operations that name a user, and the secret itself where the
// operation takes ClientSecret (API reference: SignUp, ConfirmSignUp, ResendConfirmationCode,
// ForgotPassword, ConfirmForgotPassword `SecretHash`; InitiateAuth `AuthParameters.SECRET_HASH`;
// RespondToAuthChallenge `ChallengeResponses.SECRET_HASH`; GetTokensFromRefreshToken and
// RevokeToken `ClientSecret`).
import { createHmac, timingSafeEqual } from 'node:crypto';
import { type Body, CognitoFault } from './errors.js';
import type { Pool } from './pool.js';

// Written from the API reference, not imported from src/internal/secret-hash.ts, although the lists
// are the same: a fake that shared the client's lists could not catch an operation the client misses.
const TOP_LEVEL = new Set([
  'SignUp',
  'ConfirmSignUp',
  'ResendConfirmationCode',
  'ForgotPassword',
  'ConfirmForgotPassword',
]);
const CLIENT_SECRET = new Set(['GetTokensFromRefreshToken', 'RevokeToken']);

/** SECRET_HASH as Cognito computes it. */
export function computeSecretHash(secret: string, username: string, clientId: string): string {
  return createHmac('sha256', secret)
    .update(username + clientId)
    .digest('base64');
}

const missing = (clientId: string) =>
  new CognitoFault(
    'NotAuthorizedException',
    `Client ${clientId} is configured for secret but secret was not received`,
  );
const wrong = (clientId: string) =>
  new CognitoFault('NotAuthorizedException', `Unable to verify secret hash for client ${clientId}`);

function same(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function map(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : {};
}

/**
 * Checks a request to a client with a secret, before the operation runs; nothing for a public client,
 * another client id (the handler answers that) or an operation that needs no secret.
 * @throws CognitoFault NotAuthorizedException, with Cognito's messages for a missing or wrong secret.
 */
export function checkClientSecret(pool: Pool, operation: string, body: Body): void {
  const secret = pool.clientSecret;
  if (secret === undefined || body.ClientId !== pool.clientId) return;
  const clientId = pool.clientId;
  if (CLIENT_SECRET.has(operation)) {
    const sent = text(body.ClientSecret);
    if (sent === undefined) throw missing(clientId);
    if (!same(sent, secret)) throw wrong(clientId);
    return;
  }
  let sent: unknown;
  let username: string | undefined;
  if (TOP_LEVEL.has(operation)) {
    sent = body.SecretHash;
    username = text(body.Username);
  } else if (operation === 'InitiateAuth') {
    const parameters = map(body.AuthParameters);
    sent = parameters.SECRET_HASH;
    if (body.AuthFlow === 'REFRESH_TOKEN_AUTH' || body.AuthFlow === 'REFRESH_TOKEN') {
      // REFRESH_TOKEN_AUTH names no user: the hash must be keyed by the token's canonical username
      // (the sub in an email-alias pool, not the email). An unknown token is the handler's to refuse.
      const token = text(parameters.REFRESH_TOKEN);
      if (sent === undefined) throw missing(clientId);
      if (token === undefined) return;
      try {
        username = pool.tokens.checkRefresh(token).username;
      } catch {
        return;
      }
    } else username = text(parameters.USERNAME);
  } else if (operation === 'RespondToAuthChallenge') {
    const responses = map(body.ChallengeResponses);
    sent = responses.SECRET_HASH;
    username = text(responses.USERNAME);
  } else return;
  if (sent === undefined) throw missing(clientId);
  if (
    typeof sent !== 'string' ||
    username === undefined ||
    !same(sent, computeSecretHash(secret, username, clientId))
  )
    throw wrong(clientId);
}

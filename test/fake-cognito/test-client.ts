/** Small helpers for tests that talk to a FakeCognito through `handle()`. */
import { expect } from 'vitest';
import type { FakeCognito } from './fake-cognito.js';
import { decodeJwtPayload } from './jwt.js';

/** A parsed JSON response, read member by member in tests. */
// biome-ignore lint/suspicious/noExplicitAny: deliberately loose, like a JSON fixture
export type Json = any;

export interface CallResult {
  status: number;
  headers: Record<string, string>;
  json: Json;
}

export async function call(fake: FakeCognito, target: string, body: object): Promise<CallResult> {
  const response = await fake.handle(target, body);
  return {
    status: response.status,
    headers: response.headers,
    json: response.body ? JSON.parse(response.body) : {},
  };
}

/** Calls `target` and expects a 200; returns the JSON body. */
export async function ok(fake: FakeCognito, target: string, body: object): Promise<Json> {
  const result = await call(fake, target, body);
  expect(result.status, `${target} failed: ${JSON.stringify(result.json)}`).toBe(200);
  return result.json;
}

/** Calls `target` and expects a Cognito error of `type`; returns the message. */
export async function fails(fake: FakeCognito, target: string, body: object, type: string): Promise<string> {
  const result = await call(fake, target, body);
  expect(result.status, JSON.stringify(result.json)).toBeGreaterThanOrEqual(400);
  expect(result.json.__type).toBe(type);
  expect(result.headers['x-amzn-errortype']).toBe(`${type}:`);
  return result.json.message;
}

export function passwordAuth(fake: FakeCognito, username: string, password: string): Promise<Json> {
  return ok(fake, 'InitiateAuth', {
    AuthFlow: 'USER_PASSWORD_AUTH',
    ClientId: fake.clientId,
    AuthParameters: { USERNAME: username, PASSWORD: password },
  });
}

export function respond(
  fake: FakeCognito,
  challenge: { ChallengeName: string; Session: string },
  responses: Record<string, string>,
): Promise<Json> {
  return ok(fake, 'RespondToAuthChallenge', {
    ClientId: fake.clientId,
    ChallengeName: challenge.ChallengeName,
    Session: challenge.Session,
    ChallengeResponses: responses,
  });
}

export function claims(token: string): Record<string, Json> {
  const payload = decodeJwtPayload(token);
  if (!payload) throw new Error('not a JWT');
  return payload;
}

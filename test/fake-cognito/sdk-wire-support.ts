// What the AWS SDK wire tests share (sdk-wire*.test.ts): the fake on real HTTP, the AWS SDK v3
// pointed at it, cognito-kit pointed at it, and the comparison of what each sends.
import {
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
  type InitiateAuthCommandOutput,
  RespondToAuthChallengeCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterEach, expect, vi } from 'vitest';
import { CognitoClient, memoryStorage } from '../../src/index.js';
import {
  FakeCognito,
  type FakeCognitoOptions,
  type RecordedRequest,
  type ServedResponse,
  startFakeCognitoServer,
} from './index.js';

export const PASSWORD = 'Passw0rd!';
const closers: (() => Promise<void>)[] = [];

afterEach(async () => {
  vi.unstubAllGlobals();
  for (const close of closers.splice(0)) await close();
});

/** A fake on real HTTP, the SDK pointed at it (SigV4 credentials it may sign with), and cognito-kit. */
export async function setup(options: FakeCognitoOptions = {}) {
  const fake = new FakeCognito({ code: '12345678', ...options });
  fake.addUser({
    username: 'alice',
    password: PASSWORD,
    attributes: { email: 'alice@example.com', phone_number: '+15555550100' },
  });
  const served: ServedResponse[] = [];
  const server = await startFakeCognitoServer(fake, (response) => served.push(response));
  const sdk = new CognitoIdentityProviderClient({
    endpoint: server.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' },
    maxAttempts: 1,
  });
  closers.push(async () => {
    sdk.destroy();
    await server.close();
  });
  const kit = () =>
    new CognitoClient({
      userPoolId: fake.userPoolId,
      clientId: fake.clientId,
      endpoint: server.url,
      storage: memoryStorage(),
      retryBaseDelayMs: 0,
    });
  /** The requests since the last call, and forgets them. */
  const take = (): RecordedRequest[] => fake.requests.splice(0);
  /** sdk.send, and every member of the raw answer must survive the SDK's model-driven parsing. */
  const send = (async (command: Parameters<typeof sdk.send>[0]) => {
    const output = await sdk.send(command);
    const raw = served.at(-1);
    expect(raw?.status).toBe(200);
    expect(undeclared(JSON.parse(raw?.body || '{}'), output)).toEqual([]);
    return output;
  }) as typeof sdk.send;
  return { fake, sdk: { send }, kit, take, url: server.url };
}

export const initiate = (fake: FakeCognito, parameters: Record<string, string>, session?: string) =>
  new InitiateAuthCommand({
    AuthFlow: 'USER_AUTH',
    ClientId: fake.clientId,
    AuthParameters: parameters,
    ...(session ? { Session: session } : {}),
  });

export const respond = (
  fake: FakeCognito,
  previous: { Session?: string | undefined },
  challenge: string,
  responses: Record<string, string>,
) =>
  new RespondToAuthChallengeCommand({
    ClientId: fake.clientId,
    ChallengeName: challenge as never,
    Session: previous.Session,
    ChallengeResponses: responses,
  });

/**
 * The members of the fake's raw JSON that the SDK's output lacks: names Cognito's model does not
 * have there (the SDK keeps maps and documents whole, and drops unknown structure members).
 */
function undeclared(raw: unknown, typed: unknown, path = ''): string[] {
  if (raw === null || typeof raw !== 'object') return [];
  if (typed === null || typeof typed !== 'object' || typed instanceof Date) return [];
  return Object.entries(raw).flatMap(([name, value]) =>
    name in typed
      ? undeclared(value, (typed as Record<string, unknown>)[name], `${path}${name}.`)
      : [`${path}${name}`],
  );
}

/** A request without the values that differ from run to run (sessions, SRP, codes, assertions). */
const VARIABLE = new Set([
  'Session',
  'SRP_A',
  'PASSWORD_CLAIM_SECRET_BLOCK',
  'PASSWORD_CLAIM_SIGNATURE',
  'TIMESTAMP',
  'AccessToken',
  'CREDENTIAL',
  'Credential',
]);
export function shape(
  requests: RecordedRequest[],
  renames: Record<string, string> = {},
): [string, unknown][] {
  const strip = (value: unknown): unknown => {
    if (typeof value === 'string') return renames[value] ?? value;
    if (Array.isArray(value)) return value.map(strip);
    if (value === null || typeof value !== 'object') return value;
    return Object.fromEntries(
      // The value varies, its JSON type does not (a document is an object, a CREDENTIAL a string).
      Object.entries(value).map(([name, item]) => [
        name,
        VARIABLE.has(name) ? `<${typeof item}>` : strip(item),
      ]),
    );
  };
  return requests.map((request) => [request.target, strip(request.body)]);
}

export function expectTokens(answer: {
  AuthenticationResult?: InitiateAuthCommandOutput['AuthenticationResult'];
}) {
  expect(answer.AuthenticationResult).toEqual({
    AccessToken: expect.stringMatching(/^eyJ/),
    IdToken: expect.stringMatching(/^eyJ/),
    RefreshToken: expect.any(String),
    ExpiresIn: 3600,
    TokenType: 'Bearer',
  });
}

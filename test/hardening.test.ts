// Defaults that protect: clear-text endpoints only on loopback, a bounded response body, and
// server-provided names that never reach Object.prototype.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CognitoClient, CognitoError, memoryStorage } from '../src/index.js';
import { MAX_RESPONSE_BYTES, Transport } from '../src/internal/http.js';
import { FakeCognito } from './fake-cognito/index.js';
import { mapStorage, seedSession } from './faults/support.js';
import { makeClient } from './helpers/fake-client.js';

const options = { userPoolId: 'us-east-1_TestPool1', clientId: 'testclient123' };

function construct(extra: Record<string, unknown>): unknown {
  try {
    new CognitoClient({ ...options, storage: memoryStorage(), ...extra } as never);
    return undefined;
  } catch (error) {
    return error;
  }
}

describe('an http:// endpoint is for loopback only', () => {
  it.each([
    'http://example.com/',
    'http://cognito.internal:9229/',
    'http://10.0.0.5:9229/',
    'http://127.example.com/',
    'http://[::2]/',
    'http://localhost.example.com/',
  ])('rejects %s with InvalidParameterException', (endpoint) => {
    const error = construct({ endpoint });
    expect(error).toBeInstanceOf(CognitoError);
    expect((error as CognitoError).code).toBe('InvalidParameterException');
    expect((error as CognitoError).message).toContain('allowInsecureEndpoint');
  });

  it.each([
    'http://localhost:9229/',
    'http://LOCALHOST/',
    'http://127.0.0.1:9229/',
    'http://127.255.0.9/',
    'http://[::1]:9229/',
    'http://0x7f.1/',
    'https://example.com/',
  ])('accepts %s', (endpoint) => {
    expect(construct({ endpoint })).toBeUndefined();
  });

  it('accepts any http:// host with allowInsecureEndpoint: true', () => {
    expect(construct({ endpoint: 'http://cognito.internal:9229/', allowInsecureEndpoint: true })).toBe(
      undefined,
    );
  });

  it('applies the same rule to identityEndpoint', () => {
    const identityPoolId = 'us-east-1:1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d';
    const error = construct({ identityPoolId, identityEndpoint: 'http://identity.internal/' });
    expect((error as CognitoError).code).toBe('InvalidParameterException');
    expect((error as CognitoError).message).toContain('identityEndpoint must use https://');
    expect(construct({ identityPoolId, identityEndpoint: 'http://127.0.0.1:9230/' })).toBeUndefined();
    expect(
      construct({
        identityPoolId,
        identityEndpoint: 'http://identity.internal/',
        allowInsecureEndpoint: true,
      }),
    ).toBeUndefined();
  });

  it('rejects an allowInsecureEndpoint that is not a boolean', () => {
    const error = construct({ endpoint: 'http://cognito.internal/', allowInsecureEndpoint: 'yes' });
    expect((error as CognitoError).code).toBe('InvalidParameterException');
    expect((construct({ allowInsecureEndpoint: 1 }) as CognitoError).code).toBe('InvalidParameterException');
  });
});

describe('a response body is read up to 1 MiB', () => {
  let server: Server;
  let endpoint: string;
  let answer: (res: import('node:http').ServerResponse) => void = (res) => res.end('{}');
  let requests = 0;

  beforeAll(async () => {
    server = createServer((req, res) => {
      requests++;
      req.resume();
      req.on('end', () => answer(res));
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((ok) => server.close(() => ok()));
  });

  const send = () =>
    new Transport({ endpoint, timeoutMs: 10_000, maxAttempts: 3, retryBaseDelayMs: 0 }).send('GetUser', {
      AccessToken: 'token-1234',
    });

  async function rejection(): Promise<CognitoError> {
    requests = 0;
    try {
      await send();
    } catch (error) {
      expect(error).toBeInstanceOf(CognitoError);
      return error as CognitoError;
    }
    throw new Error('expected a rejection');
  }

  it('accepts a JSON body of exactly 1 MiB', async () => {
    const filler = 'x'.repeat(MAX_RESPONSE_BYTES - '{"a":""}'.length);
    answer = (res) =>
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' }).end(`{"a":"${filler}"}`);
    await expect(send()).resolves.toEqual({ a: filler });
  });

  it('refuses a streamed body one byte longer, without a declared length', async () => {
    answer = (res) => {
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
      // Chunked: the transport can only count what arrives.
      res.write(`{"a":"${'x'.repeat(MAX_RESPONSE_BYTES - 7)}`);
      res.end('"}');
    };
    const error = await rejection();
    expect(error.code).toBe('UnexpectedResponseException');
    expect(error.message).toBe(
      `GetUser: Cognito answered HTTP 200 with a body over ${MAX_RESPONSE_BYTES} bytes`,
    );
    expect(requests).toBe(1);
  });

  it('refuses a declared length over the cap before reading it', async () => {
    const body = `{"a":"${'y'.repeat(2 * MAX_RESPONSE_BYTES)}"}`;
    answer = (res) =>
      res
        .writeHead(200, { 'content-type': 'application/x-amz-json-1.1', 'content-length': body.length })
        .end(body);
    const error = await rejection();
    expect(error.code).toBe('UnexpectedResponseException');
    expect(error.status).toBe(200);
    expect(requests).toBe(1);
  });

  it('refuses an endless body', async () => {
    answer = (res) => {
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
      const chunk = 'z'.repeat(64 * 1024);
      const pump = () => {
        while (!res.destroyed && res.write(chunk)) {
          // fill the socket buffer
        }
        if (!res.destroyed) res.once('drain', pump);
      };
      pump();
    };
    const error = await rejection();
    expect(error.code).toBe('UnexpectedResponseException');
  });
});

describe('names sent by the server never index Object.prototype', () => {
  // A hostile or buggy endpoint (a proxy, an emulator, a Lambda trigger's parameters) answers.
  const HOSTILE = 'https://hostile.example';
  beforeAll(() => nock.disableNetConnect());
  afterEach(() => nock.cleanAll());

  function signedInClient() {
    const fake = new FakeCognito();
    fake.addUser({ username: 'ann', password: 'Correct-Horse-1' });
    const storage = mapStorage();
    seedSession(fake, storage);
    return makeClient(fake, storage, { endpoint: `${HOSTILE}/` });
  }

  function answer(target: string, body: object): nock.Scope {
    return nock(HOSTILE)
      .post('/', () => true)
      .matchHeader('x-amz-target', `AWSCognitoIdentityProviderService.${target}`)
      .reply(200, JSON.stringify(body), { 'content-type': 'application/x-amz-json-1.1' });
  }

  it('updateAttributes reports "__proto__" and "constructor" as its own entries', async () => {
    const scope = answer('UpdateUserAttributes', {
      CodeDeliveryDetailsList: [
        { AttributeName: 'constructor', DeliveryMedium: 'EMAIL', Destination: 'a***' },
      ],
    });
    const result = await signedInClient().updateAttributes({ ['__proto__']: 'a', constructor: 'b' });
    scope.done();
    expect(Object.getPrototypeOf(result)).toBe(Object.prototype);
    expect(Object.hasOwn(result, '__proto__')).toBe(true);
    expect(Object.getOwnPropertyDescriptor(result, '__proto__')?.value).toEqual({ isUpdated: true });
    expect(result.constructor).toEqual({
      isUpdated: false,
      codeDelivery: { attributeName: 'constructor', deliveryMedium: 'EMAIL', destination: 'a***' },
    });
  });

  it('getUserAttributes keeps "__proto__" and "constructor" attributes as plain entries', async () => {
    const scope = answer('GetUser', {
      Username: 'ann',
      UserAttributes: [
        { Name: '__proto__', Value: 'p' },
        { Name: 'constructor', Value: 'c' },
        { Name: 'hasOwnProperty', Value: 'h' },
      ],
    });
    const attributes = await signedInClient().getUserAttributes();
    scope.done();
    expect(Object.getPrototypeOf(attributes)).toBe(Object.prototype);
    expect(Object.entries(attributes)).toEqual([
      ['__proto__', 'p'],
      ['constructor', 'c'],
      ['hasOwnProperty', 'h'],
    ]);
  });

  it('listDevices keeps "__proto__" and "constructor" device attributes as own entries', async () => {
    const scope = answer('ListDevices', {
      Devices: [
        {
          DeviceKey: 'us-east-1_device-1',
          DeviceAttributes: [
            { Name: '__proto__', Value: 'p' },
            { Name: 'constructor', Value: 'c' },
            { Name: 'device_name', Value: 'Laptop' },
          ],
        },
        { DeviceKey: 'us-east-1_device-2', DeviceAttributes: [{ Name: 'toString', Value: 't' }] },
      ],
    });
    const { devices } = await signedInClient().listDevices();
    scope.done();
    expect(devices.map((device) => Object.entries(device.attributes))).toEqual([
      [
        ['__proto__', 'p'],
        ['constructor', 'c'],
        ['device_name', 'Laptop'],
      ],
      [['toString', 't']],
    ]);
    expect(devices[0]?.name).toBe('Laptop');
    expect(devices[1]).not.toHaveProperty('name');
    expect(Object.getPrototypeOf(devices[0]?.attributes)).toBe(Object.prototype);
  });

  it('a sign-in challenge with "__proto__" and "constructor" names yields no prototype entries', async () => {
    const fake = new FakeCognito();
    const client = makeClient(fake, mapStorage(), { endpoint: `${HOSTILE}/` });
    const scope = answer('InitiateAuth', {
      ChallengeName: 'SELECT_MFA_TYPE',
      Session: 'session-1234',
      ChallengeParameters: {
        USERNAME: 'ann',
        MFAS_CAN_CHOOSE: JSON.stringify(['__proto__', 'constructor', 'toString', 'SOFTWARE_TOKEN_MFA']),
      },
    });
    const result = await client.signIn({ username: 'ann', password: 'Correct-Horse-1' });
    scope.done();
    expect(result.nextStep).toEqual({
      signInStep: 'CONTINUE_SIGN_IN_WITH_MFA_SELECTION',
      allowedMfaTypes: ['TOTP'],
    });

    const second = answer('InitiateAuth', {
      ChallengeName: 'NEW_PASSWORD_REQUIRED',
      Session: 'session-5678',
      ChallengeParameters: {
        USERNAME: 'ann',
        requiredAttributes: '[]',
        userAttributes: '{"__proto__":{"polluted":"yes"},"constructor":"c","email":"a@b.c"}',
      },
    });
    const step = await makeClient(fake, mapStorage(), { endpoint: `${HOSTILE}/` }).signIn({
      username: 'ann',
      password: 'Correct-Horse-1',
    });
    second.done();
    expect(step.nextStep).toEqual({
      signInStep: 'CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED',
      requiredAttributes: [],
      userAttributes: { constructor: 'c', email: 'a@b.c' },
    });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

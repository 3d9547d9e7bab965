import { createRequire } from 'node:module';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FakeCognito } from './index.js';
import {
  createClientEphemeral,
  createClientProof,
  g,
  k,
  modPow,
  modPowN,
  N,
  padHex,
  srpTimestamp,
} from './srp.js';
import { call, fails, type Json, ok } from './test-client.js';

// The library's own helper, loaded untyped: it is the reference for padHex and k.
const require = createRequire(import.meta.url);
type LibBigInteger = { toString(radix: number): string };
const { default: LibHelper } = require('amazon-cognito-identity-js/lib/AuthenticationHelper.js') as {
  default: new (poolName: string) => { k: LibBigInteger; padHex(value: LibBigInteger): string };
};
const { default: LibBigInt } = require('amazon-cognito-identity-js/lib/BigInteger.js') as {
  default: new (hex: string, radix: number) => LibBigInteger;
};

describe('SRP primitives', () => {
  const helper = new LibHelper('TestPool1');

  it('derives the same k as the library', () => {
    expect(k.toString(16)).toBe(helper.k.toString(16));
  });

  it('pads hex exactly like the library, including values with the top bit set', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: (1n << 3100n) - 1n }), (value) => {
        expect(padHex(value)).toBe(helper.padHex(new LibBigInt(value.toString(16), 16)));
      }),
    );
    expect(padHex(0x80n)).toBe('0080');
    expect(padHex(0x7fn)).toBe('7f');
    expect(padHex(0xfffn)).toBe('0fff');
  });

  it('computes modular powers with OpenSSL that equal the BigInt reference', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: N + 5n }),
        fc.bigInt({ min: 0n, max: 1n << 512n }),
        (base, exp) => {
          expect(modPowN(base, exp)).toBe(modPow(base, exp, N));
        },
      ),
      { numRuns: 30 },
    );
    expect(modPowN(N - 1n, 3n)).toBe(N - 1n);
    expect(modPowN(g, 0n)).toBe(1n);
  });

  it('formats TIMESTAMP like the library (day of month not padded)', () => {
    expect(srpTimestamp(new Date(Date.UTC(2024, 2, 5, 9, 7, 3)))).toBe('Tue Mar 5 09:07:03 UTC 2024');
  });
});

describe('PASSWORD_VERIFIER', () => {
  async function start(fake: FakeCognito, A: bigint, username = 'alice') {
    return ok(fake, 'InitiateAuth', {
      AuthFlow: 'USER_SRP_AUTH',
      ClientId: fake.clientId,
      AuthParameters: { USERNAME: username, SRP_A: A.toString(16) },
    });
  }

  function verifierResponse(fake: FakeCognito, challenge: Json, a: bigint, password: string, session = true) {
    const p = challenge.ChallengeParameters;
    const timestamp = srpTimestamp();
    const signature = createClientProof({
      poolName: 'TestPool1',
      userId: p.USER_ID_FOR_SRP,
      password,
      a,
      salt: BigInt(`0x${p.SALT}`),
      B: BigInt(`0x${p.SRP_B}`),
      secretBlock: p.SECRET_BLOCK,
      timestamp,
    });
    return {
      ClientId: fake.clientId,
      ChallengeName: 'PASSWORD_VERIFIER',
      ...(session ? { Session: challenge.Session } : {}),
      ChallengeResponses: {
        USERNAME: p.USER_ID_FOR_SRP,
        PASSWORD_CLAIM_SECRET_BLOCK: p.SECRET_BLOCK,
        PASSWORD_CLAIM_SIGNATURE: signature,
        TIMESTAMP: timestamp,
      },
    };
  }

  it('issues SALT, SRP_B, SECRET_BLOCK, USERNAME, USER_ID_FOR_SRP and a Session', async () => {
    const fake = new FakeCognito();
    fake.addUser({ username: 'alice', password: 'Passw0rd!' });
    const challenge = await start(fake, createClientEphemeral().A);

    expect(challenge.ChallengeName).toBe('PASSWORD_VERIFIER');
    expect(challenge.Session).toEqual(expect.any(String));
    expect(challenge.ChallengeParameters).toEqual({
      SALT: expect.stringMatching(/^[0-9a-f]+$/),
      SRP_B: expect.stringMatching(/^[0-9a-f]+$/),
      SECRET_BLOCK: expect.any(String),
      USERNAME: 'alice',
      USER_ID_FOR_SRP: 'alice',
    });
  });

  it('accepts a proof without a Session by binding the SECRET_BLOCK to the attempt, once', async () => {
    const fake = new FakeCognito();
    fake.addUser({ username: 'alice', password: 'Passw0rd!' });
    const { a, A } = createClientEphemeral();
    const challenge = await start(fake, A);
    const body = verifierResponse(fake, challenge, a, 'Passw0rd!', false);

    expect((await ok(fake, 'RespondToAuthChallenge', body)).AuthenticationResult.AccessToken).toBeTruthy();
    await fails(fake, 'RespondToAuthChallenge', body, 'NotAuthorizedException');
  });

  it('rejects a SECRET_BLOCK from another attempt', async () => {
    const fake = new FakeCognito();
    fake.addUser({ username: 'alice', password: 'Passw0rd!' });
    const { a, A } = createClientEphemeral();
    const first = await start(fake, A);
    const second = await start(fake, A);
    const body = verifierResponse(fake, first, a, 'Passw0rd!');
    body.Session = second.Session;

    expect(await fails(fake, 'RespondToAuthChallenge', body, 'NotAuthorizedException')).toBe(
      'Incorrect username or password.',
    );
  });

  it('rejects SRP_A that is 0 mod N, or not hex', async () => {
    const fake = new FakeCognito();
    fake.addUser({ username: 'alice', password: 'Passw0rd!' });
    for (const A of [N.toString(16), (2n * N).toString(16), '0', 'xyz']) {
      const response = await call(fake, 'InitiateAuth', {
        AuthFlow: 'USER_SRP_AUTH',
        ClientId: fake.clientId,
        AuthParameters: { USERNAME: 'alice', SRP_A: A },
      });
      expect(response.json.__type).toBe('InvalidParameterException');
    }
  });

  it('answers an unknown user with UserNotFoundException at InitiateAuth', async () => {
    const fake = new FakeCognito();
    await expect(
      call(fake, 'InitiateAuth', {
        AuthFlow: 'USER_SRP_AUTH',
        ClientId: fake.clientId,
        AuthParameters: { USERNAME: 'nobody', SRP_A: createClientEphemeral().A.toString(16) },
      }),
    ).resolves.toMatchObject({
      status: 400,
      json: { __type: 'UserNotFoundException', message: 'User does not exist.' },
    });
  });

  it('answers RESET_REQUIRED with PasswordResetRequiredException', async () => {
    const fake = new FakeCognito();
    fake.addUser({ username: 'alice', password: 'Passw0rd!', status: 'RESET_REQUIRED' });
    const response = await call(fake, 'InitiateAuth', {
      AuthFlow: 'USER_SRP_AUTH',
      ClientId: fake.clientId,
      AuthParameters: { USERNAME: 'alice', SRP_A: createClientEphemeral().A.toString(16) },
    });
    expect(response.json.__type).toBe('PasswordResetRequiredException');
  });
});

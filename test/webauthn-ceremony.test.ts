// The passkey ceremony's edges without a browser: a stubbed navigator.credentials shows what
// cognito-kit passes in (ArrayBuffers from Cognito's base64url JSON), that a prompt that never
// settles still ends (WebAuthnCancelledException, the request aborted), and how DOM errors map.
// The real ceremony with a real authenticator runs in test/browser/passkeys.test.ts.
import fc from 'fast-check';
import nock from 'nock';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { CognitoError, isCognitoError, memoryStorage } from '../src/index.js';
import { fromBase64Url, toBase64Url } from '../src/passwordless/webauthn.js';
import { type FakeCognito, storedPasskey } from './fake-cognito/index.js';
import { makeClient, startFake } from './helpers/fake-client.js';

let fake: FakeCognito;
let get: ReturnType<typeof vi.fn>;

beforeAll(() => nock.disableNetConnect());
beforeEach(() => {
  fake = startFake({ webAuthnTimeoutMs: 60_000 });
  fake.addUser({ username: 'ann', password: 'Correct-Horse-1', attributes: { email: 'ann@example.com' } });
  fake.getUser('ann')?.passkeys.push(storedPasskey());
  get = vi.fn();
  vi.stubGlobal('PublicKeyCredential', class {});
  vi.stubGlobal('navigator', { credentials: { get, create: vi.fn() } });
});
afterEach(() => {
  vi.unstubAllGlobals();
  vi.useRealTimers();
  nock.cleanAll();
});

const signIn = () =>
  makeClient(fake, memoryStorage(), { authFlow: 'USER_AUTH' }).signIn({
    username: 'ann',
    preferredChallenge: 'WEB_AUTHN',
  });

describe('navigator.credentials.get', () => {
  it("gets Cognito's options with ArrayBuffers where the JSON has base64url", async () => {
    get.mockRejectedValue(Object.assign(new Error('denied'), { name: 'NotAllowedError' }));
    await signIn().catch(() => undefined);
    expect(get).toHaveBeenCalledTimes(1);
    const { publicKey, signal } = (get.mock.calls[0] ?? [])[0] as {
      publicKey: PublicKeyCredentialRequestOptions;
      signal: AbortSignal;
    };
    expect(publicKey.challenge).toBeInstanceOf(ArrayBuffer);
    expect((publicKey.challenge as ArrayBuffer).byteLength).toBe(32);
    expect(publicKey.rpId).toBe('localhost');
    expect(publicKey.timeout).toBe(60_000);
    expect(publicKey.allowCredentials?.map((c) => [c.type, new Uint8Array(c.id as ArrayBuffer)])).toEqual([
      ['public-key', new Uint8Array([1, 2, 3, 4])],
    ]);
    expect(signal).toBeInstanceOf(AbortSignal);
  });

  it('a prompt that never settles ends with WebAuthnCancelledException and aborts the request', async () => {
    let seen: AbortSignal | undefined;
    let asked!: () => void;
    const prompted = new Promise<void>((resolve) => {
      asked = resolve;
    });
    get.mockImplementation(({ signal }: { signal: AbortSignal }) => {
      seen = signal;
      asked();
      return new Promise(() => undefined);
    });
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'], shouldAdvanceTime: true });
    const outcome = signIn().catch((error: unknown) => error);
    await prompted;
    await vi.advanceTimersByTimeAsync(60_000 + 5_000);
    const error = await outcome;
    expect(isCognitoError(error, 'WebAuthnCancelledException')).toBe(true);
    expect(seen?.aborted).toBe(true);
    // Nothing answered: the challenge was never responded to.
    expect(fake.requests.map((request) => request.target)).toEqual(['InitiateAuth']);
  });

  it.each([
    ['NotAllowedError', 'WebAuthnCancelledException'],
    ['AbortError', 'WebAuthnCancelledException'],
    ['SecurityError', 'WebAuthnNotSupportedException'],
    ['NotSupportedError', 'WebAuthnNotSupportedException'],
    ['UnknownError', 'UnexpectedResponseException'],
  ])('a DOM %s becomes %s, with the DOM error as its cause', async (name, code) => {
    const dom = Object.assign(new Error('from the browser'), { name });
    get.mockRejectedValue(dom);
    const error = await signIn().catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(CognitoError);
    expect((error as CognitoError).code).toBe(code);
    expect((error as CognitoError).cause).toBe(dom);
  });
});

describe('base64url', () => {
  it('round-trips any bytes, without padding or +/', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        const text = toBase64Url(bytes);
        expect(text).toMatch(/^[A-Za-z0-9_-]*$/);
        expect(new Uint8Array(fromBase64Url(CognitoError, text, 'x'))).toEqual(bytes);
      }),
    );
  });

  it('malformed input is UnexpectedResponseException', () => {
    expect(() => fromBase64Url(CognitoError, 'a', 'challenge')).toThrow(
      expect.objectContaining({ code: 'UnexpectedResponseException' }),
    );
    expect(() => fromBase64Url(CognitoError, 42, 'challenge')).toThrow(
      expect.objectContaining({ code: 'UnexpectedResponseException' }),
    );
  });
});

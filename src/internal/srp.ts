// The wrapped library, promisified. amazon-cognito-identity-js does the SRP math (its
// AuthenticationHelper and DateHelper); every request is ours (internal/http.ts). The library is
// loaded on first use, so apps that never sign in with SRP never download or evaluate it.
import { CognitoError } from '../errors.js';

type Callback<T> = (error: unknown, value: T) => void;

// Boundary with the library's untyped JavaScript: the shapes we call, nothing more.
interface BigIntegerLike {
  toString(radix: number): string;
}
export interface AuthenticationHelperLike {
  N: { constructor: new (value: string, radix: number) => BigIntegerLike };
  getLargeAValue(callback: Callback<BigIntegerLike>): void;
  getPasswordAuthenticationKey(
    username: string,
    password: string,
    serverB: BigIntegerLike,
    salt: BigIntegerLike,
    callback: Callback<Uint8Array>,
  ): void;
  hash(data: Uint8Array): string;
}
interface Library {
  AuthenticationHelper: new (poolName: string) => AuthenticationHelperLike;
  DateHelper: new () => { getNowString(): string };
}

let library: Promise<Library> | undefined;

/**
 * The library's dependency `buffer@4` reads a bare `global` when it loads, which browsers and Vite
 * builds do not define ("global is not defined"). Defining it right before the first load, rather
 * than in a side-effect module, cannot be tree-shaken away and touches nothing until SRP is used.
 */
function defineGlobal(): void {
  const scope = globalThis as { global?: unknown };
  if (typeof scope.global === 'undefined') scope.global = globalThis;
}

/** The wrapped library, loaded once on first use (src/devices/ uses its device helper too). */
export function loadLibrary(): Promise<Library> {
  defineGlobal();
  // The library's own typings are looser than the shapes we use; this is the boundary.
  library ??= import('./srp-library.js') as unknown as Promise<Library>;
  return library;
}

/** The one place where the library's `(error, value)` callbacks become promises. */
function promisify<T>(run: (callback: Callback<T>) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    try {
      run((error, value) => (error ? reject(error) : resolve(value)));
    } catch (error) {
      reject(error);
    }
  }).catch((error: unknown) => {
    // The library's local errors are bare Errors without a code ("B cannot be zero.").
    throw new CognitoError('UnexpectedResponseException', 'Cognito sent SRP parameters that cannot be used', {
      cause: error,
    });
  });
}

const encoder = new TextEncoder();

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

export function hexToBytes(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

function base64ToBytes(base64: string): Uint8Array {
  const binary = atob(base64);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

export function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** HMAC-SHA256 (RFC 2104) over the library's own SHA-256, so no second hash implementation ships. */
function hmacSha256(helper: AuthenticationHelperLike, key: Uint8Array, message: Uint8Array): Uint8Array {
  const block = new Uint8Array(64);
  block.set(key.length > 64 ? hexToBytes(helper.hash(key)) : key);
  const inner = block.map((byte) => byte ^ 0x36);
  const outer = block.map((byte) => byte ^ 0x5c);
  const innerHash = hexToBytes(helper.hash(concat(inner, message)));
  return hexToBytes(helper.hash(concat(outer, innerHash)));
}

/** What the SRP password verifier challenge needs from the client. */
export interface PasswordClaim {
  PASSWORD_CLAIM_SECRET_BLOCK: string;
  PASSWORD_CLAIM_SIGNATURE: string;
  TIMESTAMP: string;
}

/** One SRP attempt: the client's public value `A` and the proof of the password. */
export interface SrpAttempt {
  /** SRP_A, hex. */
  readonly largeA: string;
  claim(input: {
    userIdForSrp: string;
    password: string;
    srpB: string;
    salt: string;
    secretBlock: string;
  }): Promise<PasswordClaim>;
}

/** Starts an SRP attempt for the pool (the part of the user pool id after `_`). */
export async function startSrp(poolName: string): Promise<SrpAttempt> {
  const { AuthenticationHelper, DateHelper } = await loadLibrary();
  const helper = new AuthenticationHelper(poolName);
  const largeA = await promisify<BigIntegerLike>((done) => helper.getLargeAValue(done));
  // The library does not export its BigInteger; its instances carry the constructor.
  const BigInteger = helper.N.constructor;
  return {
    largeA: largeA.toString(16),
    async claim({ userIdForSrp, password, srpB, salt, secretBlock }) {
      const key = await promisify<Uint8Array>((done) =>
        helper.getPasswordAuthenticationKey(
          userIdForSrp,
          password,
          new BigInteger(srpB, 16),
          new BigInteger(salt, 16),
          done,
        ),
      );
      const timestamp = new DateHelper().getNowString();
      const message = concat(
        encoder.encode(poolName),
        encoder.encode(userIdForSrp),
        base64ToBytes(secretBlock),
        encoder.encode(timestamp),
      );
      return {
        PASSWORD_CLAIM_SECRET_BLOCK: secretBlock,
        PASSWORD_CLAIM_SIGNATURE: bytesToBase64(hmacSha256(helper, key, message)),
        TIMESTAMP: timestamp,
      };
    },
  };
}

/**
 * Server side of Cognito's SRP-6a variant, written to match amazon-cognito-identity-js
 * `AuthenticationHelper` bit for bit (padHex rules, hash inputs, the 'Caldera Derived Key' HKDF).
 * Native BigInt and node:crypto keep a full sign-in in the low milliseconds.
 */
import { createDiffieHellman, createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

const N_HEX =
  'FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD' +
  'EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED' +
  'EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F' +
  '83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B' +
  'E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510' +
  '15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7' +
  'ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200C' +
  'BBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF';

/** The RFC 5054 3072-bit group prime. */
export const N = BigInt(`0x${N_HEX}`);
/** The group generator. */
export const g = 2n;

/**
 * The library's padHex for non-negative values: even-length hex, with '00' prepended when the
 * top bit is set so the value reads as positive in two's complement.
 */
export function padHex(value: bigint): string {
  if (value < 0n) throw new Error('padHex: negative values never occur on the server side');
  let hex = value.toString(16);
  if (hex.length % 2 !== 0) hex = `0${hex}`;
  return /^[89a-f]/i.test(hex) ? `00${hex}` : hex;
}

function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

function hexHash(hex: string): string {
  return sha256Hex(Buffer.from(hex, 'hex'));
}

function fromHex(hex: string): bigint {
  return BigInt(`0x${hex}`);
}

/** k = H(padHex(N) | padHex(g)). */
export const k = fromHex(hexHash(padHex(N) + padHex(g)));

function toBytes(value: bigint): Buffer {
  const hex = value.toString(16);
  return Buffer.from(hex.length % 2 === 0 ? hex : `0${hex}`, 'hex');
}

const N_BYTES = toBytes(N);

/**
 * base^exponent mod N. OpenSSL's Diffie-Hellman does the work (about 8x faster than BigInt);
 * it refuses bases 0, 1 and N-1, which fall back to plain BigInt.
 */
export function modPowN(base: bigint, exponent: bigint): bigint {
  const b = ((base % N) + N) % N;
  if (b > 1n && b < N - 1n && exponent > 0n) {
    const dh = createDiffieHellman(N_BYTES, Buffer.from([2]));
    dh.setPrivateKey(toBytes(exponent));
    return fromHex(dh.computeSecret(toBytes(b)).toString('hex'));
  }
  return modPow(b, exponent, N);
}

/** Square-and-multiply modular exponentiation on BigInt. */
export function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  let b = ((base % modulus) + modulus) % modulus;
  let e = exponent;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % modulus;
    e >>= 1n;
    b = (b * b) % modulus;
  }
  return result;
}

function randomBigInt(bytes: number): bigint {
  return fromHex(randomBytes(bytes).toString('hex'));
}

/** x = H(padHex(salt) | H(poolName | userId | ':' | password)). */
export function computeX(poolName: string, userId: string, password: string, salt: bigint): bigint {
  return fromHex(hexHash(padHex(salt) + sha256Hex(`${poolName}${userId}:${password}`)));
}

/** What the fake stores per user instead of the password itself. */
export interface SrpVerifier {
  salt: bigint;
  verifier: bigint;
}

/** Creates a random salt and the verifier v = g^x mod N for `userId` (the internal username). */
export function createVerifier(poolName: string, userId: string, password: string): SrpVerifier {
  const salt = randomBigInt(16);
  return { salt, verifier: modPowN(g, computeX(poolName, userId, password, salt)) };
}

/** The server's ephemeral pair for one sign-in attempt. */
export interface ServerEphemeral {
  b: bigint;
  B: bigint;
}

/** b random, B = (k·v + g^b) mod N (never 0 mod N). */
export function createServerEphemeral(verifier: bigint): ServerEphemeral {
  for (;;) {
    const b = randomBigInt(32);
    const B = (k * verifier + modPowN(g, b)) % N;
    if (b !== 0n && B !== 0n) return { b, B };
  }
}

/** Parses the client's SRP_A (the library sends unpadded lowercase hex). undefined when not hex. */
export function parseSrpA(hex: string): bigint | undefined {
  return /^[0-9a-fA-F]{1,2048}$/.test(hex) ? fromHex(hex) : undefined;
}

/** HKDF-SHA256 as the library does it: one block, info 'Caldera Derived Key', 16 bytes. */
function calderaKey(ikm: Buffer, salt: Buffer): Buffer {
  const prk = createHmac('sha256', salt).update(ikm).digest();
  const info = Buffer.concat([Buffer.from('Caldera Derived Key', 'utf8'), Buffer.from([1])]);
  return createHmac('sha256', prk).update(info).digest().subarray(0, 16);
}

/**
 * The shared key K: u = H(padHex(A) | padHex(B)), S = (A · v^u)^b mod N, K = HKDF(padHex(S), padHex(u)).
 * undefined when A mod N = 0 or u = 0 (both would let a client skip the password).
 */
export function serverSessionKey(
  A: bigint,
  ephemeral: ServerEphemeral,
  verifier: bigint,
): Buffer | undefined {
  if (A % N === 0n) return undefined;
  const u = fromHex(hexHash(padHex(A) + padHex(ephemeral.B)));
  if (u === 0n) return undefined;
  const S = modPowN(A * modPowN(verifier, u), ephemeral.b);
  return calderaKey(Buffer.from(padHex(S), 'hex'), Buffer.from(padHex(u), 'hex'));
}

/** base64(HMAC-SHA256(K, poolName | userId | SECRET_BLOCK bytes | TIMESTAMP)). */
export function passwordClaimSignature(
  key: Buffer,
  poolName: string,
  userId: string,
  secretBlockBase64: string,
  timestamp: string,
): string {
  const message = Buffer.concat([
    Buffer.from(poolName, 'utf8'),
    Buffer.from(userId, 'utf8'),
    Buffer.from(secretBlockBase64, 'base64'),
    Buffer.from(timestamp, 'utf8'),
  ]);
  return createHmac('sha256', key).update(message).digest('base64');
}

/** Constant-time comparison of two base64 signatures. */
export function signaturesEqual(expected: string, actual: string): boolean {
  const a = Buffer.from(expected, 'base64');
  const b = Buffer.from(actual, 'base64');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** A client ephemeral pair (the library uses 128 random bytes for a; 32 are plenty for tests). */
export function createClientEphemeral(): { a: bigint; A: bigint } {
  const a = randomBigInt(32);
  return { a, A: modPowN(g, a) };
}

/** The library's TIMESTAMP format: 'Tue Mar 5 09:07:03 UTC 2024' (day not padded). */
export function srpTimestamp(date: Date = new Date()): string {
  const day = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][date.getUTCDay()];
  const month = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][
    date.getUTCMonth()
  ];
  const two = (n: number) => String(n).padStart(2, '0');
  const time = `${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())}`;
  return `${day} ${month} ${date.getUTCDate()} ${time} UTC ${date.getUTCFullYear()}`;
}

/**
 * The client side of the same protocol (what the library computes), for tests that drive the
 * fake through `handle()` without the library.
 */
export function createClientProof(params: {
  poolName: string;
  userId: string;
  password: string;
  a: bigint;
  salt: bigint;
  B: bigint;
  secretBlock: string;
  timestamp: string;
}): string {
  const { poolName, userId, password, a, salt, B } = params;
  const A = modPowN(g, a);
  const u = fromHex(hexHash(padHex(A) + padHex(B)));
  const x = computeX(poolName, userId, password, salt);
  const S = modPowN(B - k * modPowN(g, x), a + u * x);
  const key = calderaKey(Buffer.from(padHex(S), 'hex'), Buffer.from(padHex(u), 'hex'));
  return passwordClaimSignature(key, poolName, userId, params.secretBlock, params.timestamp);
}

import { createHmac, randomBytes } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** Options for {@link totp} and {@link hotp}. */
export interface TotpOptions {
  /** @defaultValue 6 */
  digits?: number;
  /** @defaultValue 30 */
  stepSeconds?: number;
}

/**
 * Decodes RFC 4648 base32 (case-insensitive; `=` padding, spaces and dashes ignored).
 * @throws Error on a character outside the base32 alphabet.
 */
export function base32Decode(input: string): Buffer {
  const clean = input.replace(/[\s=-]/g, '').toUpperCase();
  const bytes: number[] = [];
  let buffer = 0;
  let bits = 0;
  for (const char of clean) {
    const value = ALPHABET.indexOf(char);
    if (value < 0) throw new Error(`Invalid base32 character: ${char}`);
    buffer = (buffer << 5) | value;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      bytes.push((buffer >>> bits) & 0xff);
    }
  }
  return Buffer.from(bytes);
}

/** Encodes bytes as RFC 4648 base32 without padding (the form Cognito's SecretCode uses). */
export function base32Encode(data: Uint8Array): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of data) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += ALPHABET[(buffer >>> bits) & 31];
    }
  }
  if (bits > 0) out += ALPHABET[(buffer << (5 - bits)) & 31];
  return out;
}

/** A random base32 TOTP secret of `bytes` random bytes (32 bytes gives Cognito's 52 characters). */
export function randomBase32Secret(bytes = 32): string {
  return base32Encode(randomBytes(bytes));
}

/** RFC 4226 HOTP (HMAC-SHA1, dynamic truncation). */
export function hotp(secretBase32: string, counter: number, digits = 6): string {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac('sha1', base32Decode(secretBase32)).update(message).digest();
  const offset = (mac[mac.length - 1] ?? 0) & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 10 ** digits).padStart(digits, '0');
}

/**
 * RFC 6238 TOTP: HMAC-SHA1, 30-second steps, 6 digits (what authenticator apps and Cognito use).
 * @example totp(secretCode) // '492039'
 */
export function totp(secretBase32: string, timeMs: number = Date.now(), options: TotpOptions = {}): string {
  const step = options.stepSeconds ?? 30;
  return hotp(secretBase32, Math.floor(timeMs / 1000 / step), options.digits ?? 6);
}

import { describe, expect, it } from 'vitest';
import { base32Decode, base32Encode, hotp, totp } from './totp.js';

// RFC 6238 appendix B uses the ASCII seed '12345678901234567890' for SHA1.
const RFC_SECRET = base32Encode(Buffer.from('12345678901234567890', 'ascii'));

describe('base32', () => {
  it('encodes the RFC 6238 seed as the well-known base32 string', () => {
    expect(RFC_SECRET).toBe('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
  });

  it('decodes RFC 4648 test vectors, ignoring padding and case', () => {
    expect(base32Decode('MZXW6YTBOI======').toString()).toBe('foobar');
    expect(base32Decode('mzxw6ytb').toString()).toBe('fooba');
    expect(base32Decode('MY').toString()).toBe('f');
    expect(base32Decode('').length).toBe(0);
  });

  it('round-trips arbitrary bytes', () => {
    for (let length = 0; length < 40; length++) {
      const bytes = Buffer.from(Array.from({ length }, (_, i) => (i * 37 + length) & 0xff));
      expect(base32Decode(base32Encode(bytes)).equals(bytes)).toBe(true);
    }
  });

  it('rejects characters outside the alphabet', () => {
    expect(() => base32Decode('ABC1')).toThrow(/Invalid base32 character/);
  });
});

describe('totp', () => {
  const vectors: [number, string][] = [
    [59, '94287082'],
    [1111111109, '07081804'],
    [1111111111, '14050471'],
    [1234567890, '89005924'],
    [2000000000, '69279037'],
    [20000000000, '65353130'],
  ];

  it.each(vectors)('matches the RFC 6238 SHA1 vector at T=%i (8 digits)', (seconds, expected) => {
    expect(totp(RFC_SECRET, seconds * 1000, { digits: 8 })).toBe(expected);
  });

  it.each(vectors)('gives the last 6 digits of the vector at T=%i by default', (seconds, expected) => {
    expect(totp(RFC_SECRET, seconds * 1000)).toBe(expected.slice(2));
  });

  it('matches the RFC 4226 HOTP vectors', () => {
    const expected = ['755224', '287082', '359152', '969429', '338314'];
    expected.forEach((code, counter) => {
      expect(hotp(RFC_SECRET, counter)).toBe(code);
    });
  });

  it('keeps the same code within one 30-second step', () => {
    expect(totp(RFC_SECRET, 60_000)).toBe(totp(RFC_SECRET, 89_999));
    expect(totp(RFC_SECRET, 60_000)).not.toBe(totp(RFC_SECRET, 90_000));
  });
});

import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import { base64url } from './jwt.js';

export const uuid = (): string => randomUUID();

/** Six random digits. */
export function randomCode(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, '0');
}

/** An opaque challenge Session, shaped like Cognito's ('AYABe…', several hundred characters). */
export function opaqueSession(): string {
  return `AYABe${randomBytes(480).toString('base64url')}`;
}

/** An opaque refresh token shaped like Cognito's ~1,700-character JWE. */
export function opaqueRefreshToken(): string {
  const header = base64url(JSON.stringify({ cty: 'JWT', enc: 'A256GCM', alg: 'RSA-OAEP' }));
  const parts = [256, 12, 900, 16].map((size) => randomBytes(size).toString('base64url'));
  return [header, ...parts].join('.');
}

/** 'alice@example.com' → 'a***@e***'. */
export function maskEmail(email: string): string {
  const [local = '', domain = ''] = email.split('@');
  return `${local.charAt(0)}***@${domain.charAt(0)}***`;
}

/** '+15555551234' → '+*******1234'. */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/^\+/, '');
  return `+${'*'.repeat(Math.max(digits.length - 4, 0))}${digits.slice(-4)}`;
}

/** CodeDeliveryDetails for sending to `attribute` (email or phone_number) at `value`. */
export function codeDelivery(attribute: string, value: string) {
  return attribute === 'phone_number'
    ? { Destination: maskPhone(value), DeliveryMedium: 'SMS', AttributeName: 'phone_number' }
    : { Destination: maskEmail(value), DeliveryMedium: 'EMAIL', AttributeName: attribute };
}

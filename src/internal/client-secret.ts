// Which options objects may carry a clientSecret. The browser entry's CognitoClient refuses a
// secret, so a secret is never shipped to a browser by mistake; the CognitoClient of
// cognito-kit/node and cognito-kit/server registers its options here first. A WeakMap, not a flag
// in the options: nothing a caller can type into the options unlocks it.
import { invalidParameter } from '../errors.js';

/** Where the HMAC comes from: WebCrypto's SubtleCrypto, found by the entry that allows secrets. */
export type SubtleProvider = () => Promise<SubtleCrypto>;

/** A confidential app client's secret, as the transport uses it. */
export interface ClientSecret {
  readonly secret: string;
  readonly subtle: SubtleProvider;
}

const allowed = new WeakMap<object, SubtleProvider>();

/** A copy of `options` that {@link resolveClientSecret} accepts a `clientSecret` in. */
export function allowClientSecret<T extends object>(options: T, subtle: SubtleProvider): T {
  if (options === null || typeof options !== 'object' || !('clientSecret' in options)) return options;
  const copy = { ...options };
  allowed.set(copy, subtle);
  return copy;
}

/**
 * The options' `clientSecret`, or `undefined` when there is none.
 * @throws CognitoError `InvalidParameterException` when a secret is given to the browser entry, or is not a non-empty string.
 */
export function resolveClientSecret(options: object, value: unknown): ClientSecret | undefined {
  if (value === undefined) return undefined;
  const subtle = allowed.get(options);
  if (!subtle) {
    throw invalidParameter(
      'clientSecret is accepted only by the CognitoClient of cognito-kit/node or cognito-kit/server: a client secret must never reach a browser',
    );
  }
  if (typeof value !== 'string' || value.trim() === '')
    throw invalidParameter('clientSecret must be a non-empty string');
  return { secret: value, subtle };
}

/** WebCrypto of the runtime (Node >= 19, Deno, Bun, workers, browsers). */
export async function globalSubtle(): Promise<SubtleCrypto> {
  const subtle = (globalThis as { crypto?: { subtle?: SubtleCrypto } }).crypto?.subtle;
  if (!subtle) {
    throw invalidParameter(
      'clientSecret needs WebCrypto (globalThis.crypto.subtle), which this runtime lacks',
    );
  }
  return subtle;
}

// What the passwordless modules use of the core, handed to them by the core (sign-in.ts builds it)
// instead of imported. A lazy chunk that imported a core module would make bundlers split that
// module out of the app's entry chunk into a shared chunk, and every app, passwordless or not,
// would pay for the extra chunks. Type-only imports cost nothing.
import type { challengeCodeDelivery } from '../code-delivery.js';
import type { CognitoError, invalidParameter } from '../errors.js';
import type { startSrp } from '../internal/srp.js';
import type {
  optionalString,
  optionalStringRecord,
  requireNumber,
  requireOneOf,
  requireOptions,
  requireString,
} from '../internal/validate.js';
import type { handleAnswer, stepForError, verifyPassword } from '../sign-in.js';
import type { storedDevice, withDevice } from '../sign-in-device.js';
import type { parseJson, requireParameter, totpSetupStep, unsupported } from '../sign-in-steps.js';

/**
 * The core's functions the passwordless modules call, as the core hands them over: a tuple, because
 * property names would survive minification in the entry chunk of every app.
 */
export type CoreKit = readonly [
  typeof CognitoError,
  typeof invalidParameter,
  typeof challengeCodeDelivery,
  typeof startSrp,
  typeof optionalString,
  typeof optionalStringRecord,
  typeof requireNumber,
  typeof requireOneOf,
  typeof requireOptions,
  typeof requireString,
  typeof handleAnswer,
  typeof parseJson,
  typeof requireParameter,
  typeof stepForError,
  typeof totpSetupStep,
  typeof unsupported,
  typeof verifyPassword,
  typeof storedDevice,
  typeof withDevice,
];

/** The same functions by name, as the passwordless modules use them. */
export interface PasswordlessKit {
  CognitoError: typeof CognitoError;
  invalidParameter: typeof invalidParameter;
  challengeCodeDelivery: typeof challengeCodeDelivery;
  startSrp: typeof startSrp;
  optionalString: typeof optionalString;
  optionalStringRecord: typeof optionalStringRecord;
  requireNumber: typeof requireNumber;
  requireOneOf: typeof requireOneOf;
  requireOptions: typeof requireOptions;
  requireString: typeof requireString;
  handleAnswer: typeof handleAnswer;
  parseJson: typeof parseJson;
  requireParameter: typeof requireParameter;
  stepForError: typeof stepForError;
  totpSetupStep: typeof totpSetupStep;
  unsupported: typeof unsupported;
  verifyPassword: typeof verifyPassword;
  storedDevice: typeof storedDevice;
  withDevice: typeof withDevice;
}

export function unpack(core: CoreKit): PasswordlessKit {
  const [CognitoError, invalidParameter, challengeCodeDelivery, startSrp, optionalString] = core;
  const [, , , , , optionalStringRecord, requireNumber, requireOneOf, requireOptions, requireString] = core;
  const [, , , , , , , , , , handleAnswer, parseJson, requireParameter, stepForError] = core;
  const [, , , , , , , , , , , , , , totpSetupStep, unsupported, verifyPassword, storedDevice, withDevice] =
    core;
  return {
    CognitoError,
    invalidParameter,
    challengeCodeDelivery,
    startSrp,
    optionalString,
    optionalStringRecord,
    requireNumber,
    requireOneOf,
    requireOptions,
    requireString,
    handleAnswer,
    parseJson,
    requireParameter,
    stepForError,
    totpSetupStep,
    unsupported,
    verifyPassword,
    storedDevice,
    withDevice,
  };
}

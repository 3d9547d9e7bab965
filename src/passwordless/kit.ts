// What the passwordless modules use of the core: `core.lib` (internal/core.ts), like every lazily
// loaded feature. A lazy chunk that imported a core module would make bundlers split that module
// out of the app's entry chunk into a shared chunk, and every app, passwordless or not, would pay
// for the extra chunk. The sign-in state machine sits in `lib.signIn` by position (names would
// stay in the entry chunk); this names it again, here in the passwordless chunk.
import type { CoreLib } from '../internal/core.js';

type Machine = CoreLib['signIn'];

/** `core.lib` with the sign-in state machine by name. */
export interface PasswordlessKit extends Omit<CoreLib, 'signIn'> {
  challengeCodeDelivery: Machine[0];
  handleAnswer: Machine[1];
  stepForError: Machine[2];
  verifyPassword: Machine[3];
  initiateAuth: Machine[4];
  respondWithDevice: Machine[5];
  parseJson: Machine[6];
  requireParameter: Machine[7];
  totpSetupStep: Machine[8];
  unsupported: Machine[9];
}

export function kitOf(lib: CoreLib): PasswordlessKit {
  const [challengeCodeDelivery, handleAnswer, stepForError, verifyPassword, initiateAuth] = lib.signIn;
  const [, , , , , respondWithDevice, parseJson, requireParameter, totpSetupStep, unsupported] = lib.signIn;
  return {
    ...lib,
    challengeCodeDelivery,
    handleAnswer,
    stepForError,
    verifyPassword,
    initiateAuth,
    respondWithDevice,
    parseJson,
    requireParameter,
    totpSetupStep,
    unsupported,
  };
}

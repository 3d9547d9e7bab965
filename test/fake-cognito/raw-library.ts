// Driving amazon-cognito-identity-js in the tests that prove the fake against it: its callback API
// as a promise of the callback it ended in, and a storage the test can look into.
import type {
  CognitoUserSession,
  IAuthenticationCallback,
  ICognitoStorage,
} from 'amazon-cognito-identity-js';

/** The callback a library call ended in, with what it was given. */
export type LibraryStep =
  | { kind: 'success'; session: CognitoUserSession; confirmationNecessary?: boolean }
  | { kind: 'newPasswordRequired'; userAttributes: Record<string, string>; requiredAttributes: string[] }
  | {
      kind: 'mfaRequired' | 'totpRequired' | 'mfaSetup' | 'selectMFAType';
      parameters: Record<string, string>;
    }
  | { kind: 'customChallenge'; parameters: Record<string, string> };

/** Runs one library call and resolves with whichever callback it ends in (rejects on onFailure). */
export function step(start: (callbacks: IAuthenticationCallback) => void): Promise<LibraryStep> {
  return new Promise((resolve, reject) => {
    start({
      onSuccess: (session, confirmationNecessary) =>
        resolve({ kind: 'success', session, ...(confirmationNecessary ? { confirmationNecessary } : {}) }),
      onFailure: reject,
      newPasswordRequired: (userAttributes, requiredAttributes) =>
        resolve({ kind: 'newPasswordRequired', userAttributes, requiredAttributes }),
      mfaRequired: (_name, parameters) => resolve({ kind: 'mfaRequired', parameters }),
      totpRequired: (_name, parameters) => resolve({ kind: 'totpRequired', parameters }),
      mfaSetup: (_name, parameters) => resolve({ kind: 'mfaSetup', parameters }),
      selectMFAType: (_name, parameters) => resolve({ kind: 'selectMFAType', parameters }),
      customChallenge: (parameters) => resolve({ kind: 'customChallenge', parameters }),
    });
  });
}

/** The session of a step that ended in onSuccess; throws naming the step otherwise. */
export function successOf(result: LibraryStep): CognitoUserSession {
  if (result.kind !== 'success') throw new Error(`expected success, got ${result.kind}`);
  return result.session;
}

/** A storage for the library over a Map the test can read. */
export function libraryStorage(): ICognitoStorage & { items: Map<string, string> } {
  const items = new Map<string, string>();
  return {
    items,
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, value),
    removeItem: (key) => void items.delete(key),
    clear: () => items.clear(),
  };
}

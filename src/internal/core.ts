// The seam every feature plugs into: one object per CognitoClient that holds what the client
// owns (options, storage, transport, session manager, events). Features are modules (sign-in.ts,
// account.ts, and 0.2's oauth/, identity/, devices/, passwordless/) whose functions take this
// object as their first argument. The facade loads a 0.2 feature with a dynamic import on first
// use, so an app that never calls it never downloads or evaluates its code (docs/design.md,
// "How a feature plugs in").
import { accessToken } from '../account.js';
import { challengeCodeDelivery } from '../code-delivery.js';
import {
  CognitoError,
  type CognitoErrorCode,
  type CognitoErrorOptions,
  invalidParameter,
  toCognitoError,
} from '../errors.js';
import type { Emitter } from '../events.js';
import { type ResolvedOptions, requireEndpoint } from '../options.js';
import { type SessionManager, tokensFrom } from '../session.js';
import type { SessionStore } from '../session-store.js';
import { attachSessionSync } from '../session-sync.js';
import { handleAnswer, initiateAuth, respondWithDevice, stepForError, verifyPassword } from '../sign-in.js';
import { parseJson, requireParameter, totpSetupStep, unsupported } from '../sign-in-steps.js';
import type { AuthFlow } from '../types.js';
import type { Transport } from './http.js';
import { decodeJwt, numericClaim, stringClaim } from './jwt.js';
import { bytesToBase64, hexToBytes, loadLibrary, startSrp } from './srp.js';
import {
  optionalBoolean,
  optionalString,
  optionalStringRecord,
  requireNumber,
  requireOneOf,
  requireOptions,
  requireString,
} from './validate.js';

/**
 * The runtime a lazily loaded feature uses, handed to it through the core: a feature imports only
 * types from the rest of src/. A static import of a module that the entry also uses makes bundlers
 * (esbuild, Rollup, Rolldown alike) move that module out of the entry into a shared chunk, which
 * every app then loads as one more file, whether it uses the feature or not (docs/design.md).
 */
export const lib = {
  CognitoError,
  invalidParameter,
  toCognitoError,
  accessToken,
  tokensFrom,
  decodeJwt,
  numericClaim,
  stringClaim,
  startSrp,
  loadLibrary,
  bytesToBase64,
  hexToBytes,
  optionalBoolean,
  optionalString,
  optionalStringRecord,
  requireNumber,
  requireOneOf,
  requireOptions,
  requireString,
  // #region oauth
  requireEndpoint,
  // #endregion oauth
  // #region passwordless
  /**
   * The sign-in state machine, for passwordless/ (USER_AUTH, passkeys, sign-in after sign-up).
   * Positional, because property names survive minification in every app's entry chunk; the
   * passwordless chunk names them again (passwordless/kit.ts).
   */
  signIn: [
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
  ] as const,
  // #endregion passwordless
};

/** The runtime helpers of {@link lib}. */
export type CoreLib = typeof lib;

/** What a feature module gets from its client. */
export interface ClientCore {
  readonly options: ResolvedOptions;
  readonly userPoolId: string;
  readonly clientId: string;
  /** The sign-in flow when signIn() names none. */
  readonly authFlow: AuthFlow;
  readonly transport: Transport;
  readonly store: SessionStore;
  readonly sessions: SessionManager;
  readonly events: Emitter;
  /** The local clock, injectable for tests. */
  readonly now: () => number;
  readonly totpIssuer: string;
  /** How long a pending challenge is kept (Cognito's AuthSessionValidity), in ms. */
  readonly challengeTtlMs: number;
  /**
   * A feature's per-client state (a credential cache, a pending OAuth request), created on first
   * use and kept for the client's life. Keyed by a symbol the feature module owns.
   */
  state<T>(key: symbol, create: () => T): T;
  /** Runtime helpers for lazily loaded features, which import only types ({@link lib}). */
  readonly lib: CoreLib;
  /**
   * Builds a {@link CognitoError}. A lazily loaded feature builds its errors (and its transports,
   * `transport.to(…)`) through the core instead of importing errors.ts or http.ts: a static import
   * of a module the entry also uses makes bundlers split that module into a shared chunk, which
   * every app then loads, and pays for, whether it uses the feature or not.
   */
  error(code: CognitoErrorCode | (string & {}), message: string, options?: CognitoErrorOptions): CognitoError;
}

/** Builds the core of one client. */
export function createCore(parts: Omit<ClientCore, 'state' | 'error' | 'lib'>): ClientCore {
  const states = new Map<symbol, unknown>();
  const core: ClientCore = {
    ...parts,
    lib,
    state<T>(key: symbol, create: () => T): T {
      if (!states.has(key)) states.set(key, create());
      return states.get(key) as T;
    },
    error: (code, message, options) => new CognitoError(code, message, options),
  };
  // Every change this client emits reaches onSessionChange and other tabs; other tabs' changes are
  // followed from the first on() or onSessionChange() (session-sync.ts).
  // #region sync
  attachSessionSync(core);
  // #endregion sync
  return core;
}

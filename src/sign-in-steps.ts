// Cognito's challenge → the typed next step the caller sees (NextSignInStep), and the small
// parsing helpers sign-in and the passwordless chunk share. The state machine is sign-in.ts.

import { challengeCodeDelivery } from './code-delivery.js';
import { CognitoError } from './errors.js';
import type { PendingChallenge } from './session-store.js';
import type { SignInContext } from './sign-in.js';
import { otpauthUri, totpLabel } from './totp.js';
import type { NextSignInStep } from './types.js';

export const ATTRIBUTE_PREFIX = 'userAttributes.';
// A Map, not an object: a server-provided name such as "__proto__" must not find Object.prototype.
const MFA_TYPES: ReadonlyMap<string, 'SMS' | 'TOTP' | 'EMAIL'> = new Map([
  ['SMS_MFA', 'SMS'],
  ['SOFTWARE_TOKEN_MFA', 'TOTP'],
  ['EMAIL_OTP', 'EMAIL'],
]);

export async function nextStepFor(
  ctx: SignInContext,
  pending: PendingChallenge,
  parameters: Record<string, string>,
): Promise<NextSignInStep> {
  switch (pending.challengeName) {
    case 'NEW_PASSWORD_REQUIRED': {
      const required = parseJson<string[]>(parameters.requiredAttributes, []);
      const attributes = parseJson<Record<string, unknown>>(parameters.userAttributes, {});
      return {
        signInStep: 'CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED',
        requiredAttributes: required.map((name) => String(name).replace(ATTRIBUTE_PREFIX, '')),
        userAttributes: Object.fromEntries(
          Object.entries(attributes).flatMap(([key, value]) =>
            typeof value === 'string' ? [[key, value]] : [],
          ),
        ),
      };
    }
    case 'SMS_MFA':
      return {
        signInStep: 'CONFIRM_SIGN_IN_WITH_SMS_CODE',
        codeDelivery: challengeCodeDelivery(parameters, 'SMS'),
      };
    case 'SOFTWARE_TOKEN_MFA':
      return { signInStep: 'CONFIRM_SIGN_IN_WITH_TOTP_CODE' };
    case 'SELECT_MFA_TYPE': {
      const choices = parseJson<string[]>(parameters.MFAS_CAN_CHOOSE, []);
      const allowedMfaTypes = choices.flatMap((choice) => {
        const type = MFA_TYPES.get(String(choice));
        return type ? [type] : [];
      });
      return { signInStep: 'CONTINUE_SIGN_IN_WITH_MFA_SELECTION', allowedMfaTypes };
    }
    case 'MFA_SETUP': {
      const canSetUp = parseJson<string[]>(parameters.MFAS_CAN_SETUP, ['SOFTWARE_TOKEN_MFA']);
      if (!canSetUp.includes('SOFTWARE_TOKEN_MFA')) throw unsupported('MFA_SETUP (SMS)');
      return totpSetupStep(ctx, pending);
    }
    case 'CUSTOM_CHALLENGE':
      return { signInStep: 'CONFIRM_SIGN_IN_WITH_CUSTOM_CHALLENGE', challengeParameters: { ...parameters } };
    default:
      throw unsupported(pending.challengeName);
  }
}

/** MFA_SETUP for TOTP: AssociateSoftwareToken with the challenge session, then the set-up step. */
export async function totpSetupStep(ctx: SignInContext, pending: PendingChallenge): Promise<NextSignInStep> {
  const associated = await ctx.transport.send<{ SecretCode?: string; Session?: string }>(
    'AssociateSoftwareToken',
    { Session: pending.session },
  );
  if (!associated.SecretCode) {
    throw new CognitoError('UnexpectedResponseException', 'Cognito answered without a TOTP secret');
  }
  pending.session = associated.Session ?? pending.session;
  const secretCode = associated.SecretCode;
  return {
    signInStep: 'CONTINUE_SIGN_IN_WITH_TOTP_SETUP',
    secretCode,
    otpauthUri: otpauthUri(ctx.totpIssuer, totpLabel(pending.label, pending.username), secretCode),
  };
}

export function requireParameter(parameters: Record<string, string>, name: string): string {
  const value = parameters[name];
  if (typeof value !== 'string' || value === '') {
    throw new CognitoError('UnexpectedResponseException', `Cognito's challenge lacks ${name}`);
  }
  return value;
}

export function parseJson<T extends object>(raw: string | undefined, fallback: T): T {
  if (raw === undefined) return fallback;
  try {
    const value: unknown = JSON.parse(raw);
    return value !== null && typeof value === 'object' && Array.isArray(value) === Array.isArray(fallback)
      ? (value as T)
      : fallback;
  } catch {
    return fallback;
  }
}

export function unsupported(challenge: string): CognitoError {
  return new CognitoError(
    'UnsupportedChallengeException',
    `cognito-kit does not support the ${challenge} challenge`,
  );
}

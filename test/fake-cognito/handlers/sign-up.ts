import { randomBytes } from 'node:crypto';
import {
  attributeList,
  type Body,
  CognitoFault,
  invalidParameter,
  optionalString,
  requireString,
} from '../errors.js';
import type { Pool } from '../pool.js';
import { isKnownAttribute, type UserRecord } from '../users.js';
import { uuid } from '../util.js';

export const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
export const PHONE_PATTERN = /^\+[0-9]{4,15}$/;

/** Rejects attributes a public client may not write, and malformed email / phone numbers. */
export function checkWritableAttribute(name: string, value: string): void {
  if (name === 'sub') throw invalidParameter('Cannot modify the non-mutable attribute sub');
  if (name === 'email_verified' || name === 'phone_number_verified') {
    throw new CognitoFault('NotAuthorizedException', 'A client attempted to write unauthorized attribute');
  }
  if (!isKnownAttribute(name)) throw invalidParameter(`Attribute does not exist in the schema: ${name}`);
  if (name === 'email' && !EMAIL_PATTERN.test(value)) throw invalidParameter('Invalid email address format.');
  if (name === 'phone_number' && !PHONE_PATTERN.test(value))
    throw invalidParameter('Invalid phone number format.');
}

/** SignUp: creates an UNCONFIRMED user and sends a code to its email (else phone). */
export function signUp(pool: Pool, body: Body) {
  pool.checkClient(body);
  const username = requireString(body, 'Username');
  // Passwordless pools (a first factor besides PASSWORD) register users without one.
  const passwordless = pool.allowedFirstAuthFactors.some((factor) => factor !== 'PASSWORD');
  const password = passwordless && body.Password === undefined ? undefined : requireString(body, 'Password');
  const attributes: Record<string, string> = {};
  for (const { Name, Value } of attributeList(body, 'UserAttributes')) {
    checkWritableAttribute(Name, Value);
    attributes[Name] = Value;
  }
  const sub = uuid();
  let internalName = username;
  if (pool.emailAlias) {
    if (!EMAIL_PATTERN.test(username)) throw invalidParameter('Username should be an email.');
    if (pool.users.findByEmail(username)) {
      throw new CognitoFault('UsernameExistsException', 'An account with the given email already exists.');
    }
    attributes.email = username;
    internalName = sub;
  } else if (pool.users.find(username)) {
    throw new CognitoFault('UsernameExistsException', 'User already exists');
  }
  if (password !== undefined) pool.checkPasswordPolicy(password);
  if (attributes.email) attributes.email_verified = 'false';
  if (attributes.phone_number) attributes.phone_number_verified = 'false';
  const user = pool.users.create({
    username: internalName,
    sub,
    password: password ?? randomBytes(24).toString('base64'),
    status: 'UNCONFIRMED',
    attributes,
    now: pool.now(),
  });
  user.passwordless = password === undefined;
  const target = pool.deliveryTarget(user, false);
  // The Session that ConfirmSignUp takes to hand out a sign-in Session (USER_AUTH).
  const session = pool.sessions.create({
    challenge: 'SIGN_UP',
    username: user.username,
    sub,
    flow: 'USER_AUTH',
  });
  return {
    UserConfirmed: false,
    UserSub: sub,
    Session: session.id,
    ...(target ? { CodeDeliveryDetails: pool.sendCode(user, 'signUp', target.attribute, target.value) } : {}),
  };
}

/** ConfirmSignUp: the code marks the user CONFIRMED and the attribute it went to verified. */
export function confirmSignUp(pool: Pool, body: Body): { Session?: string } {
  pool.checkClient(body);
  const username = requireString(body, 'Username');
  const code = requireString(body, 'ConfirmationCode');
  const user = pool.requireUser(username);
  const sessionId = optionalString(body, 'Session');
  const signUpSession = sessionId === undefined ? undefined : pool.sessions.get(sessionId);
  if (signUpSession && (signUpSession.challenge !== 'SIGN_UP' || signUpSession.username !== user.username)) {
    throw new CognitoFault('NotAuthorizedException', 'Invalid session for the user.');
  }
  if (user.status !== 'UNCONFIRMED') {
    throw new CognitoFault(
      'NotAuthorizedException',
      `User cannot be confirmed. Current status is ${user.status}`,
    );
  }
  pool.codes.redeem(user.username, 'signUp', code, pool.now());
  const sentTo = pool.codes.latest(user.username, 'signUp')?.destination;
  markVerified(user, sentTo);
  user.status = 'CONFIRMED';
  user.lastModified = pool.now();
  if (!signUpSession) return {};
  pool.sessions.consume(signUpSession);
  const next = pool.sessions.create({
    challenge: 'SIGN_UP_CONFIRMED',
    username: user.username,
    sub: user.sub,
    flow: 'USER_AUTH',
  });
  return { Session: next.id };
}

function markVerified(user: UserRecord, destination: string | undefined): void {
  for (const attribute of ['email', 'phone_number']) {
    if (destination !== undefined && user.attributes[attribute] === destination) {
      user.attributes[`${attribute}_verified`] = 'true';
    }
  }
}

/** ResendConfirmationCode: a new sign-up code; the previous one stops working. */
export function resendConfirmationCode(pool: Pool, body: Body) {
  pool.checkClient(body);
  const user = pool.requireUser(requireString(body, 'Username'));
  if (user.status !== 'UNCONFIRMED') throw invalidParameter('User is already confirmed.');
  const target = pool.deliveryTarget(user, false);
  if (!target) throw invalidParameter('User has no email or phone_number to send a code to.');
  return { CodeDeliveryDetails: pool.sendCode(user, 'signUp', target.attribute, target.value) };
}

/** ForgotPassword: a code to the verified email (else phone). */
export function forgotPassword(pool: Pool, body: Body) {
  pool.checkClient(body);
  const user = pool.requireUser(requireString(body, 'Username'));
  const target = pool.deliveryTarget(user, true);
  if (!target) {
    throw invalidParameter(
      'Cannot reset password for the user as there is no registered/verified email or phone_number',
    );
  }
  return { CodeDeliveryDetails: pool.sendCode(user, 'forgotPassword', target.attribute, target.value) };
}

/** ConfirmForgotPassword: sets the new password; a RESET_REQUIRED user becomes CONFIRMED. */
export function confirmForgotPassword(pool: Pool, body: Body): Record<string, never> {
  pool.checkClient(body);
  const username = requireString(body, 'Username');
  const code = requireString(body, 'ConfirmationCode');
  const password = requireString(body, 'Password');
  const user = pool.requireUser(username);
  pool.checkPasswordPolicy(password);
  pool.codes.redeem(user.username, 'forgotPassword', code, pool.now());
  pool.users.setPassword(user, password);
  if (user.status === 'RESET_REQUIRED' || user.status === 'FORCE_CHANGE_PASSWORD') user.status = 'CONFIRMED';
  user.lastModified = pool.now();
  return {};
}

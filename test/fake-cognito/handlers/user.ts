import {
  attributeList,
  type Body,
  CognitoFault,
  invalidParameter,
  requirePresent,
  requireString,
  stringList,
} from '../errors.js';
import type { Pool } from '../pool.js';
import type { UserRecord } from '../users.js';
import { checkWritableAttribute } from './sign-up.js';

const VERIFIABLE = new Set(['email', 'phone_number']);

/** GetUser: attributes and MFA settings of the token's user. */
export function getUser(pool: Pool, body: Body) {
  const user = pool.authenticate(body);
  const enabled = [
    ...(user.smsMfaEnabled ? ['SMS_MFA'] : []),
    ...(user.totpEnabled && user.totpSecret ? ['SOFTWARE_TOKEN_MFA'] : []),
    ...(user.emailMfaEnabled ? ['EMAIL_OTP'] : []),
  ];
  const preferred =
    user.preferredMfa &&
    { SMS: 'SMS_MFA', TOTP: 'SOFTWARE_TOKEN_MFA', EMAIL: 'EMAIL_OTP' }[user.preferredMfa];
  return {
    Username: user.username,
    UserAttributes: Object.entries(user.attributes).map(([Name, Value]) => ({ Name, Value })),
    ...(user.smsMfaEnabled ? { MFAOptions: [{ DeliveryMedium: 'SMS', AttributeName: 'phone_number' }] } : {}),
    ...(preferred && enabled.includes(preferred) ? { PreferredMfaSetting: preferred } : {}),
    ...(enabled.length > 0 ? { UserMFASettingList: enabled } : {}),
  };
}

/**
 * UpdateUserAttributes. A new email / phone_number replacing a verified one waits for
 * VerifyUserAttribute (the old value stays active); everything else changes at once.
 */
export function updateUserAttributes(pool: Pool, body: Body) {
  const user = pool.authenticate(body);
  requirePresent(body, 'UserAttributes');
  const updates = attributeList(body, 'UserAttributes');
  for (const { Name, Value } of updates) {
    checkWritableAttribute(Name, Value);
    if (Name === 'email' && pool.emailAlias) {
      const owner = pool.users.findByEmail(Value);
      if (owner && owner !== user) {
        throw new CognitoFault('AliasExistsException', 'An account with the given email already exists.');
      }
    }
  }
  const deliveries = [];
  for (const { Name, Value } of updates) {
    if (!VERIFIABLE.has(Name)) {
      user.attributes[Name] = Value;
      continue;
    }
    if (user.attributes[Name] === Value) {
      delete user.pendingAttributes[Name];
      continue;
    }
    if (user.attributes[`${Name}_verified`] === 'true') {
      user.pendingAttributes[Name] = Value;
    } else {
      user.attributes[Name] = Value;
      user.attributes[`${Name}_verified`] = 'false';
    }
    deliveries.push(pool.sendCode(user, `attribute:${Name}`, Name, Value));
  }
  user.lastModified = pool.now();
  return deliveries.length > 0 ? { CodeDeliveryDetailsList: deliveries } : {};
}

/** DeleteUserAttributes. Removing phone_number also turns SMS MFA off. */
export function deleteUserAttributes(pool: Pool, body: Body): Record<string, never> {
  const user = pool.authenticate(body);
  const names = stringList(body, 'UserAttributeNames');
  for (const name of names) {
    if (name === 'sub') throw invalidParameter('Cannot modify the non-mutable attribute sub');
    if (name === 'email' && pool.emailAlias)
      throw invalidParameter('Cannot delete a required attribute: email');
  }
  for (const name of names) {
    delete user.attributes[name];
    if (VERIFIABLE.has(name)) {
      delete user.attributes[`${name}_verified`];
      delete user.pendingAttributes[name];
    }
    if (name === 'phone_number') {
      user.smsMfaEnabled = false;
      if (user.preferredMfa === 'SMS') user.preferredMfa = undefined;
    }
  }
  user.lastModified = pool.now();
  return {};
}

function verifiableValue(user: UserRecord, name: string): string {
  if (!VERIFIABLE.has(name)) throw invalidParameter(`Attribute ${name} cannot be verified.`);
  const value = user.pendingAttributes[name] ?? user.attributes[name];
  if (!value) throw invalidParameter(`User does not have a value for the attribute ${name}.`);
  return value;
}

/** GetUserAttributeVerificationCode: a code for the pending (else current) email / phone_number. */
export function getUserAttributeVerificationCode(pool: Pool, body: Body) {
  const user = pool.authenticate(body);
  const name = requireString(body, 'AttributeName');
  return { CodeDeliveryDetails: pool.sendCode(user, `attribute:${name}`, name, verifiableValue(user, name)) };
}

/** VerifyUserAttribute: a pending value becomes active, and `<name>_verified` 'true'. */
export function verifyUserAttribute(pool: Pool, body: Body): Record<string, never> {
  const user = pool.authenticate(body);
  const name = requireString(body, 'AttributeName');
  const code = requireString(body, 'Code');
  verifiableValue(user, name);
  pool.codes.redeem(user.username, `attribute:${name}`, code, pool.now());
  const pending = user.pendingAttributes[name];
  if (pending !== undefined) {
    user.attributes[name] = pending;
    delete user.pendingAttributes[name];
  }
  user.attributes[`${name}_verified`] = 'true';
  user.lastModified = pool.now();
  return {};
}

/** ChangePassword: the previous password must match. Tokens stay valid, as in Cognito. */
export function changePassword(pool: Pool, body: Body): Record<string, never> {
  const user = pool.authenticate(body);
  const previous = requireString(body, 'PreviousPassword');
  const proposed = requireString(body, 'ProposedPassword');
  if (!pool.users.checkPassword(user, previous)) {
    throw new CognitoFault('NotAuthorizedException', 'Incorrect username or password.');
  }
  pool.checkPasswordPolicy(proposed);
  pool.users.setPassword(user, proposed);
  user.lastModified = pool.now();
  return {};
}

/** DeleteUser: the user and every token issued to it are gone. */
export function deleteUser(pool: Pool, body: Body): Record<string, never> {
  const user = pool.authenticate(body);
  pool.tokens.revokeUser(user.username);
  pool.codes.forget(user.username);
  pool.devices.deleteUser(user.username);
  pool.users.delete(user);
  return {};
}

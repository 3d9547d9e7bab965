// The bundle-size app on the raw amazon-cognito-identity-js: the same six steps as kit-app.ts,
// promisified by hand the way apps on the raw library do.
import {
  AuthenticationDetails,
  CognitoUser,
  CognitoUserAttribute,
  CognitoUserPool,
  type CognitoUserSession,
} from 'amazon-cognito-identity-js';

const pool = new CognitoUserPool({ UserPoolId: 'us-east-1_AbCdEf123', ClientId: '1example23456789' });

function currentUser(): CognitoUser {
  const user = pool.getCurrentUser();
  if (!user) throw new Error('Not signed in');
  return user;
}

function session(user: CognitoUser): Promise<CognitoUserSession> {
  return new Promise((resolve, reject) => {
    user.getSession((error: Error | null, value: CognitoUserSession | null) => {
      if (error || !value) reject(error ?? new Error('No session'));
      else resolve(value);
    });
  });
}

export function register(username: string, password: string, email: string): Promise<boolean> {
  const attributes = [new CognitoUserAttribute({ Name: 'email', Value: email })];
  return new Promise((resolve, reject) => {
    pool.signUp(username, password, attributes, [], (error, result) => {
      if (error || !result) reject(error ?? new Error('No result'));
      else resolve(result.userConfirmed);
    });
  });
}

export function confirm(username: string, code: string): Promise<void> {
  const user = new CognitoUser({ Username: username, Pool: pool });
  return new Promise((resolve, reject) => {
    user.confirmRegistration(code, false, (error) => (error ? reject(error) : resolve()));
  });
}

export function logIn(username: string, password: string): Promise<string | undefined> {
  const user = new CognitoUser({ Username: username, Pool: pool });
  const details = new AuthenticationDetails({ Username: username, Password: password });
  return new Promise((resolve, reject) => {
    user.authenticateUser(details, {
      onSuccess: () => resolve(user.getUsername()),
      onFailure: reject,
      newPasswordRequired: () => resolve('CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED'),
      mfaRequired: () => resolve('CONFIRM_SIGN_IN_WITH_SMS_CODE'),
      totpRequired: () => resolve('CONFIRM_SIGN_IN_WITH_TOTP_CODE'),
    });
  });
}

export async function accessToken(): Promise<string | null> {
  const user = pool.getCurrentUser();
  if (!user) return null;
  return (await session(user)).getAccessToken().getJwtToken();
}

export async function rename(name: string): Promise<boolean> {
  const user = currentUser();
  await session(user);
  return new Promise((resolve, reject) => {
    user.updateAttributes([new CognitoUserAttribute({ Name: 'name', Value: name })], (error) =>
      error ? reject(error) : resolve(true),
    );
  });
}

export async function logOut(): Promise<void> {
  const user = pool.getCurrentUser();
  if (!user) return;
  await session(user).catch(() => undefined);
  await new Promise<void>((resolve) => user.signOut(() => resolve()));
}

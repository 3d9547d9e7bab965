// The bundle-size app on Amplify v6: the same six steps as kit-app.ts.
import { Amplify } from 'aws-amplify';
import {
  confirmSignUp,
  fetchAuthSession,
  signIn,
  signOut,
  signUp,
  updateUserAttributes,
} from 'aws-amplify/auth';

Amplify.configure({
  Auth: { Cognito: { userPoolId: 'us-east-1_AbCdEf123', userPoolClientId: '1example23456789' } },
});

export async function register(username: string, password: string, email: string): Promise<boolean> {
  const { isSignUpComplete } = await signUp({ username, password, options: { userAttributes: { email } } });
  return isSignUpComplete;
}

export async function confirm(username: string, confirmationCode: string): Promise<void> {
  await confirmSignUp({ username, confirmationCode });
}

export async function logIn(username: string, password: string): Promise<string | undefined> {
  const result = await signIn({ username, password });
  return result.isSignedIn ? username : result.nextStep.signInStep;
}

export async function accessToken(): Promise<string | null> {
  const { tokens } = await fetchAuthSession();
  return tokens?.accessToken.toString() ?? null;
}

export async function rename(name: string): Promise<boolean> {
  const result = await updateUserAttributes({ userAttributes: { name } });
  return result.name?.isUpdated ?? false;
}

export async function logOut(): Promise<void> {
  await signOut();
}

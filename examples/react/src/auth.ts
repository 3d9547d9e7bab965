// The app's one CognitoClient, created once outside any component. Configuration from the query
// string (?userPoolId=…&clientId=…&endpoint=…&authFlow=…) or VITE_COGNITO_* variables.
import { CognitoClient } from 'cognito-kit';

const query = new URLSearchParams(location.search);
const env = (import.meta as ImportMeta & { env?: Record<string, string | undefined> }).env ?? {};
const pick = (name: string, envName: string): string | undefined =>
  query.get(name) || env[envName] || undefined;

const endpoint = pick('endpoint', 'VITE_COGNITO_ENDPOINT');
export const auth = new CognitoClient({
  userPoolId: pick('userPoolId', 'VITE_COGNITO_USER_POOL_ID') ?? 'us-east-1_AbCdEf123',
  clientId: pick('clientId', 'VITE_COGNITO_CLIENT_ID') ?? '1example23456789',
  authFlow:
    pick('authFlow', 'VITE_COGNITO_AUTH_FLOW') === 'USER_PASSWORD_AUTH'
      ? 'USER_PASSWORD_AUTH'
      : 'USER_SRP_AUTH',
  ...(endpoint ? { endpoint } : {}),
  autoRefresh: true,
});

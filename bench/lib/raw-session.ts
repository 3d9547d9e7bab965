import type { CognitoUserPool, CognitoUserSession } from 'amazon-cognito-identity-js';

/** The raw library's getSession, promisified the way an app would. */
export function rawGetSession(pool: CognitoUserPool): Promise<CognitoUserSession | null> {
  return new Promise((resolve, reject) => {
    const user = pool.getCurrentUser();
    if (!user) {
      resolve(null);
      return;
    }
    user.getSession((error: Error | null, session: CognitoUserSession | null) => {
      if (error) reject(error);
      else resolve(session);
    });
  });
}

/**
 * `npx tsx examples/browser/dev.ts`: the browser example against a local cognito-local emulator, with
 * no AWS account. Starts the emulator, creates a user pool (custom:nickname declared, email
 * auto-verified) and an app client, then serves the example with Vite's dev server configured for
 * them (USER_PASSWORD_AUTH: the emulator has no SRP). Every confirmation code is 123456.
 * Ctrl+C stops both. Build the package first (`npm run build`): the example imports `cognito-kit`.
 */
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer } from 'vite';
import { startCognitoLocal } from '../../scripts/lib/cognito-local.js';

const emulator = await startCognitoLocal();
try {
  const { userPoolId, clientId } = await emulator.createPool();
  // Vite exposes VITE_* variables of its own environment to the page as import.meta.env.
  Object.assign(process.env, {
    VITE_COGNITO_USER_POOL_ID: userPoolId,
    VITE_COGNITO_CLIENT_ID: clientId,
    VITE_COGNITO_ENDPOINT: emulator.endpoint,
    VITE_COGNITO_AUTH_FLOW: 'USER_PASSWORD_AUTH',
  });
  const server = await createServer({ root: dirname(fileURLToPath(import.meta.url)) });
  await server.listen();
  server.printUrls();
  console.log(`\n  cognito-local ${emulator.endpoint} · pool ${userPoolId} · client ${clientId}`);
  console.log(`  Sign up with any username, an email and a password; the code is ${emulator.code}.\n`);
  const stop = async (): Promise<void> => {
    await server.close();
    await emulator.stop();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} catch (error) {
  await emulator.stop();
  throw error;
}

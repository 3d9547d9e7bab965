// A small page for the passkey tests, bundled by esbuild from src/ (splitting on, so the
// passwordless and WebAuthn code arrive as lazy chunks, as in an app).
import { CognitoClient, isCognitoError, webStorage } from '../../../src/index.js';

declare global {
  interface Window {
    kit: {
      CognitoClient: typeof CognitoClient;
      isCognitoError: typeof isCognitoError;
      webStorage: typeof webStorage;
    };
  }
}

window.kit = { CognitoClient, isCognitoError, webStorage };
document.body.dataset.ready = 'true';

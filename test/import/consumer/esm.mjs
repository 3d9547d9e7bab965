// An ESM consumer of the installed package. Prints one JSON line of observations for the test.
import * as main from 'cognito-kit';
import * as node from 'cognito-kit/node';

const report = { globalAtStart: typeof globalThis.global };

report.isCognitoError = main.isCognitoError(new main.CognitoError('X', 'm'));
report.errorName = new main.CognitoError('X', 'm').name;
report.fileStorage = typeof node.fileStorage;
report.mainHasFileStorage = 'fileStorage' in main;
// Plain objects: the test reads every export by name.
const mainExports = { ...main };
const nodeExports = { ...node };
// cognito-kit/node has its own CognitoClient, a subclass of the main one that accepts a clientSecret.
report.nodeReexportsMain =
  Object.keys(mainExports).every(
    (name) => name === 'CognitoClient' || nodeExports[name] === mainExports[name],
  ) && Object.getPrototypeOf(node.CognitoClient) === main.CognitoClient;
report.mainExports = Object.keys(main).sort();

const storage = node.fileStorage(process.env.TOKEN_FILE);
await storage.setItem('k', 'v');
report.fileRoundTrip = await storage.getItem('k');

const client = new main.CognitoClient({
  userPoolId: 'us-east-1_AbCdEf123',
  clientId: '1example23456789',
  endpoint: process.env.COGNITO_ENDPOINT,
  maxAttempts: 1,
});
report.globalAfterConstruct = typeof globalThis.global;
report.session = await client.getSession();
try {
  // SRP: loads amazon-cognito-identity-js lazily, computes SRP_A, then the fake server refuses.
  await client.signIn({ username: process.env.COGNITO_USERNAME, password: 'correct horse battery staple' });
  report.signIn = 'resolved';
} catch (error) {
  report.signIn = {
    isCognitoError: main.isCognitoError(error),
    code: error.code,
    status: error.status,
    retryable: error.retryable,
  };
}
try {
  new main.CognitoClient({ clientId: 'x' });
} catch (error) {
  report.missingPoolId = error.code;
}
console.log(JSON.stringify(report));

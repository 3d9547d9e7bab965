// A CommonJS consumer of the installed package. Prints one JSON line of observations for the test.
const main = require('cognito-kit');
const node = require('cognito-kit/node');
const pkg = require('cognito-kit/package.json');

async function run() {
  const report = {
    version: pkg.version,
    isCognitoError: main.isCognitoError(new main.CognitoError('X', 'm')),
    errorName: new main.CognitoError('X', 'm').name,
    fileStorage: typeof node.fileStorage,
    mainHasFileStorage: 'fileStorage' in main,
    // cognito-kit/node has its own CognitoClient, a subclass of the main one that accepts a clientSecret.
    nodeReexportsMain:
      Object.keys(main).every((name) => name === 'CognitoClient' || node[name] === main[name]) &&
      Object.getPrototypeOf(node.CognitoClient) === main.CognitoClient,
    mainExports: Object.keys(main).sort(),
  };
  const storage = node.fileStorage(process.env.TOKEN_FILE);
  await storage.setItem('k', 'v');
  report.fileRoundTrip = await storage.getItem('k');
  const client = new main.CognitoClient({
    userPoolId: 'us-east-1_AbCdEf123',
    clientId: '1example23456789',
    endpoint: process.env.COGNITO_ENDPOINT,
    maxAttempts: 1,
  });
  report.session = await client.getSession();
  try {
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
}

run().catch((error) => {
  console.error(error);
  process.exit(1);
});

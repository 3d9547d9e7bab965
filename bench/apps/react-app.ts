// The bundle-size app for cognito-kit/react: useSession() over one client. Measure it with `react`
// external (the budget is what the entry adds over react itself). bench/bundle.ts resolves the
// imports to the published build of the package.
import { createElement } from 'react';
import { CognitoClient } from '../../src/index.js';
import { useSession } from '../../src/react.js';

const client = new CognitoClient({ userPoolId: 'us-east-1_AbCdEf123', clientId: '1example23456789' });

export function Account() {
  const { status, session } = useSession(client);
  return createElement('p', null, status === 'signedIn' ? session.username : status);
}

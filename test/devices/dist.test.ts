// The built package (npm test builds it first): the lazily loaded devices chunk must resolve from
// both the ESM and the CommonJS build, for the device steps inside a sign-in and for the facade.
import { createRequire } from 'node:module';
import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FakeCognito } from '../fake-cognito/index.js';

const require = createRequire(import.meta.url);
type Entry = typeof import('../../src/index.js');
// Typed as a plain string: the build's own declarations are not src's (private members differ).
const ESM_ENTRY: string = '../../dist/index.js';
const load = async (kind: string): Promise<Entry> =>
  kind === 'cjs' ? require('../../dist/index.cjs') : import(ESM_ENTRY);

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());

describe.each(['cjs', 'esm'])('devices from dist (%s)', (kind) => {
  it('confirms a device, proves it at the next sign-in and lists it', async () => {
    const fake = new FakeCognito({ deviceTracking: 'always' });
    fake.intercept();
    fake.addUser({ username: 'ann', password: 'Correct-Horse-1' });
    const kit = await load(kind);
    const storage = kit.memoryStorage();
    const client = () =>
      new kit.CognitoClient({
        userPoolId: fake.userPoolId,
        clientId: fake.clientId,
        storage,
        deviceName: kind,
      });

    const first = await client().signIn({ username: 'ann', password: 'Correct-Horse-1' });
    const second = await client().signIn({ username: 'ann', password: 'Correct-Horse-1' });

    expect(first).toMatchObject({ isSignedIn: true });
    expect(first).not.toHaveProperty('deviceError');
    expect(second.isSignedIn).toBe(true);
    expect(fake.requests.filter((r) => r.body.ChallengeName === 'DEVICE_PASSWORD_VERIFIER')).toHaveLength(1);
    expect((await client().listDevices()).devices.map((device) => device.name)).toEqual([kind]);
  });
});

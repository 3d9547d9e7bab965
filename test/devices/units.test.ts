/** The small pieces behind devices: the stored session's device key, the default name, the option. */
import { describe, expect, it } from 'vitest';
import { defaultDeviceName } from '../../src/devices/device-name.js';
import { CognitoClient, memoryStorage } from '../../src/index.js';
import { SessionStore } from '../../src/session-store.js';
import { CLIENT_ID, mintTokens, PREFIX } from '../helpers/tokens.js';

describe('SessionStore.write', () => {
  it('returns a session that carries the device key already in the storage, whoever signed in before', async () => {
    const storage = memoryStorage();
    storage.setItem(`${PREFIX}.ann.deviceKey`, 'us-east-1_device-1');
    const store = new SessionStore(storage, CLIENT_ID);

    // A fresh sign-in: nothing was stored before (previous = null), as after a sign-out.
    const written = await store.write(mintTokens(), Date.now(), null, 'ann@example.com');

    expect(written.deviceKey).toBe('us-east-1_device-1');
    expect((await store.read())?.deviceKey).toBe('us-east-1_device-1');
  });

  it('drops a device key the storage no longer holds (forgotten since the previous write)', async () => {
    const storage = memoryStorage();
    const store = new SessionStore(storage, CLIENT_ID);
    storage.setItem(`${PREFIX}.ann.deviceKey`, 'us-east-1_device-1');
    const first = await store.write(mintTokens(), Date.now(), null);
    storage.removeItem(`${PREFIX}.ann.deviceKey`);

    const second = await store.write(mintTokens({ originJti: 'origin-2' }), Date.now(), first);

    expect(second.deviceKey).toBeUndefined();
  });
});

describe('the default device name', () => {
  it.each([
    [
      'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
      'Chrome on Linux',
    ],
    [
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
      'Safari on macOS',
    ],
    [
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0',
      'Firefox on Windows',
    ],
    [
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0',
      'Edge on Windows',
    ],
    [
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
      'Safari on iOS',
    ],
    ['Node.js/22', 'Node.js'],
    [undefined, 'Node.js'],
  ])('%s → %s', (userAgent, name) => {
    expect(defaultDeviceName(userAgent)).toBe(name);
  });
});

describe('the deviceName option', () => {
  it('is checked at construction: a non-string or blank name is InvalidParameterException', () => {
    for (const deviceName of [42, '', '  ']) {
      expect(
        () =>
          new CognitoClient({
            userPoolId: 'us-east-1_Abc123',
            clientId: 'abc',
            deviceName: deviceName as string,
          }),
      ).toThrow(expect.objectContaining({ code: 'InvalidParameterException' }));
    }
  });
});

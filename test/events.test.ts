import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { memoryStorage } from '../src/index.js';
import { makeClient, startFake } from './helpers/fake-client.js';

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
  nock.cleanAll();
  vi.restoreAllMocks();
});

function setUp() {
  const fake = startFake();
  fake.addUser({ username: 'ann', password: 'Correct-Horse-1' });
  return { fake, client: makeClient(fake, memoryStorage()) };
}

describe('events', () => {
  it('on() returns an unsubscribe function; a removed listener hears nothing more', async () => {
    const { client } = setUp();
    const heard: string[] = [];
    const off = client.on('signedIn', (session) => heard.push(session.username));
    await client.signIn({ username: 'ann', password: 'Correct-Horse-1' });
    off();
    off();
    await client.signIn({ username: 'ann', password: 'Correct-Horse-1' });
    expect(heard).toEqual(['ann']);
  });

  it('the same function subscribed twice is called twice and unsubscribed independently', async () => {
    const { client } = setUp();
    const listener = vi.fn();
    const offFirst = client.on('signedOut', listener);
    client.on('signedOut', listener);
    await client.signIn({ username: 'ann', password: 'Correct-Horse-1' });
    await client.signOut();
    expect(listener).toHaveBeenCalledTimes(2);
    offFirst();
    // Calling the same unsubscribe again must not remove the other subscription.
    offFirst();
    await client.signIn({ username: 'ann', password: 'Correct-Horse-1' });
    await client.signOut();
    expect(listener).toHaveBeenCalledTimes(3);
  });

  it('a throwing listener does not break the flow or the other listeners, and is reported', async () => {
    const { client } = setUp();
    const report = vi.spyOn(console, 'error').mockImplementation(() => {});
    const after = vi.fn();
    client.on('signedIn', () => {
      throw new Error('listener bug');
    });
    client.on('signedIn', after);
    const result = await client.signIn({ username: 'ann', password: 'Correct-Horse-1' });
    expect(result.isSignedIn).toBe(true);
    expect(after).toHaveBeenCalledTimes(1);
    expect(report).toHaveBeenCalledWith('cognito-kit: a "signedIn" listener threw', expect.any(Error));
  });

  it('dispose() removes every listener', async () => {
    const { client } = setUp();
    const listener = vi.fn();
    client.on('signedIn', listener);
    client.on('signedOut', listener);
    client.dispose();
    await client.signIn({ username: 'ann', password: 'Correct-Horse-1' });
    await client.signOut();
    expect(listener).not.toHaveBeenCalled();
  });
});

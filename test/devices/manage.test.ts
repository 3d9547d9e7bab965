/** rememberDevice(), forgetDevice(), listDevices(): one request each, input checked first. */
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { memoryStorage } from '../../src/index.js';
import { deviceSetup, PASSWORD } from './support.js';

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

/** ann signed in on `count` browsers (each its own storage, so each a device); the last one is `client`. */
async function onDevices(count: number) {
  const setup = deviceSetup({}, { deviceName: 'Laptop' });
  setup.fake.addUser({ username: 'ann', password: PASSWORD });
  for (let i = 1; i < count; i++) {
    await setup
      .client({ deviceName: `Phone ${i}` }, memoryStorage())
      .signIn({ username: 'ann', password: PASSWORD });
  }
  const c = setup.client();
  await c.signIn({ username: 'ann', password: PASSWORD });
  setup.fake.requests.length = 0;
  return { ...setup, c };
}

describe('listDevices', () => {
  it('lists the devices page by page, with names, attributes and Dates from epoch seconds', async () => {
    const { c, fake } = await onDevices(3);

    const first = await c.listDevices({ limit: 2 });
    const second = await c.listDevices({ limit: 2, paginationToken: first.paginationToken as string });

    expect(fake.requests.map((r) => [r.target, r.body.Limit, r.body.PaginationToken])).toEqual([
      ['ListDevices', 2, undefined],
      ['ListDevices', 2, first.paginationToken],
    ]);
    expect(first.devices.map((d) => d.name)).toEqual(['Phone 1', 'Phone 2']);
    expect(second).toEqual({
      devices: [
        {
          deviceKey: fake.pool.devices.list('ann')[2]?.key,
          name: 'Laptop',
          attributes: {
            device_name: 'Laptop',
            device_status: 'valid',
            'dev:device_remembered_status': 'remembered',
            last_ip_used: '127.0.0.1',
          },
          createdAt: expect.any(Date),
          lastAuthenticatedAt: expect.any(Date),
          lastModifiedAt: expect.any(Date),
        },
      ],
    });
    const record = fake.pool.devices.list('ann')[2];
    expect(second.devices[0]?.createdAt?.getTime()).toBe(record?.createdAt);
  });

  it('rejects a bad limit or token and unknown options with InvalidParameterException, sending nothing', async () => {
    const { c, fake } = await onDevices(1);
    for (const input of [{ limit: 0 }, { limit: 61 }, { limit: 1.5 }, { paginationToken: '' }, { page: 1 }]) {
      await expect(c.listDevices(input as never)).rejects.toMatchObject({
        code: 'InvalidParameterException',
      });
    }
    expect(fake.requests).toEqual([]);
  });

  it('rejects with NotSignedInException when nobody is signed in', async () => {
    const { client, fake } = deviceSetup();
    await expect(client().listDevices()).rejects.toMatchObject({ code: 'NotSignedInException' });
    expect(fake.requests).toEqual([]);
  });
});

describe('forgetDevice', () => {
  it('forgets this device by default, at Cognito and in the storage; the next sign-in is a new device', async () => {
    const { c, fake, deviceKeys, sent } = await onDevices(1);
    const key = deviceKeys('ann').deviceKey;

    await c.forgetDevice();

    expect(fake.requests.map((r) => [r.target, r.body.DeviceKey])).toEqual([['ForgetDevice', key]]);
    expect(deviceKeys('ann')).toEqual({ deviceKey: null, deviceGroupKey: null, randomPasswordKey: null });
    fake.requests.length = 0;
    await c.signIn({ username: 'ann', password: PASSWORD });
    expect(sent()).toEqual(['InitiateAuth', 'ConfirmDevice']);
    expect(deviceKeys('ann').deviceKey).not.toBe(key);
  });

  it('forgets another device by key and keeps this one', async () => {
    const { c, fake, deviceKeys } = await onDevices(2);
    const here = deviceKeys('ann');
    const other = fake.pool.devices.list('ann')[0]?.key as string;

    await c.forgetDevice({ deviceKey: other });

    expect(fake.requests.map((r) => [r.target, r.body.DeviceKey])).toEqual([['ForgetDevice', other]]);
    expect(deviceKeys('ann')).toEqual(here);
    expect(fake.pool.devices.list('ann').map((d) => d.key)).toEqual([here.deviceKey]);
  });

  it("passes Cognito's ResourceNotFoundException for a device it does not know; keeps the local keys", async () => {
    const { c, deviceKeys } = await onDevices(1);
    const here = deviceKeys('ann');
    await expect(c.forgetDevice({ deviceKey: 'us-east-1_nope' })).rejects.toMatchObject({
      code: 'ResourceNotFoundException',
    });
    expect(deviceKeys('ann')).toEqual(here);
  });

  it('rejects a blank key and unknown options before any request', async () => {
    const { c, fake } = await onDevices(1);
    for (const input of [{ deviceKey: '' }, { deviceKey: 7 }, { key: 'x' }]) {
      await expect(c.forgetDevice(input as never)).rejects.toMatchObject({
        code: 'InvalidParameterException',
      });
    }
    expect(fake.requests).toEqual([]);
  });
});

describe('rememberDevice', () => {
  it('rejects with NoDeviceException on a pool without device tracking, sending nothing', async () => {
    const { client, fake } = deviceSetup({ deviceTracking: 'off' });
    fake.addUser({ username: 'ann', password: PASSWORD });
    const c = client();
    await c.signIn({ username: 'ann', password: PASSWORD });
    fake.requests.length = 0;

    await expect(c.rememberDevice()).rejects.toMatchObject({ code: 'NoDeviceException', retryable: false });
    await expect(c.forgetDevice()).rejects.toMatchObject({ code: 'NoDeviceException' });
    expect(fake.requests).toEqual([]);
  });

  it('rejects with NotSignedInException when nobody is signed in', async () => {
    const { client } = deviceSetup();
    await expect(client().rememberDevice()).rejects.toMatchObject({ code: 'NotSignedInException' });
  });
});

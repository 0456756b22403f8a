import { BrokerUnavailableError, createUserEvent, InvalidArgumentError } from '@ev/core';
import { describe, expect, it } from 'vitest';
import { MockPusher, mockOrderEvent, mockUserEvent } from '../src/index.js';

describe('MockPusher', () => {
  it('records every call with key, payload, delay and headers', async () => {
    const pusher = new MockPusher();
    const users = createUserEvent(pusher, 'user_topic');
    await users.sendSync(1n, 'login');
    await users.sendSyncDelay(2n, 'recheck', 1_500);
    await pusher.close();
    expect(pusher.calls.map((call) => call.operation)).toEqual(['sendWithKey', 'sendDelayAfter', 'close']);
    expect(pusher.calls[0]).toMatchObject({
      key: 'user_topic:user.sync',
      headers: { 'ev-type': 'ev.mq.v1.UserSyncReq' },
    });
    expect(pusher.calls[1]!.delayMs).toBe(1_500);
    expect(pusher.calls[0]!.payload).toBeInstanceOf(Uint8Array);
  });

  it('can be scripted to fail, call by call', async () => {
    const outage = new BrokerUnavailableError('down');
    const pusher = new MockPusher({ behaviour: [outage, { partition: 3 }] });
    await expect(pusher.send(new Uint8Array([1]))).rejects.toBe(outage);
    await expect(pusher.send(new Uint8Array([2]))).resolves.toMatchObject({ partition: 3 });
    expect(pusher.calls[0]!.error).toBe(outage);
  });

  it('validates like a real pusher', async () => {
    const pusher = new MockPusher();
    await expect(pusher.sendWithKey('', new Uint8Array())).rejects.toBeInstanceOf(InvalidArgumentError);
    expect(pusher.calls[0]!.error).toBeInstanceOf(InvalidArgumentError);
  });
});

describe('event mocks', () => {
  it('mockUserEvent records calls and answers with a receipt', async () => {
    const users = mockUserEvent();
    const receipt = await users.sendSync(9n, 'login');
    await users.close();
    expect(receipt.messageId).toMatch(/^[0-9a-f-]{36}$/);
    expect(users.calls).toEqual([
      { method: 'sendSync', args: [9n, 'login'] },
      { method: 'close', args: [] },
    ]);
  });

  it('mockOrderEvent takes a function as its behaviour', async () => {
    const orders = mockOrderEvent((call) => {
      if (call.method === 'sendNotify') throw new Error('notify failed');
      return { messageId: 'fixed' };
    });
    await expect(orders.sendSync(1n, 2)).resolves.toEqual({ messageId: 'fixed' });
    await expect(orders.sendNotify(1n, 2n, 'x')).rejects.toThrow('notify failed');
    expect(orders.callsOf('sendNotify')).toHaveLength(1);
  });
});

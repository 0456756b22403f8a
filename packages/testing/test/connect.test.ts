import { connect, createUserEvent, decodeEvent, EventTypes } from '@ev/core';
import { describe, expect, it } from 'vitest';
import { MemoryBroker } from '../src/index.js';

describe("connect('memory:')", () => {
  it('loads the in-memory adapter and shares one broker across the pushers of a connection', async () => {
    const broker = new MemoryBroker();
    const connection = await connect('memory:', { broker });
    const pusher = await connection.pusher('user_topic', { partitions: 4 });
    await createUserEvent(pusher).sendSync(3n, 'login');
    await connection.close();
    const [stored] = broker.read('user_topic');
    expect(stored!.key).toBe('user_topic:user.sync');
    expect(decodeEvent(EventTypes.UserSyncReq, stored!.payload)).toMatchObject({
      userId: 3n,
      action: 'login',
    });
    await expect(pusher.send(new Uint8Array())).rejects.toMatchObject({ code: 'CLOSED' });
  });
});

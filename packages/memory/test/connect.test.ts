import { connect, createUserEvent, decodeEvent, EventTypes, InvalidArgumentError } from '@ev/core';
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

describe('options', () => {
  it('are closed: a misspelt option does not compile, and fails at run time naming itself', async () => {
    const broker = new MemoryBroker();
    // @ts-expect-error `loger` is not an option of memory: URLs
    const error = await connect('memory:', { broker, loger: console }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as Error).message).toContain('unknown option "loger"');

    const connection = await connect('memory:', { broker });
    try {
      // @ts-expect-error `partition` is not a topic option (it is `partitions`)
      const refused = await connection.pusher('user_topic', { partition: 4 }).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(InvalidArgumentError);
      expect((refused as Error).message).toContain('unknown option "partition"');
      const bad = await connection.pusher('user_topic', { maxInFlight: 0 }).catch((e: unknown) => e);
      expect((bad as Error).message).toContain('option maxInFlight must be an integer of at least 1, got 0');
    } finally {
      await connection.close();
    }
  });
});

import { consoleLogger, decodeEvent, type EventTypeName, HEADER_EVENT_TYPE, USER_TOPIC } from '@ev/core';
import { defaultMemoryBroker } from '@ev/memory';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newRepository, type Repository } from '../src/internal/repository/repository.js';
import { DEMO_USERS } from '../src/internal/repository/users.js';

const quiet = { ...consoleLogger(), info: () => {} };
const userId = DEMO_USERS[0]!.id;

/** The actions of the user events that reached the in-memory broker. */
function actionsOnBroker(): string[] {
  return defaultMemoryBroker
    .read(USER_TOPIC)
    .map((message) => decodeEvent(message.headers[HEADER_EVENT_TYPE] as EventTypeName, message.payload))
    .map((event) => ('action' in event ? String(event.action) : ''));
}

describe('the repository on PGlite and the in-memory broker', () => {
  let repository: Repository;
  beforeAll(async () => {
    repository = await newRepository({ brokerUrl: 'memory:', databaseUrl: 'pglite:' }, quiet);
  });
  afterAll(async () => {
    await repository.close();
    defaultMemoryBroker.shutdown();
  });

  it('sends the events of a transaction that commits, and never those of one that rolls back', async () => {
    await expect(
      repository.inTransaction(async ({ users, userEvent }) => {
        expect(await users.markSynced(userId)).toBe(true);
        await userEvent.sendSync(userId, 'rolled.back');
        throw new Error('the job changed its mind');
      }),
    ).rejects.toThrow('the job changed its mind');

    const receipt = await repository.inTransaction(async ({ users, userEvent }) => {
      expect(await users.markSynced(userId)).toBe(true);
      return userEvent.sendSync(userId, 'committed');
    });
    // The send resolved when its row was written: the receipt names the outbox table and the row.
    expect(receipt.partition).toBe('job_outbox');

    expect(await repository.waitForRelay(1, 10_000)).toEqual({ forwarded: 1, parked: 0, failedAttempts: 0 });
    expect(actionsOnBroker()).toEqual(['committed']);
  }, 30_000);
});

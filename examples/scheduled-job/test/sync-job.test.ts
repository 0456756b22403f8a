import { consoleLogger, type OrderEvent, type UserEvent } from '@ev/core';
import { type EventMock, mockOrderEvent, mockUserEvent } from '@ev/testing';
import { describe, expect, it } from 'vitest';
import { RECHECK_DELAY_MS, runSyncJob } from '../src/internal/job/sync-job.js';
import type { Repository } from '../src/internal/repository/repository.js';

const quiet = { ...consoleLogger(), info: () => {}, error: () => {} };

/** A repository whose transaction hands out mocks, and records whether it committed or rolled back. */
function mockRepository(
  mocks: { userEvent?: EventMock<UserEvent>; orderEvent?: EventMock<OrderEvent> } = {},
) {
  const synced: bigint[] = [];
  const userEvent = mocks.userEvent ?? mockUserEvent();
  const orderEvent = mocks.orderEvent ?? mockOrderEvent();
  const users = { markSynced: async (userId: bigint) => synced.push(userId) > 0 };
  const ends: Array<'commit' | 'rollback'> = [];
  const repository: Repository = {
    async inTransaction(work) {
      try {
        const result = await work({ users, userEvent, orderEvent });
        ends.push('commit');
        return result;
      } catch (error) {
        ends.push('rollback');
        throw error;
      }
    },
    waitForRelay: async () => ({ forwarded: 0, parked: 0, failedAttempts: 0 }),
    close: async () => {},
  };
  return { repository, userEvent, orderEvent, synced, ends };
}

describe('runSyncJob', () => {
  it('marks the user synced and writes five events (bigint ids) in one committed transaction', async () => {
    const { repository, userEvent, orderEvent, synced, ends } = mockRepository();
    expect(await runSyncJob(repository, 1, quiet)).toEqual({ written: 5, rolledBack: false });
    expect(ends).toEqual(['commit']);
    expect(synced).toHaveLength(1);
    expect(typeof synced[0]).toBe('bigint');
    expect(userEvent.calls.map((c) => c.method).sort()).toEqual(['sendArchive', 'sendSync', 'sendSyncDelay']);
    expect(userEvent.callsOf('sendSyncDelay')[0]!.args[2]).toBe(RECHECK_DELAY_MS);
    expect(userEvent.callsOf('sendSync')[0]!.args[0]).toBe(synced[0]);
    expect(orderEvent.calls.map((c) => c.method).sort()).toEqual(['sendNotify', 'sendSync']);
  });

  it('rolls the whole run back when an event is not written, and logs it instead of throwing', async () => {
    const { repository, ends } = mockRepository({ orderEvent: mockOrderEvent(new Error('insert refused')) });
    const errors: Array<Record<string, unknown>> = [];
    const outcome = await runSyncJob(repository, 2, { ...quiet, error: (fields) => errors.push(fields) });
    expect(outcome).toEqual({ written: 0, rolledBack: true });
    expect(ends).toEqual(['rollback']);
    expect(errors).toHaveLength(1);
    expect(String(errors[0]!.err)).toContain('2 of 5 events not written');
    expect((errors[0]!.cause as Error).message).toBe('insert refused');
  });
});

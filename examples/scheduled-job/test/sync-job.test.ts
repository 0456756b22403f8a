import { consoleLogger } from '@ev/core';
import { mockOrderEvent, mockUserEvent } from '@ev/testing';
import { describe, expect, it } from 'vitest';
import { RECHECK_DELAY_MS, runSyncJob } from '../src/internal/job/sync-job.js';
import type { Repository } from '../src/internal/repository/repository.js';

const quiet = { ...consoleLogger(), info: () => {}, error: () => {} };

function mockRepository() {
  const userEvent = mockUserEvent();
  const orderEvent = mockOrderEvent();
  const repository: Repository = { userEvent, orderEvent, close: async () => {} };
  return { repository, userEvent, orderEvent };
}

describe('runSyncJob', () => {
  it('emits the seed operations with bigint ids', async () => {
    const { repository, userEvent, orderEvent } = mockRepository();
    expect(await runSyncJob(repository, 1, quiet)).toBe(0);
    expect(userEvent.calls.map((c) => c.method).sort()).toEqual(['sendArchive', 'sendSync', 'sendSyncDelay']);
    expect(userEvent.callsOf('sendSyncDelay')[0]!.args[2]).toBe(RECHECK_DELAY_MS);
    expect(typeof userEvent.callsOf('sendSync')[0]!.args[0]).toBe('bigint');
    expect(orderEvent.calls.map((c) => c.method).sort()).toEqual(['sendNotify', 'sendSync']);
  });

  it('counts and logs failed sends instead of throwing', async () => {
    const { repository } = mockRepository();
    const failing: Repository = { ...repository, orderEvent: mockOrderEvent(new Error('broker down')) };
    const errors: unknown[] = [];
    expect(await runSyncJob(failing, 2, { ...quiet, error: (fields) => errors.push(fields) })).toBe(2);
    expect(errors).toHaveLength(2);
  });
});

import type { Logger } from '@ev/core';
import type { Repository, UnitOfWork } from '../repository/repository.js';
import { loadPendingWork, type PendingWork } from './pending-work.js';

/** A user sync is re-checked later with a delayed event (`sendSyncDelay`) after this long. */
export const RECHECK_DELAY_MS = 2_000;

export interface RunOutcome {
  /** Events written to the outbox and committed: the relay forwards them to the broker. */
  written: number;
  /** True when the run's transaction rolled back: no row changed, no event will be sent. */
  rolledBack: boolean;
}

/**
 * One run of the scheduled job, in one database transaction: marks the users synced and writes the
 * events that say so. A failure anywhere rolls back both, and is logged rather than thrown.
 */
export async function runSyncJob(repository: Repository, run: number, logger: Logger): Promise<RunOutcome> {
  const work = loadPendingWork(run);
  try {
    const { usersSynced, written } = await repository.inTransaction((unit) => syncAndEmit(unit, work));
    logger.info({ run, usersSynced, eventsWritten: written }, 'job run committed');
    return { written, rolledBack: false };
  } catch (error) {
    const { cause } = error as Error;
    logger.error({ run, err: error, cause }, 'job run rolled back: no row changed, no event sent');
    return { written: 0, rolledBack: true };
  }
}

/**
 * The run's work inside its transaction. Each send resolves once its outbox row is written; the relay
 * sends it to the broker after COMMIT.
 */
async function syncAndEmit({ users, userEvent, orderEvent }: UnitOfWork, work: PendingWork) {
  let usersSynced = 0;
  for (const { userId } of work.userSyncs) if (await users.markSynced(userId)) usersSynced += 1;

  const sends = [
    ...work.userSyncs.flatMap(({ userId, action }) => [
      userEvent.sendSync(userId, action),
      userEvent.sendSyncDelay(userId, `${action}.recheck`, RECHECK_DELAY_MS),
    ]),
    ...work.userArchives.map(({ userId, data }) => userEvent.sendArchive(userId, data)),
    ...work.orderSyncs.map(({ orderId, status }) => orderEvent.sendSync(orderId, status)),
    ...work.orderNotifications.map(({ orderId, userId, message }) =>
      orderEvent.sendNotify(orderId, userId, message),
    ),
  ];
  // Wait for every send before deciding, so none is still writing when the transaction ends.
  const failed = (await Promise.allSettled(sends)).filter((outcome) => outcome.status === 'rejected');
  // One event not written fails the run: throwing rolls the rows back with the other events.
  if (failed.length > 0) {
    throw new Error(`${failed.length} of ${sends.length} events not written`, { cause: failed[0]!.reason });
  }
  return { usersSynced, written: sends.length };
}

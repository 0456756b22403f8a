import type { Logger } from '@ev/core';
import type { Repository } from '../repository/repository.js';
import { loadPendingWork } from './pending-work.js';

/** A user sync is re-checked later with a delayed event (`sendSyncDelay`) after this long. */
export const RECHECK_DELAY_MS = 2_000;

/** One run of the scheduled job: turns the pending work into events. Each send waits for the broker. */
export async function runSyncJob(repository: Repository, run: number, logger: Logger): Promise<number> {
  const work = loadPendingWork(run);
  const { userEvent, orderEvent } = repository;
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
  const outcomes = await Promise.allSettled(sends);
  const failed = outcomes.filter((outcome) => outcome.status === 'rejected');
  for (const failure of failed) logger.error({ run, err: failure.reason }, 'event not sent');
  logger.info({ run, sent: sends.length - failed.length, failed: failed.length }, 'job run finished');
  return failed.length;
}

import { setTimeout as sleep } from 'node:timers/promises';
import { type BrokerConnection, connect, type Logger } from '@ev/core';
import { type OutboxRelay, type OutboxRelayStats, startOutboxRelay } from '@ev/outbox';
import { openDatabase } from '../database/database.js';
import { newOrderEvent } from './event/order-event.js';
import { newUserEvent } from './event/user-event.js';
import type { OrderEventType, UserEventType } from './repository-types.js';
import { createUsersTable, type Users, usersIn } from './users.js';

/** Partitions (Kafka), partition queues (RabbitMQ) or queues (RocketMQ) the relay gives a new topic. */
export const TOPIC_PARTITIONS = 4;

/** What one transaction of the job works with: its rows and its events, committed together. */
export interface UnitOfWork {
  readonly users: Users;
  readonly userEvent: UserEventType;
  readonly orderEvent: OrderEventType;
}

/** Owns the database, the event senders and the outbox relay, and closes them before the process exits. */
export interface Repository {
  /**
   * Runs `work` in one database transaction. The events it sends are rows written in that transaction:
   * they reach the broker if and only if it commits, which it does when `work` resolves.
   */
  inTransaction<T>(work: (unit: UnitOfWork) => Promise<T>): Promise<T>;
  /**
   * Waits until the relay has dealt with `count` events (forwarded to the broker, or parked because the
   * broker refused them for good), or `timeoutMs` passed; resolves with what it has done.
   */
  waitForRelay(count: number, timeoutMs: number): Promise<OutboxRelayStats>;
  close(): Promise<void>;
}

export async function newRepository(
  urls: { brokerUrl: string; databaseUrl: string },
  logger: Logger,
): Promise<Repository> {
  const connection: BrokerConnection = await connect(urls.brokerUrl, { logger });
  const db = await openDatabase(urls.databaseUrl).catch(async (error: unknown) => {
    await connection.close();
    throw error;
  });
  let relay: OutboxRelay;
  try {
    await createUsersTable(db);
    // In this process, beside the job: the relay forwards committed outbox rows through the job's broker
    // connection. Its routine lines (started, lanes taken, stopped) go to debug; warnings and errors stay.
    relay = await startOutboxRelay({
      store: db.relayStore,
      broker: connection,
      topicOptions: { partitions: TOPIC_PARTITIONS, logger },
      logger: { ...logger, info: logger.debug },
    });
  } catch (error) {
    await db.close();
    await connection.close();
    throw error;
  }

  return {
    inTransaction: (work) =>
      db.transaction(async (tx) => {
        const userEvent = newUserEvent(tx, logger);
        const orderEvent = newOrderEvent(tx, logger);
        try {
          return await work({ users: usersIn(tx), userEvent, orderEvent });
        } finally {
          // Closing settles every send still writing its row, so none is left running at COMMIT or ROLLBACK.
          await Promise.all([userEvent.close(), orderEvent.close()]);
        }
      }),

    async waitForRelay(count, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (relay.stats.forwarded + relay.stats.parked < count && Date.now() < deadline) await sleep(50);
      return { ...relay.stats };
    },

    async close() {
      // The relay first (it finishes its batch), then the broker connection it sent through, then the
      // database it read.
      await relay.stop();
      await connection.close();
      await db.close();
    },
  };
}

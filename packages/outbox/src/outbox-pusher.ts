import type { MessageLimits, Pusher, PusherOptions } from '@ev/core';
import { assertTopicName, createPusher, type PusherDriver } from '@ev/core/adapter';
import type { OutboxDialect } from './dialect.js';
import { laneFor, OUTBOX_LANES } from './lanes.js';
import type { SqlRunner } from './sql-runner.js';
import type { OutboxTables } from './tables.js';

export interface OutboxPusherSettings {
  readonly dialect: OutboxDialect;
  readonly tables: OutboxTables;
  readonly limits: MessageLimits;
  readonly maxDelayMs: number;
}

/**
 * A pusher whose sends insert rows in the caller's transaction instead of reaching a broker: core checks
 * every message against the limits first, so nothing the broker would refuse is ever written. A send
 * resolves once its row is written; its receipt names the outbox table (as `partition`) and the row id
 * (as `offset`). The relay forwards the row after the transaction commits; a rollback discards it.
 */
export function createOutboxPusher(
  run: SqlRunner,
  topic: string,
  settings: OutboxPusherSettings,
  options?: PusherOptions,
): Pusher {
  assertTopicName(topic, { provider: 'outbox' });
  const { dialect, tables } = settings;
  const driver: PusherDriver = {
    provider: 'outbox',
    topic,
    capabilities: {
      keyOrdering: true,
      partitions: OUTBOX_LANES,
      delay: {
        supported: true,
        maxDelayMs: settings.maxDelayMs,
        // Due times are kept to the millisecond; a relay sends a row due while it waits at its next look
        // (at most its poll interval later, or at once when woken).
        precisionMs: 1,
        durable: true,
        needsRelay: true,
      },
    },
    limits: settings.limits,
    async publish(message) {
      const id = await dialect.insert(run, tables, {
        lane: laneFor(topic, message.key),
        topic,
        key: message.key,
        messageId: message.messageId,
        headersJson: JSON.stringify(message.headers),
        payload: message.payload,
        delayMs: message.delayMs ?? 0,
      });
      return { partition: tables.outbox, offset: id };
    },
    // The connection is the caller's: nothing to release.
    close: async () => {},
  };
  return createPusher(driver, options);
}

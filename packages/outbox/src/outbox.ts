import {
  InvalidArgumentError,
  type MessageLimits,
  PORTABLE_LIMITS,
  type Pusher,
  type PusherOptions,
} from '@ev/core';
import type { OutboxDialect } from './dialect.js';
import type { DriverBinding } from './driver-binding.js';
import { createOutboxPusher } from './outbox-pusher.js';
import type { RelayStore } from './relay-store.js';
import { inCallOrder } from './sql-runner.js';
import { type OutboxTables, outboxTables } from './tables.js';

/** 30 days: a delayed row waits in the table, so the bound is a sanity check rather than a broker's. */
export const OUTBOX_DEFAULT_MAX_DELAY_MS = 30 * 24 * 60 * 60 * 1000;

export interface OutboxOptions {
  /** The outbox table; its lane and relay tables are named after it. Default `ev_outbox`. */
  table?: string;
  /** The inbox table. Default `ev_inbox`. */
  inboxTable?: string;
  /**
   * What the broker the relay forwards to accepts; every message is checked against it before its row is
   * written. Default: `PORTABLE_LIMITS`, what Kafka, RabbitMQ and RocketMQ all accept. Pass an adapter's
   * limits (e.g. a pusher's `limits`) to allow what only that broker takes.
   */
  limits?: MessageLimits;
  /** The longest delay `sendDelayAfter` accepts. Default 30 days. */
  maxDelayMs?: number;
}

/** The inbox of one consumer: which message ids it has handled already. */
export interface Inbox<Db> {
  readonly consumer: string;
  /**
   * Records `messageId` in the consumer's own transaction. Resolves true the first time, false for a
   * duplicate (the relay and every broker deliver at least once): skip the message then. The record
   * commits or rolls back with the consumer's work.
   */
  receive(tx: Db, messageId: string): Promise<boolean>;
  /** Deletes records received more than `olderThanMs` ago; resolves with how many were deleted. */
  prune(db: Db, options: { olderThanMs: number }): Promise<number>;
}

/**
 * An outbox on one database through one driver. `Db` is the driver's connection or transaction type:
 * the pusher and the inbox write through the caller's transaction; the schema and the relay use a pool.
 */
export class Outbox<Db> {
  readonly tables: OutboxTables;
  readonly limits: MessageLimits;
  readonly maxDelayMs: number;

  /** Made by `pgOutbox`, `mysqlOutbox` and `kyselyOutbox`. */
  constructor(
    private readonly dialect: OutboxDialect,
    private readonly binding: DriverBinding<Db>,
    options: OutboxOptions = {},
  ) {
    this.tables = outboxTables(options.table, options.inboxTable);
    this.limits = options.limits ?? PORTABLE_LIMITS;
    this.maxDelayMs = options.maxDelayMs ?? OUTBOX_DEFAULT_MAX_DELAY_MS;
    if (!Number.isSafeInteger(this.maxDelayMs) || this.maxDelayMs < 0) {
      throw new InvalidArgumentError(`maxDelayMs must be a non-negative integer, got ${options.maxDelayMs}`, {
        provider: 'outbox',
      });
    }
  }

  /**
   * A pusher bound to `tx`, an open transaction: each send writes a row in it, so the event reaches the
   * broker if and only if the transaction commits. Same contract as a broker's pusher.
   */
  pusher(tx: Db, topic: string, options?: PusherOptions): Pusher {
    const { dialect, tables, limits, maxDelayMs } = this;
    return createOutboxPusher(
      // One pusher's statements in call order: on a transaction, with every statement of that transaction;
      // on a pool, among themselves only (other pushers' sends go on at the same time).
      inCallOrder(this.binding.isPool(tx) ? {} : (tx as object), this.binding.runner(tx)),
      topic,
      { dialect, tables, limits, maxDelayMs },
      options,
    );
  }

  /**
   * The SQL that `applySchema` runs, for an application that manages its schema with a migration tool.
   * Each statement can run again without harm.
   */
  schemaStatements(): string[] {
    return this.dialect.schema(this.tables);
  }

  /** Creates the outbox, lane, relay and inbox tables when missing. */
  async applySchema(db: Db): Promise<void> {
    await this.binding.withConnection(db, (run) => this.dialect.applySchema(run, this.tables));
  }

  /** What the relay reads and writes, through `db` (a pool: the relay runs its own statements). */
  relayStore(db: Db): RelayStore {
    const store = this.dialect.relayStore(this.binding.runner(db), this.tables);
    const { listen, canListen } = this.binding;
    if (!listen || !canListen?.(db)) return store; // the relay polls
    return { ...store, subscribe: (wake) => listen(db, this.tables.outbox, wake) };
  }

  inbox(consumer: string): Inbox<Db> {
    if (typeof consumer !== 'string' || consumer.length === 0 || consumer.length > 200) {
      throw new InvalidArgumentError(
        `consumer must be a name of 1 to 200 characters, got ${JSON.stringify(consumer)}`,
        {
          provider: 'outbox',
        },
      );
    }
    const { dialect, tables } = this;
    return {
      consumer,
      receive: async (tx, messageId) => {
        if (typeof messageId !== 'string' || messageId.length === 0 || messageId.length > 128) {
          throw new InvalidArgumentError(
            `messageId must be a string of 1 to 128 characters, got ${JSON.stringify(messageId)}`,
            { provider: 'outbox' },
          );
        }
        return dialect.recordReceived(
          // One pusher's statements in call order: on a transaction, with every statement of that transaction;
          // on a pool, among themselves only (other pushers' sends go on at the same time).
          inCallOrder(this.binding.isPool(tx) ? {} : (tx as object), this.binding.runner(tx)),
          tables,
          consumer,
          messageId,
        );
      },
      prune: async (db, { olderThanMs }) => {
        if (!Number.isSafeInteger(olderThanMs) || olderThanMs < 0) {
          throw new InvalidArgumentError(`olderThanMs must be a non-negative integer, got ${olderThanMs}`, {
            provider: 'outbox',
          });
        }
        return dialect.pruneReceived(this.binding.runner(db), tables, olderThanMs);
      },
    };
  }
}

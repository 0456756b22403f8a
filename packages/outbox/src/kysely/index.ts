/**
 * `@ev/outbox/kysely`: the outbox through a Kysely instance or transaction, on PostgreSQL or MySQL.
 *
 *   const outbox = kyselyOutbox({ dialect: 'postgres' });
 *   await db.transaction().execute(async (tx) => {
 *     await tx.updateTable('users').set({ synced: true }).where('id', '=', id).execute();
 *     await createUserEvent(outbox.pusher(tx, USER_TOPIC)).sync(user);
 *   });
 */
import { InvalidArgumentError } from '@ev/core';
import { CompiledQuery, type Kysely } from 'kysely';
import type { OutboxDialect } from '../dialect.js';
import type { DriverBinding } from '../driver-binding.js';
import { mysqlDialect } from '../mysql/mysql-dialect.js';
import { Outbox, type OutboxOptions } from '../outbox.js';
import { pgDialect } from '../pg/pg-dialect.js';
import type { SqlRunner } from '../sql-runner.js';

export interface KyselyOutboxOptions extends OutboxOptions {
  /** The database behind the Kysely instance. */
  dialect: 'postgres' | 'mysql';
  /** PostgreSQL: keep the trigger that wakes relays listening through `@ev/outbox/pg` (default true). */
  notify?: boolean;
}

/** A Kysely instance or transaction, whatever its database schema type. */
// biome-ignore lint/suspicious/noExplicitAny: the outbox works with any database schema type
export type KyselyDatabase = Kysely<any>;

function kyselyRunner(db: KyselyDatabase): SqlRunner {
  return async (sql, params) => {
    const result = await db.executeQuery(CompiledQuery.raw(sql, [...params]));
    return {
      rows: result.rows as Record<string, unknown>[],
      affectedRows: Number(result.numAffectedRows ?? 0n),
      insertId: result.insertId === undefined ? undefined : String(result.insertId),
    };
  };
}

const kyselyBinding: DriverBinding<KyselyDatabase> = {
  runner: kyselyRunner,
  isPool: (db) => !db.isTransaction,
  async withConnection(db, work) {
    if (db.isTransaction) return work(kyselyRunner(db));
    return db.connection().execute((connection) => work(kyselyRunner(connection)));
  },
};

const DIALECTS: Record<KyselyOutboxOptions['dialect'], (notify: boolean) => OutboxDialect> = {
  postgres: (notify) => pgDialect({ notify }),
  mysql: () => mysqlDialect,
};

/**
 * An outbox through Kysely: pass a `Transaction` to `pusher` and `inbox().receive`, and a `Kysely` instance
 * to `applySchema` and `relayStore`. The relay polls (Kysely has no LISTEN); on PostgreSQL, a relay on a
 * `pg` pool through `@ev/outbox/pg` is woken on commit instead.
 */
export function kyselyOutbox(options: KyselyOutboxOptions): Outbox<KyselyDatabase> {
  const dialectFor = DIALECTS[options?.dialect];
  if (!dialectFor) {
    throw new InvalidArgumentError(
      `dialect must be "postgres" or "mysql", got ${JSON.stringify(options?.dialect)}`,
      { provider: 'outbox' },
    );
  }
  const { dialect: _name, notify = true, ...outboxOptions } = options;
  return new Outbox(dialectFor(notify), kyselyBinding, outboxOptions);
}

/**
 * `@ev/outbox/pg`: the outbox on PostgreSQL through node-postgres (`pg`) or PGlite.
 *
 *   const outbox = pgOutbox();
 *   await outbox.applySchema(pool);
 *   const client = await pool.connect();
 *   await client.query('BEGIN');
 *   await createUserEvent(outbox.pusher(client, USER_TOPIC)).sync(user);
 *   await client.query('COMMIT');
 */
import { Outbox, type OutboxOptions } from '../outbox.js';
import { type PgQueryable, pgBinding } from './pg-binding.js';
import { pgDialect } from './pg-dialect.js';

export type { PgliteLike, PgPoolClientLike, PgPoolLike, PgQueryable } from './pg-binding.js';

export interface PgOutboxOptions extends OutboxOptions {
  /**
   * Wake relays at each commit with LISTEN/NOTIFY (default), for a few milliseconds from commit to broker.
   * PostgreSQL commits notifying transactions one at a time, which caps many concurrent writers well
   * below what the database takes otherwise: with `false`, `applySchema` drops the trigger and relays
   * poll (every 100 ms by default) instead.
   */
  notify?: boolean;
}

/** An outbox on PostgreSQL: pass a pg `Pool`, `PoolClient` or `Client`, or a PGlite instance or transaction. */
export function pgOutbox(options: PgOutboxOptions = {}): Outbox<PgQueryable> {
  const { notify = true, ...outboxOptions } = options;
  return new Outbox(
    pgDialect({ notify }),
    notify ? pgBinding : { ...pgBinding, listen: undefined },
    outboxOptions,
  );
}

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

/** An outbox on PostgreSQL: pass a pg `Pool`, `PoolClient` or `Client`, or a PGlite instance or transaction. */
export function pgOutbox(options?: OutboxOptions): Outbox<PgQueryable> {
  return new Outbox(pgDialect, pgBinding, options);
}

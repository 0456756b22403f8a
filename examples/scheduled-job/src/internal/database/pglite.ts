import { PGlite, type Transaction as PgliteTransaction } from '@electric-sql/pglite';
import { pgOutbox } from '@ev/outbox/pg';
import { type Database, OUTBOX_TABLES, type Transaction } from './database.js';
import { numberedPlaceholders } from './placeholders.js';

/**
 * PostgreSQL embedded in the process (WebAssembly, in memory): nothing to install or start, and the same
 * outbox as on a PostgreSQL server. It is one connection, so its transactions run one at a time and the
 * relay's statements wait for the job's transaction to end.
 */
export async function openPglite(): Promise<Database> {
  const db = await PGlite.create();
  const outbox = pgOutbox(OUTBOX_TABLES);
  await outbox.applySchema(db);

  const bind = (tx: PgliteTransaction): Transaction => ({
    execute: async (sql, params = []) =>
      (await tx.query(numberedPlaceholders(sql), params)).affectedRows ?? 0,
    pusher: (topic, options) => outbox.pusher(tx, topic, options),
  });

  return {
    dialect: 'postgresql',
    // PGlite's own transaction(): COMMIT when the callback resolves, ROLLBACK when it throws.
    transaction: (work) => db.transaction((tx) => work(bind(tx))),
    // PGlite's LISTEN wakes the relay as soon as a transaction with outbox rows commits.
    relayStore: outbox.relayStore(db),
    close: () => db.close(),
  };
}

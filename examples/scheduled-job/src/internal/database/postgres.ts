import { pgOutbox } from '@ev/outbox/pg';
import pg from 'pg';
import { type Database, OUTBOX_TABLES, type Transaction } from './database.js';
import { numberedPlaceholders } from './placeholders.js';

/** A PostgreSQL server through a node-postgres pool. */
export async function openPostgres(url: string): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  // An idle client lost with the server (a restart) is replaced on the next query; without a listener
  // node-postgres would crash the process.
  pool.on('error', () => {});
  const outbox = pgOutbox(OUTBOX_TABLES);
  try {
    await outbox.applySchema(pool);
  } catch (error) {
    await pool.end();
    throw error;
  }

  const bind = (client: pg.PoolClient): Transaction => ({
    execute: async (sql, params = []) =>
      (await client.query(numberedPlaceholders(sql), params)).rowCount ?? 0,
    pusher: (topic, options) => outbox.pusher(client, topic, options),
  });

  return {
    dialect: 'postgresql',
    // A transaction lives on one connection: borrow one from the pool for the whole of it.
    async transaction(work) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await work(bind(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },
    // Given the pool, the relay keeps one connection on LISTEN: a commit wakes it at once.
    relayStore: outbox.relayStore(pool),
    close: () => pool.end(),
  };
}

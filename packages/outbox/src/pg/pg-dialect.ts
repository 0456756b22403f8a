import type { OutboxDialect } from '../dialect.js';
import type { SqlRunner } from '../sql-runner.js';
import type { OutboxTables } from '../tables.js';
import { pgRelayStore } from './pg-relay-store.js';
import { pgSchema, pgSchemaInPlace } from './pg-schema.js';

/**
 * `available_at` of a row due at once. Not the insert time: the relay orders such rows by id alone, so a
 * clock that steps back can never reorder a key.
 */
const DUE_AT_ONCE = `'epoch'::timestamptz`;

/** The PostgreSQL outbox; `notify` keeps the trigger that wakes listening relays (see `pgSchema`). */
export const pgDialect = ({ notify }: { notify: boolean }): OutboxDialect => ({
  database: 'postgresql',

  schema: (tables) => pgSchema(tables, notify),

  async applySchema(run, tables) {
    // Concurrent CREATE ... IF NOT EXISTS can still collide in the catalog: one process at a time.
    // `run` is one connection here, so the transaction holds.
    // DDL locks the outbox table even when there is nothing to create: an application that applies the
    // schema at each start would make every writer wait behind it. Nothing to do, nothing locked.
    if (await pgSchemaInPlace(run, tables, notify)) return;
    await run('BEGIN', []);
    try {
      await run(`SET LOCAL lock_timeout = '10s'`, []);
      await run(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`${tables.outbox} schema`]);
      for (const statement of pgSchema(tables, notify)) await run(statement, []);
      await run('COMMIT', []);
    } catch (error) {
      await run('ROLLBACK', []).catch(() => {});
      throw error;
    }
  },

  async insert(run, { outbox }, row) {
    const payload = Buffer.from(row.payload.buffer, row.payload.byteOffset, row.payload.byteLength);
    if (row.key === undefined) {
      const result = await run(
        `INSERT INTO ${outbox} (lane, topic, message_id, headers, payload, available_at)
         VALUES ($1, $2, $3, $4, $5, CASE WHEN $6::float8 > 0
           THEN clock_timestamp() + $6::float8 * interval '1 millisecond' ELSE ${DUE_AT_ONCE} END)
         RETURNING id::text`,
        [row.lane, row.topic, row.messageId, row.headersJson, payload, row.delayMs],
      );
      return idOf(result.rows);
    }
    // The key's lock, held to the end of the transaction, makes a later transaction with the same key take
    // its id after this one commits: ids then follow commit order within a key, which the relay relies on.
    const result = await run(
      `INSERT INTO ${outbox} (lane, topic, order_key, message_id, headers, payload, available_at)
       SELECT $1::smallint, $2::text, $3::text, $4::text, $5::text, $6::bytea, ${DUE_AT_ONCE}
       FROM (SELECT pg_advisory_xact_lock(hashtextextended($2::text || '/' || $3::text, 0))) AS key_lock
       RETURNING id::text`,
      [row.lane, row.topic, row.key, row.messageId, row.headersJson, payload],
    );
    return idOf(result.rows);
  },

  async recordReceived(run, { inbox }, consumer, messageId) {
    const result = await run(
      `INSERT INTO ${inbox} (consumer, message_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`,
      [consumer, messageId],
    );
    return result.affectedRows === 1;
  },

  async pruneReceived(run, { inbox }, olderThanMs) {
    const result = await run(
      `DELETE FROM ${inbox} WHERE received_at < clock_timestamp() - $1 * interval '1 millisecond'`,
      [olderThanMs],
    );
    return result.affectedRows;
  },

  relayStore: (run: SqlRunner, tables: OutboxTables) => pgRelayStore(run, tables),
});

function idOf(rows: readonly Record<string, unknown>[]): string {
  return String(rows[0]?.id);
}

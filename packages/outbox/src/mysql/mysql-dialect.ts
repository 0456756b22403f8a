import { murmur2 } from '@ev/core';
import type { OutboxDialect } from '../dialect.js';
import type { NewOutboxRow } from '../rows.js';
import type { SqlRunner } from '../sql-runner.js';
import type { OutboxTables } from '../tables.js';
import { mysqlRelayStore } from './mysql-relay-store.js';
import { mysqlSchema } from './mysql-schema.js';

const encoder = new TextEncoder();

/**
 * `available_at` of a row due at once. Not the insert time: the relay orders such rows by id alone, so a
 * clock that steps back can never reorder a key.
 */
const DUE_AT_ONCE = `'1970-01-01 00:00:00.000'`;

export const mysqlDialect: OutboxDialect = {
  database: 'mysql',

  schema: mysqlSchema,

  async applySchema(run, tables) {
    // DDL commits on its own in MySQL: a named lock on this connection keeps processes one at a time.
    await run('SELECT GET_LOCK(?, 60)', [`${tables.outbox} schema`]);
    try {
      for (const statement of mysqlSchema(tables)) await run(statement, []);
    } finally {
      await run('SELECT RELEASE_LOCK(?)', [`${tables.outbox} schema`]);
    }
  },

  async insert(run, tables, row) {
    // The key's lock row, held to the end of the transaction, makes a later transaction with the same key
    // take its id after this one commits: ids then follow commit order within a key.
    if (row.key !== undefined) {
      await run(
        `INSERT INTO ${tables.keyLocks} (lock_id) VALUES (?) ON DUPLICATE KEY UPDATE lock_id = lock_id`,
        [keyLockId(row)],
      );
    }
    const result = await run(
      `INSERT INTO ${tables.outbox} (lane, topic, order_key, message_id, headers, payload, available_at)
       VALUES (?, ?, ?, ?, ?, ?, IF(? > 0, UTC_TIMESTAMP(3) + INTERVAL ? MICROSECOND, ${DUE_AT_ONCE}))`,
      [
        row.lane,
        row.topic,
        row.key ?? null,
        row.messageId,
        row.headersJson,
        Buffer.from(row.payload.buffer, row.payload.byteOffset, row.payload.byteLength),
        row.delayMs,
        row.delayMs * 1000,
      ],
    );
    return String(result.insertId);
  },

  async recordReceived(run, { inbox }, consumer, messageId) {
    const result = await run(`INSERT IGNORE INTO ${inbox} (consumer, message_id) VALUES (?, ?)`, [
      consumer,
      messageId,
    ]);
    return result.affectedRows === 1;
  },

  async pruneReceived(run, { inbox }, olderThanMs) {
    const result = await run(
      `DELETE FROM ${inbox} WHERE received_at < UTC_TIMESTAMP(3) - INTERVAL ? MICROSECOND`,
      [olderThanMs * 1000],
    );
    return result.affectedRows;
  },

  relayStore: (run: SqlRunner, tables: OutboxTables) => mysqlRelayStore(run, tables),
};

/**
 * The lock row of a topic and key: one of 2^20, so the table stays bounded whatever the number of keys.
 * Two keys that share a row only wait for each other's commits.
 */
function keyLockId(row: NewOutboxRow): number {
  return (murmur2(encoder.encode(`${row.topic}/${row.key}`)) >>> 0) % 2 ** 20;
}

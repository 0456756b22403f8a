import { OUTBOX_LANES } from '../lanes.js';
import type { OutboxTables } from '../tables.js';

const TABLE = 'ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin';

/** The MySQL / MariaDB tables of an outbox; every statement can run again without harm. Times are UTC. */
export function mysqlSchema(t: OutboxTables): string[] {
  const lanes = Array.from({ length: OUTBOX_LANES }, (_, lane) => `(${lane})`).join(', ');
  return [
    `CREATE TABLE IF NOT EXISTS ${t.outbox} (
      id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
      lane SMALLINT NOT NULL,
      topic VARCHAR(255) NOT NULL,
      order_key TEXT NULL,
      message_id VARCHAR(128) NOT NULL,
      headers LONGTEXT NOT NULL,
      payload LONGBLOB NOT NULL,
      created_at DATETIME(3) NOT NULL DEFAULT (UTC_TIMESTAMP(3)),
      available_at DATETIME(3) NOT NULL COMMENT 'the epoch for a row due at once, else its due time',
      attempts INT NOT NULL DEFAULT 0,
      last_error TEXT NULL,
      parked_at DATETIME(3) NULL,
      KEY ${t.outbox}_due (parked_at, available_at, id)
    ) ${TABLE}`,
    `CREATE TABLE IF NOT EXISTS ${t.lanes} (
      lane SMALLINT NOT NULL PRIMARY KEY,
      owner VARCHAR(128) NULL,
      lease_until DATETIME(3) NULL
    ) ${TABLE}`,
    `INSERT IGNORE INTO ${t.lanes} (lane) VALUES ${lanes}`,
    `CREATE TABLE IF NOT EXISTS ${t.relays} (
      relay_id VARCHAR(128) NOT NULL PRIMARY KEY,
      seen_until DATETIME(3) NOT NULL
    ) ${TABLE}`,
    // MySQL has no transaction-scoped advisory lock: a row per key hash (2^20 of them at most), locked
    // until commit, does the job.
    `CREATE TABLE IF NOT EXISTS ${t.keyLocks} (lock_id BIGINT NOT NULL PRIMARY KEY) ${TABLE}`,
    `CREATE TABLE IF NOT EXISTS ${t.inbox} (
      consumer VARCHAR(200) NOT NULL,
      message_id VARCHAR(128) NOT NULL,
      received_at DATETIME(3) NOT NULL DEFAULT (UTC_TIMESTAMP(3)),
      PRIMARY KEY (consumer, message_id),
      KEY ${t.inbox}_received_at (received_at)
    ) ${TABLE}`,
  ];
}

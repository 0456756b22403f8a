// The two databases the outbox bench writes to, each with an outbox on tables of the bench's own
// (`bench_outbox_…`, dropped at the end): a pool for the application's transactions and a pool of its
// own for the relay, as a relay in another process would have.
import { randomUUID } from 'node:crypto';
import type { Pusher } from '@ev/core';
import type { Outbox, RelayStore } from '@ev/outbox';
import { mysqlOutbox } from '@ev/outbox/mysql';
import { pgOutbox } from '@ev/outbox/pg';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { eventBody } from './measure.js';

export const POSTGRES_URL = process.env.EV_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/ev_test';
export const MYSQL_URL = process.env.EV_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/ev_test';

/**
 * Connections the application's transactions share. PostgreSQL allows 100 connections here, shared with
 * other users of the server, so 100 callers share 50 of them.
 */
export const APP_CONNECTIONS = 50;

export interface BenchDatabase {
  /** `PostgreSQL` or `MariaDB`. */
  readonly name: string;
  /** The server's version, major and minor: `15.14`, `10.11`. */
  readonly version: string;
  readonly table: string;
  /** A fresh relay store on the relay's own pool. */
  relayStore(): RelayStore;
  /** One transaction: `work` sends through an outbox pusher bound to it on `topic`; then COMMIT. */
  transaction(topic: string, work: (pusher: Pusher) => Promise<unknown>): Promise<void>;
  /**
   * The database alone: one transaction inserting the row an unkeyed send inserts (due at once), into a
   * copy of the outbox table (same columns and indexes, no NOTIFY trigger), without the outbox or a relay.
   */
  insertAlone(i: number): Promise<void>;
  /** Rows in the outbox table. */
  rows(): Promise<number>;
  /** Drops the bench's tables and closes the pools. */
  close(): Promise<void>;
}

/** The outbox's tables, named after `table`, and its inbox (which the bench never uses). */
function tablesOf(table: string): string[] {
  return [
    table,
    `${table}_lanes`,
    `${table}_relays`,
    `${table}_key_locks`,
    `${table}_inbox`,
    `${table}_alone`,
  ];
}

const majorMinor = (version: string) => /^\d+(\.\d+)?/.exec(version)?.[0] ?? version;

/** What `insertAlone` writes: an event's payload, a message id, and the headers a send stores. */
function aloneRow(i: number): [string, string, Buffer] {
  const messageId = randomUUID();
  return [messageId, JSON.stringify({ 'ev-message-id': messageId }), eventBody(i)];
}

export async function openPostgres(table: string): Promise<BenchDatabase> {
  const app = new pg.Pool({ connectionString: POSTGRES_URL, max: APP_CONNECTIONS });
  const relay = new pg.Pool({ connectionString: POSTGRES_URL, max: 4 });
  for (const pool of [app, relay]) pool.on('error', () => {});
  const outbox: Outbox<pg.Pool | pg.PoolClient> = pgOutbox({ table, inboxTable: `${table}_inbox` });
  await outbox.applySchema(app);
  await app.query(`CREATE TABLE ${table}_alone (LIKE ${table} INCLUDING ALL)`);
  const version = String((await app.query('SHOW server_version')).rows[0].server_version);
  return {
    name: 'PostgreSQL',
    version: majorMinor(version),
    table,
    relayStore: () => outbox.relayStore(relay),
    async transaction(topic, work) {
      const client = await app.connect();
      try {
        await client.query('BEGIN');
        await work(outbox.pusher(client, topic));
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },
    async insertAlone(i) {
      const [messageId, headers, payload] = aloneRow(i);
      const client = await app.connect();
      try {
        await client.query('BEGIN');
        await client.query(
          `INSERT INTO ${table}_alone (lane, topic, message_id, headers, payload, available_at)
           VALUES ($1, $2, $3, $4, $5, 'epoch'::timestamptz) RETURNING id::text`,
          [i % 32, 'ev-bench-alone', messageId, headers, payload],
        );
        await client.query('COMMIT');
      } finally {
        client.release();
      }
    },
    rows: async () => Number((await app.query(`SELECT count(*) AS n FROM ${table}`)).rows[0].n),
    async close() {
      await app.query(`DROP TABLE IF EXISTS ${tablesOf(table).join(', ')} CASCADE`);
      await app.query(`DROP FUNCTION IF EXISTS ${table}_notify() CASCADE`);
      await Promise.all([app.end(), relay.end()]);
    },
  };
}

export async function openMariaDB(table: string): Promise<BenchDatabase> {
  const app = mysql.createPool({ uri: MYSQL_URL, connectionLimit: APP_CONNECTIONS });
  const relay = mysql.createPool({ uri: MYSQL_URL, connectionLimit: 4 });
  const outbox = mysqlOutbox({ table, inboxTable: `${table}_inbox` });
  await outbox.applySchema(app);
  await app.query(`CREATE TABLE ${table}_alone LIKE ${table}`);
  const [versions] = await app.query('SELECT VERSION() AS version');
  return {
    name: 'MariaDB',
    version: majorMinor(String((versions as { version: string }[])[0]!.version)),
    table,
    relayStore: () => outbox.relayStore(relay),
    async transaction(topic, work) {
      const connection = await app.getConnection();
      try {
        await connection.beginTransaction();
        await work(outbox.pusher(connection, topic));
        await connection.commit();
      } catch (error) {
        await connection.rollback().catch(() => {});
        throw error;
      } finally {
        connection.release();
      }
    },
    async insertAlone(i) {
      const [messageId, headers, payload] = aloneRow(i);
      const connection = await app.getConnection();
      try {
        await connection.beginTransaction();
        await connection.query(
          `INSERT INTO ${table}_alone (lane, topic, order_key, message_id, headers, payload, available_at)
           VALUES (?, ?, ?, ?, ?, ?, '1970-01-01 00:00:00.000')`,
          [i % 32, 'ev-bench-alone', null, messageId, headers, payload],
        );
        await connection.commit();
      } finally {
        connection.release();
      }
    },
    async rows() {
      const [result] = await app.query(`SELECT COUNT(*) AS n FROM ${table}`);
      return Number((result as { n: number }[])[0]!.n);
    },
    async close() {
      await app.query(`DROP TABLE IF EXISTS ${tablesOf(table).join(', ')}`);
      await Promise.all([app.end(), relay.end()]);
    },
  };
}

import { randomUUID } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, MysqlDialect, PostgresDialect } from 'kysely';
import { createPool as createCallbackPool } from 'mysql2';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { kyselyOutbox } from '../src/kysely/index.js';
import { mysqlOutbox } from '../src/mysql/index.js';
import type { Outbox, OutboxOptions } from '../src/outbox.js';
import { type PgOutboxOptions, pgOutbox } from '../src/pg/index.js';

/** The databases the tests use: the repo's local services unless these point elsewhere. */
export const POSTGRES_URL = process.env.EV_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/ev_test';
export const MYSQL_URL = process.env.EV_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/ev_test';

/** One database through one driver, with an outbox on tables of its own. */
export interface TestDatabase<Db = unknown> {
  readonly name: string;
  readonly outbox: Outbox<Db>;
  /** What the relay and the schema use. */
  readonly pool: Db;
  /** Runs `work` in a transaction, then commits it, or rolls it back when asked to or when `work` throws. */
  transaction<T>(work: (tx: Db) => Promise<T>, end?: 'commit' | 'rollback'): Promise<T>;
  /** A connection of its own, outside any transaction (each statement commits), and how to close it. */
  connection(): Promise<{ db: Db; close(): Promise<void> }>;
  /** Runs a statement outside the outbox, for assertions and for rows written by hand. */
  sql(text: string, params?: unknown[]): Promise<Record<string, unknown>[]>;
  /** Drops the test's tables and closes the pool. */
  close(): Promise<void>;
}

/** `pg-poll`: node-postgres without the NOTIFY trigger, so the relay polls. */
export type DatabaseKind = 'pg' | 'pg-poll' | 'mysql' | 'kysely-pg' | 'kysely-mysql' | 'pglite';

/** A fresh table name, so test files and runs never share rows. */
export function uniqueTable(prefix = 'outbox'): string {
  return `${prefix}_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
}

/** Fails loudly when the database cannot be reached: a database suite never skips. */
export async function openTestDatabase(
  kind: DatabaseKind,
  options: OutboxOptions = {},
): Promise<TestDatabase> {
  const table = options.table ?? uniqueTable();
  const settings = { inboxTable: `${table}_inbox`, ...options, table };
  try {
    const database = await open(kind, settings);
    await database.outbox.applySchema(database.pool);
    return database;
  } catch (error) {
    const url = kind.endsWith('mysql') ? MYSQL_URL : POSTGRES_URL;
    throw new Error(
      `${kind}: the database at ${url.replace(/\/\/[^@]*@/, '//')} is not usable (${(error as Error).message}); start it with \`pnpm brokers up ${kind.endsWith('mysql') ? 'mariadb' : 'postgres'}\``,
    );
  }
}

function dropStatements(table: string, inbox: string, postgres: boolean): string[] {
  const tables = [table, `${table}_lanes`, `${table}_relays`, `${table}_key_locks`, inbox];
  return postgres
    ? [
        `DROP TABLE IF EXISTS ${tables.join(', ')} CASCADE`,
        `DROP FUNCTION IF EXISTS ${table}_notify() CASCADE`,
      ]
    : [`DROP TABLE IF EXISTS ${tables.join(', ')}`];
}

/** Each driver's database, with its own connection types forgotten: the tests pass back what it gave them. */
async function open(
  kind: DatabaseKind,
  options: OutboxOptions & { table: string; inboxTable: string },
): Promise<TestDatabase> {
  const untyped = <Db>(database: Promise<TestDatabase<Db>>) => database as unknown as Promise<TestDatabase>;
  const drops = dropStatements(options.table, options.inboxTable, !kind.endsWith('mysql'));
  switch (kind) {
    case 'pg':
      return untyped(openPg(options, drops));
    case 'pg-poll':
      return untyped(openPg({ ...options, notify: false }, drops));
    case 'pglite':
      return untyped(openPglite(options, drops));
    case 'mysql':
      return untyped(openMysql(options, drops));
    default:
      return untyped(openKysely(kind, options, drops));
  }
}

async function openPg(
  options: PgOutboxOptions,
  drops: string[],
): Promise<TestDatabase<pg.Pool | pg.PoolClient>> {
  const pool = new pg.Pool({ connectionString: POSTGRES_URL, max: 20 });
  // A database that goes away fails the query in flight, which is enough: its clients' error events are not.
  pool.on('error', () => {});
  pool.on('connect', (client) => client.on('error', () => {}));
  await pool.query('SELECT 1');
  const outbox = pgOutbox(options);
  return {
    name: options.notify === false ? 'postgresql (pg, polling)' : 'postgresql (pg)',
    outbox,
    pool,
    async transaction(work, end = 'commit') {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await work(client);
        await client.query(end === 'commit' ? 'COMMIT' : 'ROLLBACK');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },
    async connection() {
      const client = new pg.Client({ connectionString: POSTGRES_URL });
      await client.connect();
      return { db: client as unknown as pg.PoolClient, close: () => client.end() };
    },
    sql: async (text, params) => (await pool.query(text, params)).rows,
    async close() {
      for (const drop of drops) await pool.query(drop);
      await pool.end();
    },
  };
}

async function openPglite(options: OutboxOptions, drops: string[]): Promise<TestDatabase<PGlite>> {
  const db = await PGlite.create();
  const outbox = pgOutbox(options);
  return {
    name: 'postgresql (PGlite)',
    outbox: outbox as Outbox<PGlite>,
    pool: db,
    // PGlite is one connection: its transaction() runs one transaction at a time.
    transaction: (work, end = 'commit') =>
      db.transaction(async (tx) => {
        const result = await work(tx as unknown as PGlite);
        if (end === 'rollback') await tx.rollback();
        return result;
      }),
    connection: async () => ({ db, close: async () => {} }),
    sql: async (text, params) => (await db.query<Record<string, unknown>>(text, params)).rows,
    async close() {
      for (const drop of drops) await db.query(drop);
      await db.close();
    },
  };
}

async function openMysql(
  options: OutboxOptions,
  drops: string[],
): Promise<TestDatabase<mysql.Pool | mysql.PoolConnection>> {
  const pool = mysql.createPool({ uri: MYSQL_URL, connectionLimit: 20 });
  await pool.query('SELECT 1');
  const outbox = mysqlOutbox(options);
  return {
    name: 'mysql (mysql2)',
    outbox,
    pool,
    async transaction(work, end = 'commit') {
      const connection = await pool.getConnection();
      try {
        await connection.beginTransaction();
        const result = await work(connection);
        await (end === 'commit' ? connection.commit() : connection.rollback());
        return result;
      } catch (error) {
        await connection.rollback().catch(() => {});
        throw error;
      } finally {
        connection.release();
      }
    },
    async connection() {
      const connection = await mysql.createConnection({ uri: MYSQL_URL });
      return { db: connection as unknown as mysql.PoolConnection, close: () => connection.end() };
    },
    sql: async (text, params) => (await pool.query(text, params))[0] as Record<string, unknown>[],
    async close() {
      for (const drop of drops) await pool.query(drop);
      await pool.end();
    },
  };
}

// biome-ignore lint/suspicious/noExplicitAny: the tests use no schema types
type AnyKysely = Kysely<any>;

async function openKysely(
  kind: 'kysely-pg' | 'kysely-mysql',
  options: OutboxOptions,
  drops: string[],
): Promise<TestDatabase<AnyKysely>> {
  const postgres = kind === 'kysely-pg';
  const dialect = postgres
    ? new PostgresDialect({ pool: new pg.Pool({ connectionString: POSTGRES_URL, max: 10 }) })
    : // Kysely drives mysql2's callback API.
      new MysqlDialect({ pool: createCallbackPool({ uri: MYSQL_URL, connectionLimit: 10 }) });
  const db: AnyKysely = new Kysely({ dialect });
  const raw = async (text: string, params: unknown[] = []) => {
    const { CompiledQuery } = await import('kysely');
    return (await db.executeQuery(CompiledQuery.raw(text, params))).rows as Record<string, unknown>[];
  };
  await raw('SELECT 1');
  const outbox = kyselyOutbox({ ...options, dialect: postgres ? 'postgres' : 'mysql' });
  return {
    name: postgres ? 'postgresql (Kysely)' : 'mysql (Kysely)',
    outbox,
    pool: db,
    async transaction(work, end = 'commit') {
      // Kysely commits when the callback resolves and rolls back when it throws.
      const rollback = new Error('rollback');
      let result: Awaited<ReturnType<typeof work>> | undefined;
      await db
        .transaction()
        .execute(async (tx) => {
          result = await work(tx);
          if (end === 'rollback') throw rollback;
        })
        .catch((error: unknown) => {
          if (error !== rollback) throw error;
        });
      return result as Awaited<ReturnType<typeof work>>;
    },
    connection: async () => ({ db, close: async () => {} }),
    sql: raw,
    async close() {
      for (const drop of drops) await raw(drop);
      await db.destroy();
    },
  };
}

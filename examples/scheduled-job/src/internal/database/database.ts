import { type Pusher, type PusherOptions, redactUrl } from '@ev/core';
import type { OutboxOptions, RelayStore } from '@ev/outbox';

/**
 * The job's tables, named after the job so it never touches another application's tables in a shared
 * database: the outbox (`job_outbox`, with its `job_outbox_*` lane and relay tables) and its inbox.
 */
export const OUTBOX_TABLES: OutboxOptions = { table: 'job_outbox', inboxTable: 'job_inbox' };

/** One open transaction. Statements take `?` placeholders on every database. */
export interface Transaction {
  /** Runs one statement in the transaction; resolves with the number of rows it changed. */
  execute(sql: string, params?: unknown[]): Promise<number>;
  /** A pusher whose every send is a row of the outbox, written in this transaction. */
  pusher(topic: string, options?: PusherOptions): Pusher;
}

/** One shape whichever database the URL names: the repository and the relay never see the driver. */
export interface Database {
  /** Which SQL its tables are created with: PGlite speaks PostgreSQL, MariaDB speaks MySQL. */
  readonly dialect: 'postgresql' | 'mysql';
  /** Runs `work` in one transaction: commits when it resolves, rolls back when it throws. */
  transaction<T>(work: (tx: Transaction) => Promise<T>): Promise<T>;
  /** The outbox as the relay reads it, through connections of its own. */
  readonly relayStore: RelayStore;
  close(): Promise<void>;
}

// Each driver's module is imported only when its URL is used.
const openers = new Map<string, (url: string) => Promise<Database>>([
  ['pglite', async () => (await import('./pglite.js')).openPglite()],
  ['postgres', async (url) => (await import('./postgres.js')).openPostgres(url)],
  ['postgresql', async (url) => (await import('./postgres.js')).openPostgres(url)],
  ['mysql', async (url) => (await import('./mysql.js')).openMysql(url)],
  ['mariadb', async (url) => (await import('./mysql.js')).openMysql(url.replace(/^mariadb:/, 'mysql:'))],
]);

/**
 * Opens the database `url` names and creates the outbox tables when missing: `pglite:` (PostgreSQL
 * embedded in the process, in memory, gone when it exits), `postgres://…` or `mysql://…`.
 */
export async function openDatabase(url: string): Promise<Database> {
  const open = openers.get(url.slice(0, url.indexOf(':')).toLowerCase());
  if (!open) {
    throw new Error(`unsupported database URL "${redactUrl(url)}": use pglite:, postgres://… or mysql://…`);
  }
  try {
    return await open(url);
  } catch (error) {
    // Say which database failed, without its credentials.
    throw new Error(`cannot open the database ${redactUrl(url)}: ${(error as Error)?.message ?? error}`, {
      cause: error,
    });
  }
}

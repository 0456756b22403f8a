import type { RelayStore } from './relay-store.js';
import type { NewOutboxRow } from './rows.js';
import type { SqlRunner } from './sql-runner.js';
import type { OutboxTables } from './tables.js';

/** The SQL of one database (PostgreSQL or MySQL), whatever driver runs it. */
export interface OutboxDialect {
  readonly database: 'postgresql' | 'mysql';
  /** The statements that create the tables, for migration tools; each can run again without harm. */
  schema(tables: OutboxTables): string[];
  /** Creates the tables if missing; safe to run from several processes at once. `run` is one connection. */
  applySchema(run: SqlRunner, tables: OutboxTables): Promise<void>;
  /** Writes one row in the caller's transaction; resolves with its id. */
  insert(run: SqlRunner, tables: OutboxTables, row: NewOutboxRow): Promise<string>;
  /** Records a message id for a consumer; true the first time, false for a duplicate. */
  recordReceived(run: SqlRunner, tables: OutboxTables, consumer: string, messageId: string): Promise<boolean>;
  /** Deletes inbox entries received more than `olderThanMs` ago; resolves with how many. */
  pruneReceived(run: SqlRunner, tables: OutboxTables, olderThanMs: number): Promise<number>;
  relayStore(run: SqlRunner, tables: OutboxTables): RelayStore;
}

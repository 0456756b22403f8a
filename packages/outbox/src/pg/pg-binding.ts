import type { DriverBinding } from '../driver-binding.js';
import type { SqlRunner } from '../sql-runner.js';
import { listenForRows } from './pg-listen.js';

/**
 * What the outbox needs of a PostgreSQL driver: node-postgres's `Pool`, `PoolClient` and `Client`, and
 * PGlite and its transactions, all have it.
 */
export interface PgQueryable {
  query(
    text: string,
    values?: unknown[],
  ): Promise<{ rows: Record<string, unknown>[]; rowCount?: number | null; affectedRows?: number }>;
}

/** A node-postgres pool: lends a client for statements that must share a connection. */
export interface PgPoolLike extends PgQueryable {
  connect(): Promise<PgPoolClientLike>;
  readonly totalCount: number;
}

export interface PgPoolClientLike extends PgQueryable {
  release(error?: Error | boolean): void;
  on(event: 'notification', listener: (message: { channel: string }) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  removeAllListeners(event?: string): unknown;
  removeListener(event: 'error', listener: (error: Error) => void): unknown;
}

/** PGlite: one embedded connection, with its own LISTEN. */
export interface PgliteLike extends PgQueryable {
  listen(channel: string, callback: (payload: string) => void): Promise<() => Promise<void>>;
}

export function isPgPool(db: PgQueryable): db is PgPoolLike {
  const candidate = db as Partial<PgPoolLike>;
  return typeof candidate.connect === 'function' && typeof candidate.totalCount === 'number';
}

function isPglite(db: PgQueryable): db is PgliteLike {
  return typeof (db as Partial<PgliteLike>).listen === 'function';
}

export function pgRunner(db: PgQueryable): SqlRunner {
  return async (sql, params) => {
    const result = await db.query(sql, params as unknown[]);
    return { rows: result.rows, affectedRows: result.rowCount ?? result.affectedRows ?? 0 };
  };
}

export const pgBinding: DriverBinding<PgQueryable> = {
  runner: pgRunner,
  isPool: isPgPool,

  async withConnection(db, work) {
    if (!isPgPool(db)) return work(pgRunner(db));
    const client = await db.connect();
    // A connection lost meanwhile fails the statement in flight; its error event must not end the process.
    const ignore = (): void => {};
    client.on('error', ignore);
    try {
      return await work(pgRunner(client));
    } finally {
      client.removeListener('error', ignore);
      client.release();
    }
  },

  canListen: (db) => isPglite(db) || isPgPool(db),

  async listen(db, channel, wake) {
    return isPglite(db) ? db.listen(channel, wake) : listenForRows(db as PgPoolLike, channel, wake);
  },
};

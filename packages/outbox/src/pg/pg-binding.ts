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

  async withConnection(db, work) {
    if (!isPgPool(db)) return work(pgRunner(db));
    const client = await db.connect();
    try {
      return await work(pgRunner(client));
    } finally {
      client.release();
    }
  },

  async listen(db, channel, wake) {
    if (isPglite(db)) return db.listen(channel, wake);
    if (isPgPool(db)) return listenForRows(db, channel, wake);
    // A single client is the caller's: the relay polls instead of taking it over.
    return async () => {};
  },
};

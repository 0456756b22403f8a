import { InvalidArgumentError } from '@ev/core';
import type { DriverBinding } from '../driver-binding.js';
import type { SqlRunner } from '../sql-runner.js';

/** What the outbox needs of mysql2's promise API: its `Pool`, `PoolConnection` and `Connection` have it. */
export interface MysqlQueryable {
  query(sql: string, values?: unknown): Promise<[unknown, unknown]>;
}

/** A mysql2 promise pool: lends a connection for statements that must share one. */
export interface MysqlPoolLike extends MysqlQueryable {
  getConnection(): Promise<MysqlQueryable & { release(): void }>;
}

interface ResultHeader {
  affectedRows?: number;
  insertId?: number | string;
}

function isPool(db: MysqlQueryable): db is MysqlPoolLike {
  return typeof (db as Partial<MysqlPoolLike>).getConnection === 'function';
}

export function mysqlRunner(db: MysqlQueryable): SqlRunner {
  if (typeof db?.query !== 'function') {
    throw new InvalidArgumentError('expected a mysql2/promise pool or connection', { provider: 'outbox' });
  }
  return async (sql, params) => {
    const pending = db.query(sql, params) as unknown;
    if (!(pending instanceof Promise)) {
      throw new InvalidArgumentError("expected mysql2's promise API: import from 'mysql2/promise'", {
        provider: 'outbox',
      });
    }
    const [result] = (await pending) as [unknown, unknown];
    if (Array.isArray(result)) return { rows: result as Record<string, unknown>[], affectedRows: 0 };
    const header = result as ResultHeader;
    return {
      rows: [],
      affectedRows: header.affectedRows ?? 0,
      insertId: header.insertId === undefined ? undefined : String(header.insertId),
    };
  };
}

export const mysqlBinding: DriverBinding<MysqlQueryable> = {
  runner: mysqlRunner,
  isPool,

  async withConnection(db, work) {
    if (!isPool(db)) return work(mysqlRunner(db));
    const connection = await db.getConnection();
    try {
      return await work(mysqlRunner(connection));
    } finally {
      connection.release();
    }
  },
};

/** What a statement returned, the same for every driver. */
export interface SqlResult {
  readonly rows: readonly Record<string, unknown>[];
  readonly affectedRows: number;
  /** MySQL's AUTO_INCREMENT id of an INSERT, as digits. */
  readonly insertId?: string;
}

/**
 * Runs one statement with positional parameters (`$1` on PostgreSQL, `?` on MySQL) on one connection or
 * transaction. Each driver (pg, PGlite, mysql2, Kysely) is wrapped in one, so the SQL is written once per
 * database, not once per driver.
 */
export type SqlRunner = (sql: string, params: readonly unknown[]) => Promise<SqlResult>;

/** The last statement issued through `inCallOrder` on each connection, transaction or pool. */
const lastStatements = new WeakMap<object, Promise<unknown>>();

/**
 * Statements on `db` run one after another, in the order they were issued: a pusher's sends then get ids
 * in call order, even on a pool, and a driver is never handed a statement while one runs on its
 * connection (node-postgres deprecates that).
 */
export function inCallOrder(db: object, run: SqlRunner): SqlRunner {
  return (sql, params) => {
    const next = (lastStatements.get(db) ?? Promise.resolve()).then(() => run(sql, params));
    lastStatements.set(
      db,
      next.catch(() => {}),
    );
    return next;
  };
}

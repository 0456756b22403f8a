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

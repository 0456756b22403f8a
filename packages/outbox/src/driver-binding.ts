import type { SqlRunner } from './sql-runner.js';

/** How the outbox talks through one driver: pg, PGlite, mysql2 or Kysely. */
export interface DriverBinding<Db> {
  /**
   * Statements on `db`: the caller's transaction, or a pool (each statement on any connection, several at
   * once). The outbox puts a pusher's statements in call order itself.
   */
  runner(db: Db): SqlRunner;
  /** Whether `db` is a pool: its statements may run on different connections, several at once. */
  isPool(db: Db): boolean;
  /** Runs `work` on one connection of `db` (a pool lends one), for statements that must share it. */
  withConnection<T>(db: Db, work: (run: SqlRunner) => Promise<T>): Promise<T>;
  /**
   * PostgreSQL: calls `wake` on each notification on `channel`, and after each reconnect. Resolves with
   * a function that stops listening. Only for a `db` that `canListen` (a pool or PGlite).
   */
  listen?(db: Db, channel: string, wake: () => void): Promise<() => Promise<void>>;
  canListen?(db: Db): boolean;
}

/**
 * `@ev/outbox/mysql`: the outbox on MySQL 8 and MariaDB 10.6+ through mysql2's promise API.
 *
 *   const outbox = mysqlOutbox();
 *   await outbox.applySchema(pool);
 *   const connection = await pool.getConnection();
 *   await connection.beginTransaction();
 *   await createUserEvent(outbox.pusher(connection, USER_TOPIC)).sync(user);
 *   await connection.commit();
 */
import { Outbox, type OutboxOptions } from '../outbox.js';
import { type MysqlQueryable, mysqlBinding } from './mysql-binding.js';
import { mysqlDialect } from './mysql-dialect.js';

export type { MysqlPoolLike, MysqlQueryable } from './mysql-binding.js';

/** An outbox on MySQL or MariaDB: pass a mysql2/promise `Pool`, `PoolConnection` or `Connection`. */
export function mysqlOutbox(options?: OutboxOptions): Outbox<MysqlQueryable> {
  return new Outbox(mysqlDialect, mysqlBinding, options);
}

import { mysqlOutbox } from '@ev/outbox/mysql';
import mysql, { type ResultSetHeader } from 'mysql2/promise';
import { type Database, OUTBOX_TABLES, type Transaction } from './database.js';

/** MySQL 8 or MariaDB 10.6+ through a mysql2 pool. */
export async function openMysql(url: string): Promise<Database> {
  const pool = mysql.createPool({ uri: url, connectionLimit: 4 });
  const outbox = mysqlOutbox(OUTBOX_TABLES);
  try {
    await outbox.applySchema(pool);
  } catch (error) {
    await pool.end();
    throw error;
  }

  const bind = (connection: mysql.PoolConnection): Transaction => ({
    async execute(sql, params = []) {
      const [result] = await connection.query<ResultSetHeader>(sql, params);
      return result.affectedRows;
    },
    pusher: (topic, options) => outbox.pusher(connection, topic, options),
  });

  return {
    dialect: 'mysql',
    // A transaction lives on one connection: borrow one from the pool for the whole of it.
    async transaction(work) {
      const connection = await pool.getConnection();
      try {
        await connection.beginTransaction();
        const result = await work(bind(connection));
        await connection.commit();
        return result;
      } catch (error) {
        await connection.rollback().catch(() => {});
        throw error;
      } finally {
        connection.release();
      }
    },
    // MySQL has no LISTEN: the relay polls the outbox every 100 ms.
    relayStore: outbox.relayStore(pool),
    close: () => pool.end(),
  };
}

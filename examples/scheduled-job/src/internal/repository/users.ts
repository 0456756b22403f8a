import type { Database, Transaction } from '../database/database.js';

/** The job's demo table: a few users, each stamped when the job syncs it. */
const USERS_TABLE = 'job_users';

/** The users the demo table starts with (snowflake-style ids, above 2^53: bigint end to end). */
export const DEMO_USERS: ReadonlyArray<{ id: bigint; name: string }> = [
  { id: 1_847_392_018_455_109_633n, name: 'Ada' },
  { id: 1_847_392_018_455_109_634n, name: 'Grace' },
  { id: 1_847_392_018_455_109_635n, name: 'Barbara' },
];

const CREATE_TABLE = {
  postgresql: `CREATE TABLE IF NOT EXISTS ${USERS_TABLE} (
    id bigint PRIMARY KEY, name varchar(100) NOT NULL, last_synced_at timestamptz)`,
  mysql: `CREATE TABLE IF NOT EXISTS ${USERS_TABLE} (
    id bigint PRIMARY KEY, name varchar(100) NOT NULL, last_synced_at timestamp(3) NULL)`,
};

// Inserts the demo users that are missing, so a database kept between runs keeps its timestamps.
const INSERT_DEMO_USER = {
  postgresql: `INSERT INTO ${USERS_TABLE} (id, name) VALUES (?, ?) ON CONFLICT (id) DO NOTHING`,
  mysql: `INSERT IGNORE INTO ${USERS_TABLE} (id, name) VALUES (?, ?)`,
};

/** Creates the demo table and its users when missing. */
export async function createUsersTable(database: Database): Promise<void> {
  await database.transaction(async (tx) => {
    await tx.execute(CREATE_TABLE[database.dialect]);
    for (const { id, name } of DEMO_USERS) await tx.execute(INSERT_DEMO_USER[database.dialect], [id, name]);
  });
}

/** The users table, as one transaction sees it. */
export interface Users {
  /** Stamps the user as synced now; resolves false when there is no such user. */
  markSynced(userId: bigint): Promise<boolean>;
}

export function usersIn(tx: Transaction): Users {
  return {
    async markSynced(userId) {
      const changed = await tx.execute(
        `UPDATE ${USERS_TABLE} SET last_synced_at = CURRENT_TIMESTAMP(3) WHERE id = ?`,
        [userId],
      );
      return changed > 0;
    },
  };
}

import { PGlite } from '@electric-sql/pglite';
import { describe, expect, it } from 'vitest';
import { mysqlOutbox } from '../src/mysql/index.js';
import { pgOutbox } from '../src/pg/index.js';

describe('schema statements', () => {
  it('create on PostgreSQL what applySchema would, so a migration tool can run them instead', async () => {
    const db = await PGlite.create();
    try {
      const outbox = pgOutbox({ table: 'migrated_outbox', inboxTable: 'migrated_inbox' });
      for (const statement of outbox.schemaStatements()) await db.query(statement);
      // Everything is in place: applySchema has nothing left to do, and the outbox works.
      await outbox.applySchema(db);
      await db.transaction(async (tx) => {
        await outbox.pusher(tx, 'migrated').sendWithKey('k', new Uint8Array([1]));
      });
      const rows = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM migrated_outbox');
      expect(rows.rows[0]?.n).toBe(1);
    } finally {
      await db.close();
    }
  });

  it('name the tables after the options on MySQL', () => {
    const statements = mysqlOutbox({ table: 'orders_outbox', inboxTable: 'orders_inbox' }).schemaStatements();
    const created = statements.flatMap((sql) => /CREATE TABLE IF NOT EXISTS (\w+)/.exec(sql)?.slice(1) ?? []);
    expect(created).toEqual([
      'orders_outbox',
      'orders_outbox_lanes',
      'orders_outbox_relays',
      'orders_outbox_key_locks',
      'orders_inbox',
    ]);
  });
});

import { OUTBOX_LANES } from '../lanes.js';
import type { SqlRunner } from '../sql-runner.js';
import type { OutboxTables } from '../tables.js';

/**
 * The PostgreSQL tables of an outbox; every statement can run again without harm. With `notify`, a
 * trigger wakes listening relays at each commit that wrote rows; without, it is dropped (relays poll).
 */
export function pgSchema(t: OutboxTables, notify: boolean): string[] {
  return [
    `CREATE TABLE IF NOT EXISTS ${t.outbox} (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      lane smallint NOT NULL,
      topic text NOT NULL,
      order_key text,
      message_id text NOT NULL,
      headers text NOT NULL,
      payload bytea NOT NULL,
      created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
      -- The epoch for a row due at once; a delayed row's due time otherwise.
      available_at timestamptz NOT NULL,
      attempts integer NOT NULL DEFAULT 0,
      last_error text,
      parked_at timestamptz
    )`,
    // The relay reads in this order: rows due at once by id (commit order within a key), then delayed
    // rows by due time; rows not due yet are never scanned.
    `CREATE INDEX IF NOT EXISTS ${t.outbox}_due ON ${t.outbox} (available_at, id) WHERE parked_at IS NULL`,
    `CREATE TABLE IF NOT EXISTS ${t.lanes} (lane smallint PRIMARY KEY, owner text, lease_until timestamptz)`,
    `INSERT INTO ${t.lanes} (lane) SELECT generate_series(0, ${OUTBOX_LANES - 1}) ON CONFLICT DO NOTHING`,
    `CREATE TABLE IF NOT EXISTS ${t.relays} (relay_id text PRIMARY KEY, seen_until timestamptz NOT NULL)`,
    ...(notify ? notifyTrigger(t) : [`DROP TRIGGER IF EXISTS ${t.outbox}_notify ON ${t.outbox}`]),
    `CREATE TABLE IF NOT EXISTS ${t.inbox} (
      consumer text NOT NULL,
      message_id text NOT NULL,
      received_at timestamptz NOT NULL DEFAULT clock_timestamp(),
      PRIMARY KEY (consumer, message_id)
    )`,
    `CREATE INDEX IF NOT EXISTS ${t.inbox}_received_at ON ${t.inbox} (received_at)`,
  ];
}

/** One notification per inserting statement, delivered at commit (and never for a rollback). */
function notifyTrigger(t: OutboxTables): string[] {
  return [
    `CREATE OR REPLACE FUNCTION ${t.outbox}_notify() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN PERFORM pg_notify('${t.outbox}', ''); RETURN NULL; END $$`,
    `CREATE OR REPLACE TRIGGER ${t.outbox}_notify AFTER INSERT ON ${t.outbox}
      FOR EACH STATEMENT EXECUTE FUNCTION ${t.outbox}_notify()`,
  ];
}

/** Whether every table and index exists, with the trigger as `notify` wants it. */
export async function pgSchemaInPlace(run: SqlRunner, t: OutboxTables, notify: boolean): Promise<boolean> {
  const relations = [t.outbox, t.lanes, t.relays, t.inbox, `${t.outbox}_due`, `${t.inbox}_received_at`];
  const result = await run(
    `SELECT bool_and(to_regclass(name) IS NOT NULL) AS tables,
       EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = $2 AND tgrelid = to_regclass($3)) AS trigger
     FROM unnest($1::text[]) AS name`,
    [relations, `${t.outbox}_notify`, t.outbox],
  );
  const row = result.rows[0];
  return row?.tables === true && row.trigger === notify;
}

import { OUTBOX_LANES } from '../lanes.js';
import type { RelayStore } from '../relay-store.js';
import { outboxRowFrom } from '../rows.js';
import type { SqlRunner } from '../sql-runner.js';
import type { OutboxTables } from '../tables.js';

const LEASE = `clock_timestamp() + $2 * interval '1 millisecond'`;

/** The relay's statements on PostgreSQL. Times come from the database clock, never the relay's. */
export function pgRelayStore(run: SqlRunner, t: OutboxTables): RelayStore {
  let analyzedAt = Number.NEGATIVE_INFINITY;
  /**
   * A backlog can grow from nothing faster than autovacuum refreshes the table's statistics (it looks once
   * a minute); with the old ones the planner sorts the whole backlog for each batch instead of reading the
   * due index in order (measured: 3× slower). So a relay reading full batches analyzes the table itself,
   * at most once a minute; without the right to, it leaves it to autovacuum.
   */
  const refreshStatistics = (): void => {
    if (performance.now() - analyzedAt < 60_000) return;
    analyzedAt = performance.now();
    // In the background: the relay's reads do not wait for it.
    run(`ANALYZE ${t.outbox}`, []).catch(() => {});
  };

  return {
    database: 'postgresql',

    async heartbeat(relayId, leaseMs) {
      // The relay's own row is counted apart: the upsert's effect is not visible to this statement.
      const result = await run(
        `WITH beat AS (
           INSERT INTO ${t.relays} (relay_id, seen_until) VALUES ($1, ${LEASE})
           ON CONFLICT (relay_id) DO UPDATE SET seen_until = EXCLUDED.seen_until
         ), gone AS (
           DELETE FROM ${t.relays} WHERE seen_until < clock_timestamp() - interval '1 hour'
         )
         SELECT count(*)::int + 1 AS live FROM ${t.relays}
         WHERE seen_until >= clock_timestamp() AND relay_id <> $1`,
        [relayId, leaseMs],
      );
      return Number(result.rows[0]?.live ?? 1);
    },

    async renewLanes(relayId, leaseMs) {
      const result = await run(
        `UPDATE ${t.lanes} SET lease_until = ${LEASE} WHERE owner = $1 RETURNING lane`,
        [relayId, leaseMs],
      );
      return lanesOf(result.rows);
    },

    async claimLanes(relayId, count, leaseMs) {
      const result = await run(
        `UPDATE ${t.lanes} SET owner = $1, lease_until = ${LEASE}
         WHERE lane IN (
           SELECT lane FROM ${t.lanes}
           WHERE owner IS NULL OR lease_until < clock_timestamp()
           ORDER BY lane LIMIT $3 FOR UPDATE SKIP LOCKED
         )
         RETURNING lane`,
        [relayId, leaseMs, count],
      );
      return lanesOf(result.rows);
    },

    async releaseLanes(relayId, lanes) {
      await run(
        `UPDATE ${t.lanes} SET owner = NULL, lease_until = NULL WHERE owner = $1 AND lane = ANY($2::smallint[])`,
        [relayId, lanes],
      );
    },

    async leave(relayId) {
      await run(`DELETE FROM ${t.relays} WHERE relay_id = $1`, [relayId]);
    },

    async fetchDue(lanes, limit, inFlight) {
      // The lanes are named by those left out: without statistics (a table that just filled up) the
      // planner takes "lane = any of 32" for a rare match and sorts the whole backlog instead of reading
      // the index in order; "none of the others" it estimates right.
      const result = await run(
        `SELECT o.id::text AS id, lane, topic, order_key, message_id, headers, payload, attempts
         FROM ${t.outbox} AS o
         WHERE available_at <= statement_timestamp() AND parked_at IS NULL AND lane <> ALL($1::smallint[])
           AND o.id <> ALL($3::bigint[])
         ORDER BY available_at, o.id LIMIT $2`,
        [otherLanes(lanes), limit, inFlight],
      );
      if (result.rows.length === limit) refreshStatistics();
      return result.rows.map(outboxRowFrom);
    },

    async msUntilDue(lanes) {
      const result = await run(
        `SELECT greatest(0, extract(epoch FROM min(available_at) - clock_timestamp()) * 1000)::float8 AS ms
         FROM ${t.outbox} WHERE lane = ANY($1::smallint[]) AND parked_at IS NULL`,
        [lanes],
      );
      const ms = result.rows[0]?.ms;
      return ms === null || ms === undefined ? undefined : Number(ms);
    },

    async remove(ids) {
      await run(`DELETE FROM ${t.outbox} WHERE id = ANY($1::bigint[])`, [ids]);
    },

    async park(rows) {
      await run(
        `UPDATE ${t.outbox} SET parked_at = clock_timestamp(), last_error = refused.error
         FROM unnest($1::bigint[], $2::text[]) AS refused(id, error) WHERE ${t.outbox}.id = refused.id`,
        [rows.map((row) => row.id), rows.map((row) => row.error)],
      );
    },

    async recordFailure(ids, error) {
      await run(
        `UPDATE ${t.outbox} SET attempts = attempts + 1, last_error = $2 WHERE id = ANY($1::bigint[])`,
        [ids, error],
      );
    },
  };
}

/** The lanes not in `lanes`. */
function otherLanes(lanes: readonly number[]): number[] {
  const held = new Set(lanes);
  return Array.from({ length: OUTBOX_LANES }, (_, lane) => lane).filter((lane) => !held.has(lane));
}

function lanesOf(rows: readonly Record<string, unknown>[]): number[] {
  return rows.map((row) => Number(row.lane));
}

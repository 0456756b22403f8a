import type { RelayStore } from '../relay-store.js';
import { outboxRowFrom } from '../rows.js';
import type { SqlRunner } from '../sql-runner.js';
import type { OutboxTables } from '../tables.js';

const NOW = 'UTC_TIMESTAMP(3)';
const LEASE = `${NOW} + INTERVAL ? MICROSECOND`;

/** The relay's statements on MySQL / MariaDB. Times come from the database clock, never the relay's. */
export function mysqlRelayStore(run: SqlRunner, t: OutboxTables): RelayStore {
  const heldBy = async (relayId: string): Promise<number[]> => {
    const result = await run(`SELECT lane FROM ${t.lanes} WHERE owner = ? ORDER BY lane`, [relayId]);
    return result.rows.map((row) => Number(row.lane));
  };

  return {
    database: 'mysql',

    async heartbeat(relayId, leaseMs) {
      await run(
        `INSERT INTO ${t.relays} (relay_id, seen_until) VALUES (?, ${LEASE})
         ON DUPLICATE KEY UPDATE seen_until = VALUES(seen_until)`,
        [relayId, leaseMs * 1000],
      );
      await run(`DELETE FROM ${t.relays} WHERE seen_until < ${NOW} - INTERVAL 1 HOUR`, []);
      const result = await run(`SELECT COUNT(*) AS live FROM ${t.relays} WHERE seen_until >= ${NOW}`, []);
      return Math.max(1, Number(result.rows[0]?.live ?? 1));
    },

    async renewLanes(relayId, leaseMs) {
      await run(`UPDATE ${t.lanes} SET lease_until = ${LEASE} WHERE owner = ?`, [leaseMs * 1000, relayId]);
      return heldBy(relayId);
    },

    async claimLanes(relayId, count, leaseMs) {
      const before = new Set(await heldBy(relayId));
      // One statement: the rows it changes are locked, so two relays never take the same lane.
      await run(
        `UPDATE ${t.lanes} SET owner = ?, lease_until = ${LEASE}
         WHERE owner IS NULL OR lease_until < ${NOW} ORDER BY lane LIMIT ?`,
        [relayId, leaseMs * 1000, count],
      );
      return (await heldBy(relayId)).filter((lane) => !before.has(lane));
    },

    async releaseLanes(relayId, lanes) {
      if (lanes.length === 0) return;
      await run(`UPDATE ${t.lanes} SET owner = NULL, lease_until = NULL WHERE owner = ? AND lane IN (?)`, [
        relayId,
        lanes,
      ]);
    },

    async leave(relayId) {
      await run(`DELETE FROM ${t.relays} WHERE relay_id = ?`, [relayId]);
    },

    async fetchDue(lanes, limit, inFlight) {
      const result = await run(
        `SELECT id, lane, topic, order_key, message_id, headers, payload, attempts
         FROM ${t.outbox}
         WHERE parked_at IS NULL AND available_at <= ${NOW} AND lane IN (?)
         ${inFlight.length > 0 ? 'AND id NOT IN (?)' : ''}
         ORDER BY available_at, id LIMIT ?`,
        inFlight.length > 0 ? [lanes, inFlight, limit] : [lanes, limit],
      );
      return result.rows.map(outboxRowFrom);
    },

    async msUntilDue(lanes) {
      const result = await run(
        `SELECT GREATEST(0, TIMESTAMPDIFF(MICROSECOND, ${NOW}, MIN(available_at))) / 1000 AS ms
         FROM ${t.outbox} WHERE lane IN (?) AND parked_at IS NULL`,
        [lanes],
      );
      const ms = result.rows[0]?.ms;
      return ms === null || ms === undefined ? undefined : Number(ms);
    },

    async remove(ids) {
      await run(`DELETE FROM ${t.outbox} WHERE id IN (?)`, [ids]);
    },

    async park(rows) {
      for (const row of rows) {
        await run(`UPDATE ${t.outbox} SET parked_at = ${NOW}, last_error = ? WHERE id = ?`, [
          row.error,
          row.id,
        ]);
      }
    },

    async recordFailure(ids, error) {
      await run(`UPDATE ${t.outbox} SET attempts = attempts + 1, last_error = ? WHERE id IN (?)`, [
        error,
        ids,
      ]);
    },
  };
}

import type { OutboxRow, ParkedRow } from './rows.js';

/**
 * What the relay asks of the database: leases on lanes, the rows due in them, and what became of each row.
 * One implementation per database, on the relay's own connections (never a caller's transaction).
 */
export interface RelayStore {
  /** `postgresql` or `mysql`, for log lines. */
  readonly database: string;
  /** Records that this relay is alive until `leaseMs` from now; resolves with how many relays are. */
  heartbeat(relayId: string, leaseMs: number): Promise<number>;
  /** Extends the leases this relay holds; resolves with its lanes. */
  renewLanes(relayId: string, leaseMs: number): Promise<number[]>;
  /** Takes up to `count` lanes that no relay holds or whose lease ran out; resolves with those taken. */
  claimLanes(relayId: string, count: number, leaseMs: number): Promise<number[]>;
  /** Gives lanes up (to a relay that just started, or because this one stops). */
  releaseLanes(relayId: string, lanes: readonly number[]): Promise<void>;
  /** Forgets this relay's heartbeat, when it stops. */
  leave(relayId: string): Promise<void>;
  /**
   * Rows due now in these lanes, not parked, leaving out `inFlight` (the ids of the batch being sent): rows
   * due at once by id (commit order within a key), then delayed rows by due time.
   */
  fetchDue(lanes: readonly number[], limit: number, inFlight: readonly string[]): Promise<OutboxRow[]>;
  /** How long until the next row in these lanes falls due; undefined when none waits. */
  msUntilDue(lanes: readonly number[]): Promise<number | undefined>;
  /** Deletes rows the broker confirmed. */
  remove(ids: readonly string[]): Promise<void>;
  /** Marks rows the broker refused for good, with the reason; they stay for an operator to see. */
  park(rows: readonly ParkedRow[]): Promise<void>;
  /** Counts a failed attempt on rows that stay due, with the error. */
  recordFailure(ids: readonly string[], error: string): Promise<void>;
  /**
   * Calls `wake` whenever rows may have been committed (PostgreSQL NOTIFY), and once after each reconnect
   * of the listening connection, since notifications sent meanwhile are lost. Absent: the relay polls.
   * Resolves with a function that stops listening.
   */
  subscribe?(wake: () => void): Promise<() => Promise<void>>;
}

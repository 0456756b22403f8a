/**
 * `@ev/outbox`: the transactional outbox and inbox. The database drivers are in subpaths, so an
 * application installs only its own: `@ev/outbox/pg` (node-postgres, PGlite), `@ev/outbox/mysql`
 * (mysql2) and `@ev/outbox/kysely`.
 */
export type { OutboxDialect } from './dialect.js';
export type { DriverBinding } from './driver-binding.js';
export { OUTBOX_LANES } from './lanes.js';
export { type Inbox, OUTBOX_DEFAULT_MAX_DELAY_MS, Outbox, type OutboxOptions } from './outbox.js';
export {
  type OutboxRelay,
  type OutboxRelayOptions,
  type OutboxRelayStats,
  startOutboxRelay,
} from './relay/relay.js';
export type { RelayStore } from './relay-store.js';
export type { NewOutboxRow, OutboxRow, ParkedRow } from './rows.js';
export type { SqlResult, SqlRunner } from './sql-runner.js';
export type { OutboxTables } from './tables.js';

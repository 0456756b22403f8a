import { InvalidArgumentError } from '@ev/core';

/** The tables of one outbox, all named after the outbox table. */
export interface OutboxTables {
  /** The rows waiting to be forwarded. */
  readonly outbox: string;
  /** Which relay forwards which lane, until when. */
  readonly lanes: string;
  /** The relays alive, so each takes its share of the lanes. */
  readonly relays: string;
  /** MySQL only: one row per key, locked by a transaction that writes rows of that key. */
  readonly keyLocks: string;
  /** Message ids each consumer has handled. */
  readonly inbox: string;
}

// Lower case only: PostgreSQL folds unquoted names to lower case and MySQL's case rules vary by system.
const TABLE_NAME = /^[a-z_][a-z0-9_]{0,47}$/;

function assertTableName(name: unknown, option: string): asserts name is string {
  if (typeof name !== 'string' || !TABLE_NAME.test(name)) {
    throw new InvalidArgumentError(
      `${option} must be 1 to 48 lower-case letters, digits and "_", starting with a letter or "_", got ${JSON.stringify(name)}`,
      { provider: 'outbox' },
    );
  }
}

export function outboxTables(table = 'ev_outbox', inboxTable = 'ev_inbox'): OutboxTables {
  assertTableName(table, 'table');
  assertTableName(inboxTable, 'inboxTable');
  return {
    outbox: table,
    lanes: `${table}_lanes`,
    relays: `${table}_relays`,
    keyLocks: `${table}_key_locks`,
    inbox: inboxTable,
  };
}

import { createUserEvent, type Logger, USER_TOPIC, type UserEvent } from '@ev/core';
import type { Transaction } from '../../database/database.js';

/** The user events of one transaction: each send is an outbox row, sent to `user_topic` after commit. */
export function newUserEvent(tx: Transaction, logger: Logger): UserEvent {
  return createUserEvent(tx.pusher(USER_TOPIC, { logger }), USER_TOPIC, { logger });
}

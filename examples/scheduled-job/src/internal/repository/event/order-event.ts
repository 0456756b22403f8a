import { createOrderEvent, type Logger, ORDER_TOPIC, type OrderEvent } from '@ev/core';
import type { Transaction } from '../../database/database.js';

/** The order events of one transaction: each send is an outbox row, sent to `order_topic` after commit. */
export function newOrderEvent(tx: Transaction, logger: Logger): OrderEvent {
  return createOrderEvent(tx.pusher(ORDER_TOPIC, { logger }), ORDER_TOPIC, { logger });
}

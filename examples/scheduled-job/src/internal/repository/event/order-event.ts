import { type BrokerConnection, createOrderEvent, type Logger, ORDER_TOPIC, type OrderEvent } from '@ev/core';

/** The order events of this service, on the default `order_topic` with 4 partitions. */
export async function newOrderEvent(connection: BrokerConnection, logger: Logger): Promise<OrderEvent> {
  const pusher = await connection.pusher(ORDER_TOPIC, { partitions: 4, logger });
  return createOrderEvent(pusher, ORDER_TOPIC, { logger });
}

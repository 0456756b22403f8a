import type { Int64 } from '../int64.js';
import { silentLogger } from '../logger.js';
import type { Pusher, SendReceipt } from '../pusher.js';
import { assertPusher } from './assert-pusher.js';
import { type EventSendOptions, encodeEvent, int32Field, int64Field, stringField } from './event-encoder.js';
import type { EventOptions } from './user-event.js';
import { EventTypes, encoders } from './wire.js';

/** The default topic of order events, and the message keys they use (sent as `<topic>:<key>`). */
export const ORDER_TOPIC = 'order_topic';
export const ORDER_SYNC_KEY = 'order.sync';
export const ORDER_NOTIFY_KEY = 'order.notify';

/** Order events: order sync and notify messages. Create one with `createOrderEvent`. */
export interface OrderEvent {
  /** Keyed by `<topic>:order.sync`, so order syncs keep their order. `status` is an int32. */
  sendSync(orderId: Int64, status: number, options?: EventSendOptions): Promise<SendReceipt>;
  /** Unkeyed. */
  sendNotify(
    orderId: Int64,
    userId: Int64,
    message: string,
    options?: EventSendOptions,
  ): Promise<SendReceipt>;
  /** Closes the pusher. */
  close(): Promise<void>;
}

/**
 * Order events sent through `pusher` to `topic` (default `order_topic`): `sendSync` is keyed by
 * `<topic>:order.sync`, `sendNotify` is unkeyed. Closing it closes the pusher.
 */
export function createOrderEvent(
  pusher: Pusher,
  topic: string = ORDER_TOPIC,
  options: EventOptions = {},
): OrderEvent {
  assertPusher(pusher);
  const logger = options.logger ?? silentLogger;
  const syncKey = `${topic}:${ORDER_SYNC_KEY}`;

  return {
    async sendSync(orderId, status, sendOptions) {
      const event = encodeEvent(logger, EventTypes.OrderSyncReq, orderId, sendOptions, (messageId) =>
        encoders[EventTypes.OrderSyncReq]({
          messageId,
          orderId: int64Field(orderId, 'orderId'),
          status: int32Field(status, 'status'),
        }),
      );
      return pusher.sendWithKey(syncKey, event.body, event.options);
    },
    async sendNotify(orderId, userId, message, sendOptions) {
      const event = encodeEvent(logger, EventTypes.OrderNotifyReq, orderId, sendOptions, (messageId) =>
        encoders[EventTypes.OrderNotifyReq]({
          messageId,
          orderId: int64Field(orderId, 'orderId'),
          userId: int64Field(userId, 'userId'),
          message: stringField(message, 'message'),
        }),
      );
      return pusher.send(event.body, event.options);
    },
    close: () => pusher.close(),
  };
}

import { HEADER_CONTENT_TYPE, HEADER_EVENT_TYPE } from '@ev/core';
import { type OutgoingMessage, type Publish, payloadBuffer, type SendSignal } from '@ev/core/adapter';
import type { ConfirmPublisher, Publication } from './confirm-publisher.js';
import { DELAY_ENTRY_EXCHANGE, DELAY_TOPIC_HEADER, delayRoutingKey } from './delay-route.js';

/** Header carrying the key of `sendWithKey`, so consumers see it whatever the routing key became. */
export const KEY_HEADER = 'ev-key';

/** Publishes a topic's messages on the connection's confirm channel. */
export function rabbitmqPublisher(publisher: ConfirmPublisher, topic: string): Publish {
  return (message, signal) => publisher.publish(route(topic, message, signal));
}

/** AMQP properties are short strings: a longer value stays in the headers only. */
function shortString(value: string | undefined): string | undefined {
  return value !== undefined && Buffer.byteLength(value) <= 255 ? value : undefined;
}

function route(topic: string, message: OutgoingMessage, signal: SendSignal): Publication {
  const { headers } = message; // the message's own, which the driver may add to
  if (message.key !== undefined) headers[KEY_HEADER] = message.key;
  const properties = {
    messageId: message.messageId,
    timestamp: Math.floor(Date.now() / 1000),
    contentType: shortString(message.headers[HEADER_CONTENT_TYPE]),
    type: shortString(message.headers[HEADER_EVENT_TYPE]),
    headers,
    mandatory: true as const,
    persistent: true as const,
  };
  const content = payloadBuffer(message.payload);
  // The delay counts from the call: time spent queued behind other sends is taken off.
  const remainingMs = message.deliverAt === undefined ? 0 : Math.ceil(message.deliverAt - Date.now());
  if (remainingMs > 0) {
    headers[DELAY_TOPIC_HEADER] = topic;
    return {
      exchange: DELAY_ENTRY_EXCHANGE,
      routingKey: delayRoutingKey(remainingMs, message.messageId),
      content,
      properties,
      signal,
    };
  }
  // Keyed: the key is hashed onto a partition queue. Unkeyed: the message id spreads messages evenly.
  return { exchange: topic, routingKey: message.key ?? message.messageId, content, properties, signal };
}

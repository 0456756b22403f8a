import {
  assertTopicName,
  createPusher,
  HEADER_CONTENT_TYPE,
  HEADER_EVENT_TYPE,
  InvalidArgumentError,
  type OutgoingMessage,
  type Pusher,
  type PusherDriver,
  type PusherOptions,
  payloadBuffer,
  type SendSignal,
} from '@ev/core';
import type { ConfirmPublisher, Publication } from './confirm-publisher.js';
import { DELAY_ENTRY_EXCHANGE, DELAY_TOPIC_HEADER, delayRoutingKey, MAX_DELAY_MS } from './delay-route.js';
import { rabbitmqLimits } from './limits.js';
import { scope } from './map-error.js';

/** Header carrying the key of `sendWithKey`, so consumers see it whatever the routing key became. */
export const KEY_HEADER = 'ev-key';

export interface RabbitMQPusherSettings extends PusherOptions {
  topic: string;
  partitions: number;
  maxPayloadBytes: number;
  publisher: ConfirmPublisher;
  /** Releases what this pusher alone owns (its connection, when it has its own). */
  release: () => Promise<void>;
}

export function assertRabbitTopic(topic: unknown): asserts topic is string {
  assertTopicName(topic, scope);
  if (topic.startsWith('amq.')) {
    throw new InvalidArgumentError(
      `invalid topic name "${topic}": names starting with "amq." are reserved by RabbitMQ`,
      scope,
    );
  }
}

export function createRabbitMQPusherOn(settings: RabbitMQPusherSettings): Pusher {
  const { topic, publisher } = settings;
  const driver: PusherDriver = {
    provider: scope.provider,
    topic,
    capabilities: {
      keyOrdering: true,
      partitions: settings.partitions,
      delay: { supported: true, maxDelayMs: MAX_DELAY_MS, precisionMs: 1, durable: true, needsRelay: false },
    },
    limits: rabbitmqLimits(settings.maxPayloadBytes),
    publish: (message, signal) => publisher.publish(route(topic, message, signal)),
    close: settings.release,
  };
  return createPusher(driver, settings);
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

import { DEFAULT_TOPIC_RULE, type MessageLimits, type TopicNameRule } from '@ev/core/adapter';
import { DELAY_TOPIC_HEADER } from './delay-route.js';
import { KEY_HEADER } from './publisher.js';

/** AMQP 0-9-1 short strings (routing keys, header names) hold at most 255 bytes. */
const SHORT_STRING_MAX_BYTES = 255;

/** Kafka's rule, the strictest common ground, less what RabbitMQ keeps for itself. */
export const RABBITMQ_TOPIC_NAMES: TopicNameRule & { reserved: (topic: string) => string | undefined } = {
  ...DEFAULT_TOPIC_RULE,
  reserved: (topic) =>
    topic.startsWith('amq.') ? 'names starting with "amq." are reserved by RabbitMQ' : undefined,
};

/**
 * amqplib encodes all of a message's properties, headers included, into one 64 KiB buffer and refuses
 * more. Headers cost their names and values plus 6 bytes each; the bounds below leave room for that and
 * for the other properties (message id, type, content type).
 */
const HEADERS_MAX_BYTES = 60_000;
const HEADERS_MAX_COUNT = 512;

export function rabbitmqLimits(maxPayloadBytes: number): MessageLimits {
  return {
    // The key is the routing key of keyed sends.
    key: { maxBytes: SHORT_STRING_MAX_BYTES, noControlCharacters: false, noBlank: false },
    headerName: {
      maxBytes: SHORT_STRING_MAX_BYTES,
      noControlCharacters: false,
      noBlank: false,
      // RabbitMQ routes by CC and BCC (sender-selected distribution) and refuses them unless they are
      // arrays; the other two are @ev's own.
      reserved: ['CC', 'BCC', KEY_HEADER, DELAY_TOPIC_HEADER],
    },
    headerValue: {
      maxBytes: HEADERS_MAX_BYTES,
      noControlCharacters: false,
      noBlank: false,
      allowEmpty: true,
    },
    headers: { maxCount: HEADERS_MAX_COUNT, maxTotalBytes: HEADERS_MAX_BYTES },
    payload: { minBytes: 0, maxBytes: maxPayloadBytes },
    messageId: { maxBytes: 128 },
  };
}

import { DEFAULT_TOPIC_RULE, type MessageLimits } from '@ev/core/adapter';
import { DELAY_HEADERS, DELAY_TOPIC_PREFIX } from './delay/levels.js';

/** Topics Kafka runs on itself. */
const INTERNAL_TOPICS = ['__consumer_offsets', '__transaction_state', '__share_group_state'];

export const KAFKA_TOPIC_NAMES = {
  ...DEFAULT_TOPIC_RULE,
  reserved: (topic: string) => {
    if (INTERNAL_TOPICS.includes(topic)) return 'Kafka keeps it for itself';
    if (topic.startsWith(DELAY_TOPIC_PREFIX)) return `"${DELAY_TOPIC_PREFIX}" names the delay-level topics`;
    return undefined;
  },
};

/**
 * Kafka refuses a record batch over `message.max.bytes` (1 048 588 by default) with MESSAGE_TOO_LARGE,
 * and places no other bound on keys or headers. The payload may use up to `maxPayloadBytes`; keys and
 * headers get bounds of their own, small enough that a record at every maximum still fits the batch
 * limit with its framing (about 100 bytes, plus 10 per header).
 */
const KEY_MAX_BYTES = 16 * 1024;
const HEADERS_MAX_BYTES = 16 * 1024;
const HEADERS_MAX_COUNT = 1000;

export function kafkaLimits(maxPayloadBytes: number): MessageLimits {
  return {
    key: { maxBytes: KEY_MAX_BYTES, noControlCharacters: false, noBlank: false },
    headerName: {
      maxBytes: HEADERS_MAX_BYTES,
      noControlCharacters: false,
      noBlank: false,
      // The delay relay reads and removes these: a caller's own would redirect or drop the message.
      reserved: DELAY_HEADERS,
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

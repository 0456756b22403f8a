import { assertTopicName, InvalidArgumentError, type TopicNameRule } from '@ev/core';
import { scope } from './map-error.js';

/**
 * RocketMQ 5 topics are typed, and a broker refuses a message whose type does not match. One logical
 * `@ev` topic is two RocketMQ topics:
 *
 * - `<topic>` (FIFO): `send` and `sendWithKey`. Keyed messages use the key as message group, so one key
 *   stays in one queue, in order; unkeyed ones use their message id, so they spread over the queues.
 * - `<topic>__delay` (DELAY): `sendDelayAfter`, as native timer messages.
 *
 * Consumers of the logical topic subscribe to both (an orderly consumer group keeps per-key order).
 */
export const DELAY_TOPIC_SUFFIX = '__delay';

export function delayTopicOf(topic: string): string {
  return `${topic}${DELAY_TOPIC_SUFFIX}`;
}

/** RocketMQ's own rule (no "."), less the room the delay suffix needs. */
const ROCKETMQ_TOPIC_RULE: TopicNameRule = {
  pattern: /^[A-Za-z0-9_-]+$/,
  maxLength: 127 - DELAY_TOPIC_SUFFIX.length,
  allowed: 'letters, digits, "_" and "-"',
};

export function assertRocketMQTopic(topic: unknown): asserts topic is string {
  assertTopicName(topic, scope, ROCKETMQ_TOPIC_RULE);
  if (topic.endsWith(DELAY_TOPIC_SUFFIX)) {
    throw new InvalidArgumentError(
      `invalid topic name "${topic}": the suffix "${DELAY_TOPIC_SUFFIX}" names delay topics`,
      scope,
    );
  }
}

/** Property names RocketMQ keeps for itself (MessageConst); a user header with one is refused by the broker. */
const SYSTEM_PROPERTIES = new Set([
  'KEYS',
  'TAGS',
  'WAIT',
  'DELAY',
  'RETRY_TOPIC',
  'REAL_TOPIC',
  'REAL_QID',
  'TRAN_MSG',
  'PGROUP',
  'MIN_OFFSET',
  'MAX_OFFSET',
  'BUYER_ID',
  'ORIGIN_MESSAGE_ID',
  'TRANSFER_FLAG',
  'CORRECTION_FLAG',
  'MQ2_FLAG',
  'RECONSUME_TIME',
  'MSG_REGION',
  'TRACE_ON',
  'UNIQ_KEY',
  'MAX_RECONSUME_TIMES',
  'CONSUME_START_TIME',
  'POP_CK',
  'POP_CK_OFFSET',
  '1ST_POP_TIME',
  'TRAN_PREPARED_QUEUE_OFFSET',
  'DUP_INFO',
  'EXTEND_UNIQ_INFO',
  'INSTANCE_ID',
  'CORRELATION_ID',
  'REPLY_TO_CLIENT',
  'TTL',
  'ARRIVE_TIME',
  'PUSH_REPLY_TIME',
  'CLUSTER',
  'MSG_TYPE',
  'INNER_MULTI_QUEUE_OFFSET',
  '__SHARDINGKEY',
  '__STARTDELIVERTIME',
  'TIMER_DELIVER_MS',
  'TIMER_DELAY_SEC',
  'TIMER_DELAY_MS',
  'TIMER_OUT_MS',
  'TIMER_ENQUEUE_MS',
  'TIMER_DEQUEUE_MS',
  'TIMER_ROLL_TIMES',
  'TIMER_DEL_UNIQKEY',
  'BORN_HOST',
  'BORN_TIMESTAMP',
]);

/** Headers become RocketMQ user properties: system names are refused and empty values dropped by it. */
export function assertHeadersFit(headers: Readonly<Record<string, string>>): void {
  for (const [name, value] of Object.entries(headers)) {
    if (SYSTEM_PROPERTIES.has(name)) {
      throw new InvalidArgumentError(
        `header "${name}" is a RocketMQ system property name; the broker would refuse it`,
        scope,
      );
    }
    if (value === '') {
      throw new InvalidArgumentError(
        `header "${name}" is empty: RocketMQ drops properties without a value`,
        scope,
      );
    }
  }
}

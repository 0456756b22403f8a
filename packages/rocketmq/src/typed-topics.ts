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

/** Topics the broker runs on itself (TopicValidator): a client may not send to them. */
const SYSTEM_TOPICS = [
  'TBW102',
  'SCHEDULE_TOPIC_XXXX',
  'BenchmarkTest',
  'RMQ_SYS_TRANS_HALF_TOPIC',
  'RMQ_SYS_TRACE_TOPIC',
  'RMQ_SYS_TRANS_OP_HALF_TOPIC',
  'TRANS_CHECK_MAX_TIME_TOPIC',
  'SELF_TEST_TOPIC',
  'OFFSET_MOVED_EVENT',
  'CHECKPOINT_TOPIC',
];
const SYSTEM_TOPIC_PREFIX = 'rmq_sys_';

export function assertRocketMQTopic(topic: unknown): asserts topic is string {
  assertTopicName(topic, scope, ROCKETMQ_TOPIC_RULE);
  if (SYSTEM_TOPICS.includes(topic) || topic.startsWith(SYSTEM_TOPIC_PREFIX)) {
    throw new InvalidArgumentError(`invalid topic name "${topic}": RocketMQ keeps it for itself`, scope);
  }
  if (topic.endsWith(DELAY_TOPIC_SUFFIX)) {
    throw new InvalidArgumentError(
      `invalid topic name "${topic}": the suffix "${DELAY_TOPIC_SUFFIX}" names delay topics`,
      scope,
    );
  }
}

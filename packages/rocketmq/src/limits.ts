import type { MessageLimits, TopicNameRule } from '@ev/core/adapter';
import { DELAY_TOPIC_SUFFIX } from './topics.js';

/**
 * The proxy's checks of a message (SendMessageActivity, ProxyConfig defaults): a message group (the key
 * of a keyed send) under 64 UTF-8 bytes; keys, property names and values without control characters;
 * at most 128 user properties whose names, values and keys take 16 KiB together; a body of 1 byte to
 * 4 MiB. Property names RocketMQ keeps for itself (MessageConst) are refused.
 */
const MESSAGE_GROUP_MAX_BYTES = 63;
const PROPERTIES_MAX_COUNT = 128;
/** 16 KiB less what the message keys take (the key and the message id). */
const PROPERTIES_MAX_BYTES = 16 * 1024 - 256;

/** Property names RocketMQ keeps for itself (MessageConst); the proxy refuses a user property with one. */
const SYSTEM_PROPERTIES: readonly string[] = [
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
  '__BORNHOST',
  'TIMER_DELAY_LEVEL',
  'BORN_TIMESTAMP',
];

export function rocketmqLimits(maxPayloadBytes: number): MessageLimits {
  return {
    key: { maxBytes: MESSAGE_GROUP_MAX_BYTES, noControlCharacters: true, noBlank: true },
    headerName: {
      maxBytes: PROPERTIES_MAX_BYTES,
      noControlCharacters: true,
      noBlank: true,
      reserved: SYSTEM_PROPERTIES,
    },
    // The client drops a property without a value.
    headerValue: {
      maxBytes: PROPERTIES_MAX_BYTES,
      noControlCharacters: true,
      noBlank: false,
      allowEmpty: false,
    },
    headers: { maxCount: PROPERTIES_MAX_COUNT, maxTotalBytes: PROPERTIES_MAX_BYTES },
    payload: { minBytes: 1, maxBytes: maxPayloadBytes },
    // An unkeyed send's message group.
    messageId: { maxBytes: MESSAGE_GROUP_MAX_BYTES },
  };
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

/** Why a name that fits the rule is still refused, if it is. */
function reserved(topic: string): string | undefined {
  if (SYSTEM_TOPICS.includes(topic) || topic.startsWith(SYSTEM_TOPIC_PREFIX))
    return 'RocketMQ keeps it for itself';
  if (topic.endsWith(DELAY_TOPIC_SUFFIX)) return `the suffix "${DELAY_TOPIC_SUFFIX}" names delay topics`;
  return undefined;
}

export const ROCKETMQ_TOPIC_NAMES = { ...ROCKETMQ_TOPIC_RULE, reserved };

import type { MessageLimits } from '@ev/core';

/**
 * The memory broker refuses what any of the three real brokers would: code whose tests pass on it sends
 * nothing that Kafka, RabbitMQ or RocketMQ refuses. Each bound is the strictest of theirs: RocketMQ's key
 * (message group) and property rules, AMQP's 255-byte header names, Kafka's default payload limit.
 * RocketMQ's own system property names (MessageConst) are left to its adapter.
 */
export const MEMORY_LIMITS: MessageLimits = {
  key: { maxBytes: 63, noControlCharacters: true, noBlank: true },
  headerName: {
    maxBytes: 255,
    noControlCharacters: true,
    noBlank: true,
    // What the adapters write themselves, and RabbitMQ's routing headers.
    reserved: [
      'ev-key',
      'ev-delay-topic',
      'ev-delay-target',
      'ev-deliver-at',
      'ev-delay-hop-due',
      'CC',
      'BCC',
    ],
  },
  headerValue: { maxBytes: 16_000, noControlCharacters: true, noBlank: false, allowEmpty: false },
  headers: { maxCount: 128, maxTotalBytes: 16_000 },
  payload: { minBytes: 1, maxBytes: 1_000_000 },
  messageId: { maxBytes: 63 },
};

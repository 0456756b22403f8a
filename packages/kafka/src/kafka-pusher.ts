import {
  assertTopicName,
  createPusher,
  type DriverReceipt,
  InvalidArgumentError,
  type OutgoingMessage,
  type Pusher,
  type PusherDriver,
  type PusherOptions,
  partitionForKey,
  payloadBuffer,
  type SendSignal,
} from '@ev/core';
import type { IHeaders } from 'kafkajs';
import {
  DELAY_TARGET_HEADER,
  DELAY_TOPIC_PREFIX,
  DELIVER_AT_HEADER,
  HOP_DUE_HEADER,
  planHop,
} from './delay/levels.js';
import { kafkaLimits } from './limits.js';
import { scope } from './map-error.js';
import type { ProduceBatcher } from './produce-batcher.js';
import { StickyPartitioner } from './sticky-partitioner.js';

export interface KafkaPusherSettings extends PusherOptions {
  topic: string;
  partitions: number;
  delayPartitions: number;
  maxPayloadBytes: number;
  maxDelayMs: number;
  /** Whether this process runs the delay relay (the capability flag says so). */
  relayInProcess: boolean;
  batcher: ProduceBatcher;
  release: () => Promise<void>;
}

const NO_RECEIPT: DriverReceipt = Object.freeze({});

/** Topics Kafka runs on itself. */
const INTERNAL_TOPICS = ['__consumer_offsets', '__transaction_state', '__share_group_state'];

export function assertKafkaTopic(topic: unknown): asserts topic is string {
  assertTopicName(topic, scope);
  if (INTERNAL_TOPICS.includes(topic)) {
    throw new InvalidArgumentError(`invalid topic name "${topic}": Kafka keeps it for itself`, scope);
  }
  if (topic.startsWith(DELAY_TOPIC_PREFIX)) {
    throw new InvalidArgumentError(
      `invalid topic name "${topic}": "${DELAY_TOPIC_PREFIX}" names the delay-level topics`,
      scope,
    );
  }
}

export function createKafkaPusherOn(settings: KafkaPusherSettings): Pusher {
  const { topic, partitions, batcher } = settings;
  const keyless = new StickyPartitioner(partitions);
  // Delayed messages spread one by one instead: on a delay-level partition, each waits behind the one
  // ahead of it.
  let delayedRoundRobin = 0;
  const nextDelayPartition = () => {
    delayedRoundRobin = (delayedRoundRobin + 1) % settings.delayPartitions;
    return delayedRoundRobin;
  };

  const driver: PusherDriver = {
    provider: scope.provider,
    topic,
    capabilities: {
      keyOrdering: true,
      partitions,
      delay: {
        supported: true,
        maxDelayMs: settings.maxDelayMs,
        precisionMs: 1,
        durable: true,
        // Delayed messages are stored on Kafka at once, but move only while a relay runs somewhere.
        needsRelay: true,
      },
    },
    limits: kafkaLimits(settings.maxPayloadBytes),
    publish(message: OutgoingMessage, signal: SendSignal) {
      const { payload, key } = message;
      const value = payloadBuffer(payload);
      if (message.deliverAt !== undefined) {
        const now = Date.now();
        // The delay counts from the call: time spent queued behind other sends is taken off.
        const remainingMs = message.deliverAt - now;
        if (remainingMs > 0) {
          const hop = planHop(remainingMs, now, message.deliverAt);
          const headers: IHeaders = {
            ...message.headers,
            [DELAY_TARGET_HEADER]: topic,
            [DELIVER_AT_HEADER]: String(message.deliverAt),
            [HOP_DUE_HEADER]: String(hop.hopDue),
          };
          const partition =
            key === undefined ? nextDelayPartition() : partitionForKey(key, settings.delayPartitions);
          // Stored on a delay-level topic: where it lands on the target topic is known only later.
          return batcher
            .produce({ topic: hop.topic, partition, key, value, headers, signal })
            .then(() => NO_RECEIPT);
        }
      }
      const partition = key === undefined ? keyless.next(value.byteLength) : partitionForKey(key, partitions);
      // kafkajs only reads the headers, so the message's own object is passed as is.
      return batcher.produce({ topic, partition, key, value, headers: message.headers as IHeaders, signal });
    },
    close: settings.release,
  };
  return createPusher(driver, settings);
}

import {
  assertTopicName,
  createPusher,
  InvalidArgumentError,
  type OutgoingMessage,
  type Pusher,
  type PusherDriver,
  type PusherOptions,
  partitionForKey,
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
import { scope } from './map-error.js';
import type { ProduceBatcher } from './produce-batcher.js';

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

export function assertKafkaTopic(topic: unknown): asserts topic is string {
  assertTopicName(topic, scope);
  if (topic.startsWith(DELAY_TOPIC_PREFIX)) {
    throw new InvalidArgumentError(
      `invalid topic name "${topic}": "${DELAY_TOPIC_PREFIX}" names the delay-level topics`,
      scope,
    );
  }
}

export function createKafkaPusherOn(settings: KafkaPusherSettings): Pusher {
  const { topic, partitions, batcher } = settings;
  let roundRobin = 0;
  const spread = (count: number) => {
    roundRobin = (roundRobin + 1) % count;
    return roundRobin;
  };

  const driver: PusherDriver = {
    provider: scope.provider,
    topic,
    capabilities: {
      keyOrdering: true,
      partitions,
      maxPayloadBytes: settings.maxPayloadBytes,
      delay: {
        supported: true,
        maxDelayMs: settings.maxDelayMs,
        precisionMs: 1,
        durable: true,
        // Delayed messages are stored on Kafka at once, but move only while a relay runs somewhere.
        needsRelay: true,
      },
    },
    async publish(message: OutgoingMessage, signal: SendSignal) {
      const value = Buffer.from(
        message.payload.buffer,
        message.payload.byteOffset,
        message.payload.byteLength,
      );
      const headers: IHeaders = { ...message.headers };
      const now = Date.now();
      // The delay counts from the call: time spent queued behind other sends is taken off.
      const remainingMs = message.deliverAt === undefined ? 0 : message.deliverAt - now;
      if (remainingMs > 0) {
        const hop = planHop(remainingMs, now, message.deliverAt!);
        headers[DELAY_TARGET_HEADER] = topic;
        headers[DELIVER_AT_HEADER] = String(message.deliverAt);
        headers[HOP_DUE_HEADER] = String(hop.hopDue);
        const partition =
          message.key === undefined
            ? spread(settings.delayPartitions)
            : partitionForKey(message.key, settings.delayPartitions);
        await batcher.produce({ topic: hop.topic, partition, key: message.key, value, headers, signal });
        return {};
      }
      const partition =
        message.key === undefined ? spread(partitions) : partitionForKey(message.key, partitions);
      const offset = await batcher.produce({ topic, partition, key: message.key, value, headers, signal });
      return { partition, offset };
    },
    close: settings.release,
  };
  return createPusher(driver, settings);
}

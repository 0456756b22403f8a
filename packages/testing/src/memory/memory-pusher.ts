import {
  assertPartitions,
  assertTopicName,
  BrokerUnavailableError,
  createPusher,
  type Pusher,
  type PusherCapabilities,
  type PusherDriver,
  type TopicOptions,
} from '@ev/core';
import { defaultMemoryBroker, type MemoryBroker } from './memory-broker.js';
import { MEMORY_LIMITS } from './memory-limits.js';

export interface MemoryPusherOptions extends TopicOptions {
  /** Defaults to the process-wide broker that `connect('memory:')` uses. */
  broker?: MemoryBroker;
  /** Called when the pusher has closed (its connection stops tracking it). */
  release?: () => Promise<void>;
  /**
   * Capabilities to leave out, to try code against a broker that lacks them: the pusher then refuses
   * those calls with NotSupportedError, as such a broker's pusher would.
   */
  without?: ReadonlyArray<'keyOrdering' | 'delay'>;
}

const PROVIDER = 'memory';
/** The same limit as Kafka's default, so tests on memory catch what a real broker would refuse. */
export const MEMORY_MAX_PAYLOAD_BYTES = MEMORY_LIMITS.payload.maxBytes;
const MEMORY_MAX_PARTITIONS = 1024;
/** Far longer than any test needs; timers are real. */
export const MEMORY_MAX_DELAY_MS = 7 * 24 * 60 * 60 * 1000;

/** What a pusher on the in-memory broker guarantees; the MockPusher claims the same by default. */
export function memoryCapabilities(
  partitions: number,
  without: ReadonlyArray<'keyOrdering' | 'delay'> = [],
): PusherCapabilities {
  return {
    keyOrdering: !without.includes('keyOrdering'),
    partitions,
    maxPayloadBytes: MEMORY_MAX_PAYLOAD_BYTES,
    delay: {
      supported: !without.includes('delay'),
      maxDelayMs: MEMORY_MAX_DELAY_MS,
      precisionMs: 1,
      durable: true,
      needsRelay: false,
    },
  };
}

/**
 * A pusher on the in-memory broker. The topic is created with `partitions` (default 1) if missing; an
 * existing topic keeps its partition count, which `capabilities.partitions` reports. Keyed sends go to the
 * key's murmur2 partition, keyless and delayed ones to a random partition. Receipts of immediate sends
 * carry the partition and offset; those of delayed sends neither.
 */
export function createMemoryPusher(topic: string, options: MemoryPusherOptions = {}): Pusher {
  const scope = { provider: PROVIDER };
  assertTopicName(topic, scope);
  const partitions = options.partitions ?? 1;
  assertPartitions(partitions, MEMORY_MAX_PARTITIONS, scope);
  const broker = options.broker ?? defaultMemoryBroker;
  broker.createTopic(topic, partitions);

  const driver: PusherDriver = {
    provider: PROVIDER,
    topic,
    capabilities: memoryCapabilities(broker.partitionCount(topic), options.without),
    limits: MEMORY_LIMITS,
    async publish(message) {
      const input = {
        topic,
        key: message.key,
        payload: message.payload,
        headers: message.headers,
        messageId: message.messageId,
      };
      try {
        if (message.deliverAt !== undefined) {
          await broker.schedule(input, message.deliverAt);
          return {};
        }
        const stored = await broker.append(input);
        return { partition: stored.partition, offset: String(stored.offset) };
      } catch (error) {
        throw new BrokerUnavailableError('append failed', { ...scope, cause: error });
      }
    },
    close: options.release ?? (async () => {}),
  };
  return createPusher(driver, options);
}

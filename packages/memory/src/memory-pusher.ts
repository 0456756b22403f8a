import type { Pusher, PusherCapabilities, TopicOptions } from '@ev/core';
import { assertTopicName, check, createPusher, type PusherDriver } from '@ev/core/adapter';
import { MEMORY_LIMITS } from './limits.js';
import { defaultMemoryBroker, type MemoryBroker } from './memory-broker.js';
import { MEMORY_MAX_DELAY_MS, MEMORY_MAX_PARTITIONS } from './options.js';
import { memoryPublisher } from './publisher.js';

export interface MemoryPusherOptions extends TopicOptions {
  /** Defaults to the process-wide broker that `connect('memory:')` uses. */
  broker?: MemoryBroker;
  /**
   * Capabilities to leave out, to try code against a broker that lacks them: the pusher then refuses
   * those calls with NotSupportedError, as such a broker's pusher would.
   */
  without?: ReadonlyArray<'keyOrdering' | 'delay'>;
}

/** What a pusher on the in-memory broker can do; the MockPusher claims the same by default. */
export function memoryCapabilities(
  partitions = 1,
  without: ReadonlyArray<'keyOrdering' | 'delay'> = [],
): PusherCapabilities {
  return {
    keyOrdering: !without.includes('keyOrdering'),
    partitions,
    maxPayloadBytes: MEMORY_LIMITS.payload.maxBytes,
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
 * A pusher on the in-memory broker, without a connection. The topic is created with `partitions`
 * (default 1) if missing; an existing topic keeps its partition count, which `capabilities.partitions`
 * reports.
 */
export function createMemoryPusher(topic: string, options: MemoryPusherOptions = {}): Pusher {
  const partitions = options.partitions ?? 1;
  const scope = { provider: 'memory' };
  assertTopicName(topic, scope);
  check.count(1, MEMORY_MAX_PARTITIONS)(partitions, 'partitions', scope);
  const broker = options.broker ?? defaultMemoryBroker;
  broker.createTopic(topic, partitions);
  const driver: PusherDriver = {
    provider: 'memory',
    topic,
    capabilities: memoryCapabilities(broker.partitionCount(topic), options.without),
    limits: MEMORY_LIMITS,
    publish: memoryPublisher(broker, topic),
    close: async () => {},
  };
  const { broker: _broker, without: _without, ...pusherOptions } = options;
  return createPusher(driver, pusherOptions);
}

import { type BrokerAdapter, DEFAULT_TOPIC_RULE, defineAdapter } from '@ev/core/adapter';
import { MEMORY_LIMITS, memoryLimits } from './limits.js';
import { defaultMemoryBroker } from './memory-broker.js';
import { memoryCapabilities } from './memory-pusher.js';
import {
  MEMORY_MAX_DELAY_MS,
  MEMORY_MAX_PARTITIONS,
  MEMORY_OPTION_CHECKS,
  type MemoryOptions,
} from './options.js';
import { memoryPublisher } from './publisher.js';

/** `connect('memory:')`: pushers on the process-wide in-memory broker (or `options.broker`). */
export const memoryAdapter: BrokerAdapter<MemoryOptions> = {
  specificationVersion: 'v1',
  provider: 'memory',
  schemes: { memory: { defaultPort: 0 } },
  url: { parameters: [] },
  options: MEMORY_OPTION_CHECKS,
  defaults: {
    partitions: 1,
    maxPayloadBytes: MEMORY_LIMITS.payload.maxBytes,
    maxDelayMs: MEMORY_MAX_DELAY_MS,
  },
  maxima: { partitions: MEMORY_MAX_PARTITIONS, maxPayloadBytes: MEMORY_LIMITS.payload.maxBytes },
  topicNames: DEFAULT_TOPIC_RULE,
  limits: memoryLimits,
  async connect(_url, { options }) {
    const broker = options.broker ?? defaultMemoryBroker;
    return {
      capabilities: memoryCapabilities(),
      async provision(topic, partitions) {
        broker.createTopic(topic, partitions);
        return broker.partitionCount(topic);
      },
      publisher: (topic) => memoryPublisher(broker, topic),
      close: async () => {},
    };
  },
};

export const { connectBroker, connectPusher } = defineAdapter(memoryAdapter);

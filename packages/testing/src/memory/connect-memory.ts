import type { BrokerConnection, ConnectOptions, Pusher, TopicOptions } from '@ev/core';
import { defaultMemoryBroker, type MemoryBroker } from './memory-broker.js';
import { createMemoryPusher } from './memory-pusher.js';

/** `connect('memory:')`: pushers on the process-wide in-memory broker (or `options.broker`). */
export async function connectBroker(_url: string, options: ConnectOptions = {}): Promise<BrokerConnection> {
  const broker = isMemoryBroker(options.broker) ? options.broker : defaultMemoryBroker;
  const pushers = new Set<Pusher>();
  return {
    provider: 'memory',
    async pusher(topic: string, topicOptions: TopicOptions = {}) {
      const pusher = createMemoryPusher(topic, { logger: options.logger, ...topicOptions, broker });
      pushers.add(pusher);
      return pusher;
    },
    async close() {
      await Promise.all([...pushers].map((pusher) => pusher.close()));
    },
  };
}

/** By shape, not instanceof: a test may hold a MemoryBroker from another copy of this package. */
function isMemoryBroker(value: unknown): value is MemoryBroker {
  const candidate = value as Partial<MemoryBroker> | undefined;
  return typeof candidate?.append === 'function' && typeof candidate.subscribe === 'function';
}

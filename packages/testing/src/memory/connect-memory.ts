import type { BrokerConnection, ConnectOptions, Pusher, TopicOptions } from '@ev/core';
import { defaultMemoryBroker, MemoryBroker } from './memory-broker.js';
import { createMemoryPusher } from './memory-pusher.js';

/** `connect('memory:')`: pushers on the process-wide in-memory broker (or `options.broker`). */
export async function connectBroker(_url: string, options: ConnectOptions = {}): Promise<BrokerConnection> {
  const broker = options.broker instanceof MemoryBroker ? options.broker : defaultMemoryBroker;
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

import {
  assertKnownOptions,
  type BrokerConnection,
  type ConnectOptions,
  createBrokerConnection,
  type TopicOptions,
} from '@ev/core';
import { defaultMemoryBroker, type MemoryBroker } from './memory-broker.js';
import { createMemoryPusher } from './memory-pusher.js';

export interface MemoryConnectOptions extends ConnectOptions {
  /** The broker to use; the process-wide one that every `connect('memory:')` shares unless given. */
  broker?: MemoryBroker;
}

declare module '@ev/core' {
  interface BrokerOptionsByScheme {
    memory: MemoryConnectOptions;
  }
}

/** `connect('memory:')`: pushers on the process-wide in-memory broker (or `options.broker`). */
export async function connectBroker(
  _url: string,
  options: MemoryConnectOptions = {},
): Promise<BrokerConnection> {
  assertKnownOptions(options, ['broker', 'logger'], { provider: 'memory' });
  const broker = isMemoryBroker(options.broker) ? options.broker : defaultMemoryBroker;
  return createBrokerConnection<TopicOptions>({
    provider: 'memory',
    open: async (topic, topicOptions, release) =>
      createMemoryPusher(topic, { logger: options.logger, ...topicOptions, broker, release }),
    close: async () => {},
  });
}

/** By shape, not instanceof: a test may hold a MemoryBroker from another copy of this package. */
function isMemoryBroker(value: unknown): value is MemoryBroker {
  const candidate = value as Partial<MemoryBroker> | undefined;
  return typeof candidate?.append === 'function' && typeof candidate.subscribe === 'function';
}

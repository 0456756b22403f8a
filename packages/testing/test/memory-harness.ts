import { connectBroker, createMemoryPusher, MemoryBroker } from '@ev/memory';
import { ProbeCollector } from '../src/contract/probe-collector.js';
import type { BrokerProbe, ContractHarness } from '../src/contract/types.js';

/** A probe reading the in-memory broker directly. */
export function createMemoryProbe(broker: MemoryBroker): BrokerProbe {
  return {
    async subscribe(topic) {
      broker.createTopic(topic);
      let unsubscribe = (): void => {};
      const collector = new ProbeCollector(async () => unsubscribe());
      unsubscribe = broker.subscribe(topic, (message) =>
        collector.push({
          topic,
          partition: String(message.partition),
          key: message.key,
          payload: message.payload,
          headers: message.headers,
          receivedAt: message.timestamp,
        }),
      );
      return collector;
    },
  };
}

/** The contract harness for the in-memory broker: the suite proves the suite (and the broker) here. */
export function createMemoryHarness(broker: MemoryBroker = new MemoryBroker()): ContractHarness {
  return {
    name: 'memory',
    createPusher: async (topic, options) => createMemoryPusher(topic, { ...options, broker }),
    connect: (options) => connectBroker('memory:', { ...options, broker }),
    probe: createMemoryProbe(broker),
    restartBroker: () => broker.restart(),
  };
}

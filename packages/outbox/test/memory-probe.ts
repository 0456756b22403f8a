import type { MemoryBroker } from '@ev/memory';
import { type BrokerProbe, ProbeCollector } from '@ev/testing';

/** A probe reading the in-memory broker the relay forwards to. */
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

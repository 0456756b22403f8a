import { BrokerUnavailableError } from '@ev/core';
import type { Publish } from '@ev/core/adapter';
import type { MemoryBroker } from './memory-broker.js';

/** Appends to the topic, or schedules a delayed message; receipts of immediate sends say where. */
export function memoryPublisher(broker: MemoryBroker, topic: string): Publish {
  return async (message) => {
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
      throw new BrokerUnavailableError('append failed', { provider: 'memory', cause: error });
    }
  };
}

import {
  decodeEvent,
  type EventTypeName,
  HEADER_EVENT_TYPE,
  type Logger,
  ORDER_TOPIC,
  USER_TOPIC,
} from '@ev/core';
import { defaultMemoryBroker } from '@ev/memory';
import { TOPIC_PARTITIONS } from './internal/repository/repository.js';

/**
 * On the embedded broker there is no other consumer to look at: print what arrives, decoded, so a run
 * of the example shows its events end to end.
 */
export function watchMemoryBroker(logger: Logger): () => void {
  const unsubscribes = [USER_TOPIC, ORDER_TOPIC].map((topic) => {
    // The relay opens a topic with its first event; create it now, as the relay would, to watch it from
    // the start.
    defaultMemoryBroker.createTopic(topic, TOPIC_PARTITIONS);
    return defaultMemoryBroker.subscribe(topic, (message) => {
      const event = decodeEvent(message.headers[HEADER_EVENT_TYPE] as EventTypeName, message.payload);
      logger.info({ topic, partition: message.partition, key: message.key, event }, 'consumed');
    });
  });
  return () => {
    for (const unsubscribe of unsubscribes) unsubscribe();
    defaultMemoryBroker.shutdown();
  };
}

import { partitionForKey } from '@ev/core';
import { type DriverReceipt, type Publish, payloadBuffer } from '@ev/core/adapter';
import type { RecordHeaders } from './client/port.js';
import { DELAY_TARGET_HEADER, DELIVER_AT_HEADER, HOP_DUE_HEADER, planHop } from './delay/levels.js';
import type { ProduceBatcher } from './produce-batcher.js';
import { StickyPartitioner } from './sticky-partitioner.js';

export interface KafkaPublisherParts {
  /** The connection's producers. */
  batcher: ProduceBatcher;
  /** Partitions of each delay-level topic. */
  delayPartitions: number;
}

const NO_RECEIPT: DriverReceipt = Object.freeze({});

/**
 * Sends a topic's messages: a keyed one to its key's murmur2 partition (as the Java client does), a
 * keyless one to a sticky partition, a delayed one to the delay-level topic its delay needs.
 */
export function kafkaPublisher(topic: string, partitions: number, parts: KafkaPublisherParts): Publish {
  const { batcher, delayPartitions } = parts;
  const keyless = new StickyPartitioner(partitions);
  // Delayed messages spread one by one instead: on a delay-level partition, each waits behind the one
  // ahead of it.
  let delayedRoundRobin = 0;
  const nextDelayPartition = () => {
    delayedRoundRobin = (delayedRoundRobin + 1) % delayPartitions;
    return delayedRoundRobin;
  };

  return (message, signal) => {
    const { payload, key } = message;
    const value = payloadBuffer(payload);
    if (message.deliverAt !== undefined) {
      const now = Date.now();
      // The delay counts from the call: time spent queued behind other sends is taken off.
      const remainingMs = message.deliverAt - now;
      if (remainingMs > 0) {
        const hop = planHop(remainingMs, now, message.deliverAt);
        const headers: RecordHeaders = {
          ...message.headers,
          [DELAY_TARGET_HEADER]: topic,
          [DELIVER_AT_HEADER]: String(message.deliverAt),
          [HOP_DUE_HEADER]: String(hop.hopDue),
        };
        const partition = key === undefined ? nextDelayPartition() : partitionForKey(key, delayPartitions);
        // Stored on a delay-level topic: where it lands on the target topic is known only later.
        return batcher
          .produce({ topic: hop.topic, partition, key, value, headers, signal })
          .then(() => NO_RECEIPT);
      }
    }
    const partition = key === undefined ? keyless.next(value.byteLength) : partitionForKey(key, partitions);
    // Clients only read the headers, so the message's own object is passed as is.
    return batcher.produce({ topic, partition, key, value, headers: message.headers, signal });
  };
}

import type { Channel } from 'amqplib';
import type { Connector } from './connector.js';
import { declareDelayDelivery } from './delay-route.js';

/**
 * Names and declarations of what `@ev` puts on RabbitMQ. Consumers in any language read the same layout:
 *
 * - exchange `<topic>` (type `x-consistent-hash`): every send goes here; the routing key is hashed
 *   onto the partition queues (keyed sends use the key, unkeyed ones their message id, delayed ones the
 *   delay route's `d7.….d0.<message id>`).
 * - quorum queues `<topic>:0` … `<topic>:<n-1>`: consume each with one consumer to keep per-key order.
 * - the `ev:delay:*` exchanges and queues of the delay route (see delay-route.ts), shared by all topics.
 *
 * ":" cannot occur in a topic name, so these names never collide with a topic's own.
 */
export function partitionQueue(topic: string, partition: number): string {
  return `${topic}:${partition}`;
}

/** Points each partition queue gets on the hash ring: enough for an even spread of keys. */
const RING_WEIGHT = '20';

/** Declares the topic's exchange and partition queues, durable, before anything is sent. */
export async function declareTopic(channel: Channel, topic: string, partitions: number): Promise<void> {
  await channel.assertExchange(topic, 'x-consistent-hash', { durable: true });
  for (let partition = 0; partition < partitions; partition += 1) {
    const queue = partitionQueue(topic, partition);
    await channel.assertQueue(queue, { durable: true, arguments: { 'x-queue-type': 'quorum' } });
    await channel.bindQueue(queue, topic, RING_WEIGHT);
  }
}

/** Declares a topic (now and after every reconnect) with its delay delivery binding. */
export async function provisionTopic(
  connector: Connector,
  topic: string,
  partitions: number,
): Promise<number> {
  await connector.declare(topic, async (channel) => {
    await declareTopic(channel, topic, partitions);
    await declareDelayDelivery(channel, topic);
  });
  return partitions;
}

import type { TopicAdmin } from './admin/topic-admin.js';

/**
 * RocketMQ 5 topics are typed, and a broker refuses a message whose type does not match. One logical
 * `@ev` topic is two RocketMQ topics:
 *
 * - `<topic>` (FIFO): `send` and `sendWithKey`. Keyed messages use the key as message group, so one key
 *   stays in one queue, in order; unkeyed ones use their message id, so they spread over the queues.
 * - `<topic>__delay` (DELAY): `sendDelayAfter`, as native timer messages.
 *
 * Consumers of the logical topic subscribe to both (an orderly consumer group keeps per-key order).
 */
export const DELAY_TOPIC_SUFFIX = '__delay';

export function delayTopicOf(topic: string): string {
  return `${topic}${DELAY_TOPIC_SUFFIX}`;
}

/** Creates the FIFO and the DELAY topic, and waits until the name server routes both. */
export async function provisionTopic(admin: TopicAdmin, topic: string, queues: number): Promise<number> {
  await admin.createTopic(topic, 'FIFO', queues);
  await admin.createTopic(delayTopicOf(topic), 'DELAY', queues);
  await admin.waitForRoute(topic);
  await admin.waitForRoute(delayTopicOf(topic));
  return queues;
}

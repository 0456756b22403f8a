import type { Channel } from 'amqplib';

/**
 * Durable delays without the delayed-message plugin, after NServiceBus's design: level queues with one
 * fixed TTL each (so no message waits behind a longer one) dead-letter into the next level. Delays are
 * written in base 16 in milliseconds: level L holds digit d in the queue `ev:delay:L.d` with a TTL of
 * d × 16^L ms. A message passes the 8 levels from the highest; at each, its digit picks the queue it
 * waits in (or, for 0, straight on), so it waits exactly its delay in at most 8 hops.
 *
 * The routing key carries the digits, highest first, then the message id:
 * `d7.d6.d5.d4.d3.d2.d1.d0.<message id>`. After level 0 a headers exchange routes on the
 * `ev-delay-topic` header to the topic's exchange, which hashes that routing key onto a partition queue.
 *
 * Consumers see the message with that routing key and, besides its own headers, `ev-delay-topic` and the
 * headers RabbitMQ's dead-lettering adds: `x-death` (one entry per level queue it waited in, reason
 * `expired`) and `x-first-death-queue` / `-reason` / `-exchange` (3.13 and later also `x-last-death-*`).
 */
export const DELAY_LEVELS = 8;
const RADIX = 16;
/** 16^8 − 1 ms ≈ 49.7 days. */
export const MAX_DELAY_MS = RADIX ** DELAY_LEVELS - 1;

/** Names a delayed message's topic for the delivery exchange; it stays on the message consumers receive. */
export const DELAY_TOPIC_HEADER = 'ev-delay-topic';
export const DELAY_ENTRY_EXCHANGE = levelExchange(DELAY_LEVELS - 1);
/**
 * No alternate exchange: a due message that cannot be routed yet (its topic's binding not recovered while
 * the broker boots, or the topic deleted) stays in its level queue, where at-least-once dead-lettering
 * retries it (every 3 minutes in RabbitMQ 3.10+), instead of being parked somewhere nobody reads.
 */
export const DELAY_DELIVERY_EXCHANGE = 'ev:delay:deliver';

function levelExchange(level: number): string {
  return `ev:delay:${level}`;
}

function levelQueue(level: number, digit: number): string {
  return `ev:delay:${level}.${digit.toString(16)}`;
}

/** The routing key of a delayed message. `delayMs` must be a whole number from 0 to MAX_DELAY_MS. */
export function delayRoutingKey(delayMs: number, messageId: string): string {
  const digits: string[] = [];
  let rest = delayMs;
  for (let level = 0; level < DELAY_LEVELS; level += 1) {
    digits.unshift((rest % RADIX).toString(16));
    rest = Math.floor(rest / RADIX);
  }
  return `${digits.join('.')}.${messageId}`;
}

/** Matches digit `digit` at `level`, any other digit elsewhere, and any message id. */
function digitPattern(level: number, digit: number): string {
  const words = Array.from({ length: DELAY_LEVELS }, (_, i) =>
    DELAY_LEVELS - 1 - i === level ? digit.toString(16) : '*',
  );
  return `${words.join('.')}.#`;
}

/** Declares the shared delay route. Idempotent; every connection runs it before its first delayed send. */
export async function declareDelayRoute(channel: Channel): Promise<void> {
  await channel.assertExchange(DELAY_DELIVERY_EXCHANGE, 'headers', { durable: true });
  for (let level = 0; level < DELAY_LEVELS; level += 1) {
    await channel.assertExchange(levelExchange(level), 'topic', { durable: true });
  }
  for (let level = 0; level < DELAY_LEVELS; level += 1) {
    const next = level === 0 ? DELAY_DELIVERY_EXCHANGE : levelExchange(level - 1);
    await channel.bindExchange(next, levelExchange(level), digitPattern(level, 0));
    for (let digit = 1; digit < RADIX; digit += 1) {
      const queue = levelQueue(level, digit);
      await channel.assertQueue(queue, {
        durable: true,
        arguments: {
          'x-queue-type': 'quorum',
          'x-message-ttl': digit * RADIX ** level,
          'x-dead-letter-exchange': next,
          'x-dead-letter-strategy': 'at-least-once',
          'x-overflow': 'reject-publish',
        },
      });
      await channel.bindQueue(queue, levelExchange(level), digitPattern(level, digit));
    }
  }
}

/** Routes due messages of `topic` from the delivery exchange to the topic's exchange. */
export async function declareDelayDelivery(channel: Channel, topic: string): Promise<void> {
  await channel.bindExchange(topic, DELAY_DELIVERY_EXCHANGE, '', {
    'x-match': 'all',
    [DELAY_TOPIC_HEADER]: topic,
  });
}

import { murmur2 } from '@ev/core';

/**
 * Rows are spread over a fixed number of lanes, and each lane is forwarded by one relay at a time (a
 * lease, like a Kafka partition in a consumer group): that is what keeps one key's rows in order while
 * several relays share the work. A key always maps to the same lane. Part of the table format: changing
 * it would move keys between lanes while rows wait.
 */
export const OUTBOX_LANES = 32;

const encoder = new TextEncoder();

/** The lane of a keyed row (a hash of topic and key), or a random lane for a row without a key. */
export function laneFor(topic: string, key: string | undefined): number {
  if (key === undefined) return Math.floor(Math.random() * OUTBOX_LANES);
  return (murmur2(encoder.encode(`${topic}\u0000${key}`)) & 0x7fffffff) % OUTBOX_LANES;
}

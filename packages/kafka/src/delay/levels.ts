/**
 * Kafka has no delayed delivery, so delayed messages wait in delay-level topics: each level topic holds
 * messages for one fixed time (32 ms × 2^k), so its partitions are ordered by due time and the relay only
 * ever waits for a partition's head — no message waits behind a longer one. A message enters the
 * largest level that does not overshoot its remaining delay; when a hop ends, the relay re-plans from the
 * absolute due time, so hop overheads never add up to lateness.
 */
export const MIN_LEVEL_MS = 32;
const LEVEL_COUNT = 26;

/** 32 ms … 32 ms × 2^25 (≈ 12.4 days). Fixed, so every pusher and relay agree on the topics. */
export const DELAY_LEVELS_MS: readonly number[] = Array.from(
  { length: LEVEL_COUNT },
  (_, k) => MIN_LEVEL_MS * 2 ** k,
);

/**
 * The largest `delay.maxDelayMs` accepted: twice the top level, 2 × 32 ms × 2^25 = 2 147 483 648 ms
 * (≈ 24.9 days). Beyond it a message would need many hops at the top level.
 */
export const MAX_SUPPORTED_DELAY_MS = 2 * DELAY_LEVELS_MS[LEVEL_COUNT - 1]!;

export const DELAY_TOPIC_PREFIX = 'ev.delay.';

/** Headers on delay-level messages. The relay removes them before the final delivery. */
export const DELAY_TARGET_HEADER = 'ev-delay-target';
export const DELIVER_AT_HEADER = 'ev-deliver-at';
export const HOP_DUE_HEADER = 'ev-delay-hop-due';
export const DELAY_HEADERS = [DELAY_TARGET_HEADER, DELIVER_AT_HEADER, HOP_DUE_HEADER] as const;

export function levelTopic(levelMs: number): string {
  return `${DELAY_TOPIC_PREFIX}${levelMs}ms`;
}

export const DELAY_LEVEL_TOPICS: readonly string[] = DELAY_LEVELS_MS.map(levelTopic);

/** Where the relay puts due messages whose destination topic no longer exists, instead of dropping them. */
export const DELAY_UNROUTABLE_TOPIC = `${DELAY_TOPIC_PREFIX}unroutable`;

export interface Hop {
  topic: string;
  /** When the relay should look at the message again (Unix ms). */
  hopDue: number;
}

/** Where a message with `remainingMs` left (> 0) waits next. */
export function planHop(remainingMs: number, now: number, deliverAt: number): Hop {
  let level = DELAY_LEVELS_MS[0]!;
  for (const candidate of DELAY_LEVELS_MS) if (candidate <= remainingMs) level = candidate;
  // Under the smallest level the message waits exactly until due: a partition head is held < 32 ms.
  const hopDue = remainingMs < MIN_LEVEL_MS ? deliverAt : now + level;
  return { topic: levelTopic(level), hopDue };
}

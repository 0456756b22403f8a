import { DelayOutOfRangeError, InvalidArgumentError } from './errors.js';

/** The checks every adapter shares, so a bad input gets the same error everywhere. */

/** Which adapter is checking: named in the error it throws. */
export interface ValidationScope {
  provider: string;
}

export const MAX_MESSAGE_ID_LENGTH = 128;

export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return value.constructor?.name ?? 'an object';
  return typeof value;
}

export function assertDelay(
  delayMs: unknown,
  maxDelayMs: number,
  scope: ValidationScope,
): asserts delayMs is number {
  if (typeof delayMs !== 'number' || !Number.isFinite(delayMs) || delayMs < 0 || delayMs > maxDelayMs) {
    throw new DelayOutOfRangeError(delayMs, maxDelayMs, scope);
  }
}

/** Visible ASCII only: a message id goes into headers, keys and properties every broker accepts as is. */
const MESSAGE_ID = /^[\x21-\x7e]+$/;

export function assertMessageId(
  messageId: unknown,
  maxLength: number,
  scope: ValidationScope,
): asserts messageId is string | undefined {
  if (messageId === undefined) return;
  const max = Math.min(maxLength, MAX_MESSAGE_ID_LENGTH);
  if (
    typeof messageId !== 'string' ||
    messageId.length === 0 ||
    messageId.length > max ||
    !MESSAGE_ID.test(messageId)
  ) {
    throw new InvalidArgumentError(
      `messageId must be 1 to ${max} visible ASCII characters (no spaces), got ${JSON.stringify(String(messageId).slice(0, 140))}`,
      scope,
    );
  }
}

/** Node runs a timer of more than 2^31 − 1 ms after 1 ms: longer durations are refused. */
export const MAX_TIMER_MS = 2_147_483_647;

export function assertTimeout(
  timeoutMs: unknown,
  scope: ValidationScope,
): asserts timeoutMs is number | undefined {
  if (timeoutMs === undefined) return;
  if (
    typeof timeoutMs !== 'number' ||
    !Number.isFinite(timeoutMs) ||
    timeoutMs <= 0 ||
    timeoutMs > MAX_TIMER_MS
  ) {
    throw new InvalidArgumentError(
      `timeoutMs must be a number of milliseconds above 0, at most ${MAX_TIMER_MS}, got ${String(timeoutMs)}`,
      scope,
    );
  }
}

/** An `options.signal` must be an AbortSignal: anything else would fail only once it is listened to. */
export function assertSignal(
  signal: unknown,
  scope: ValidationScope,
): asserts signal is AbortSignal | undefined {
  if (signal === undefined) return;
  const candidate = signal as Partial<AbortSignal> | null;
  if (
    candidate === null ||
    typeof candidate !== 'object' ||
    typeof candidate.aborted !== 'boolean' ||
    typeof candidate.addEventListener !== 'function'
  ) {
    throw new InvalidArgumentError(
      `options.signal must be an AbortSignal, got ${describeValue(signal)}`,
      scope,
    );
  }
}

export interface TopicNameRule {
  pattern: RegExp;
  maxLength: number;
  /** Shown in the error: which characters are allowed. */
  allowed: string;
}

/** Kafka's rule, which is also the strictest common ground for RabbitMQ names. */
export const DEFAULT_TOPIC_RULE: TopicNameRule = {
  pattern: /^[A-Za-z0-9._-]+$/,
  maxLength: 249,
  allowed: 'letters, digits, ".", "_" and "-"',
};

export function assertTopicName(
  topic: unknown,
  scope: ValidationScope,
  rule: TopicNameRule = DEFAULT_TOPIC_RULE,
): asserts topic is string {
  if (typeof topic !== 'string' || topic.length === 0) {
    throw new InvalidArgumentError(`topic must be a non-empty string, got ${describeValue(topic)}`, scope);
  }
  if (topic.length > rule.maxLength || !rule.pattern.test(topic) || topic === '.' || topic === '..') {
    throw new InvalidArgumentError(
      `invalid topic name "${topic.slice(0, 300)}": use 1 to ${rule.maxLength} of ${rule.allowed}`,
      scope,
    );
  }
}

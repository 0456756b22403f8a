import { DelayOutOfRangeError, InvalidArgumentError, PayloadTooLargeError } from './errors.js';
import { HEADER_MESSAGE_ID } from './headers.js';

/** The checks every adapter shares, so a bad input gets the same error everywhere. */

/** Which adapter is checking: named in the error it throws. */
export interface ValidationScope {
  provider: string;
}

export const MAX_KEY_LENGTH = 1024;
export const MAX_MESSAGE_ID_LENGTH = 128;

export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return value.constructor?.name ?? 'an object';
  return typeof value;
}

export function assertPayload(
  payload: unknown,
  maxBytes: number,
  scope: ValidationScope,
): asserts payload is Uint8Array {
  if (!(payload instanceof Uint8Array)) {
    throw new InvalidArgumentError(
      `payload must be a Uint8Array or Buffer, got ${describeValue(payload)}; encode strings and objects first`,
      scope,
    );
  }
  if (payload.byteLength > maxBytes) throw new PayloadTooLargeError(payload.byteLength, maxBytes, scope);
}

export function assertKey(key: unknown, scope: ValidationScope): asserts key is string {
  if (typeof key !== 'string')
    throw new InvalidArgumentError(`key must be a string, got ${describeValue(key)}`, scope);
  if (key.length === 0) throw new InvalidArgumentError('key must not be empty', scope);
  if (key.length > MAX_KEY_LENGTH) {
    throw new InvalidArgumentError(
      `key is ${key.length} characters long, the limit is ${MAX_KEY_LENGTH}`,
      scope,
    );
  }
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

export function assertHeaders(
  headers: unknown,
  scope: ValidationScope,
): asserts headers is Record<string, string> {
  if (headers === undefined) return;
  if (headers === null || typeof headers !== 'object' || Array.isArray(headers)) {
    throw new InvalidArgumentError(
      `headers must be an object of strings, got ${describeValue(headers)}`,
      scope,
    );
  }
  for (const [name, value] of Object.entries(headers)) {
    if (name.length === 0) throw new InvalidArgumentError('header names must not be empty', scope);
    if (name.toLowerCase() === HEADER_MESSAGE_ID) {
      throw new InvalidArgumentError(`header "${name}" is set by @ev: pass options.messageId instead`, scope);
    }
    if (typeof value !== 'string') {
      throw new InvalidArgumentError(`header "${name}" must be a string, got ${describeValue(value)}`, scope);
    }
  }
}

export function assertMessageId(
  messageId: unknown,
  scope: ValidationScope,
): asserts messageId is string | undefined {
  if (messageId === undefined) return;
  if (typeof messageId !== 'string' || messageId.length === 0 || messageId.length > MAX_MESSAGE_ID_LENGTH) {
    throw new InvalidArgumentError(
      `messageId must be a non-empty string of at most ${MAX_MESSAGE_ID_LENGTH} characters`,
      scope,
    );
  }
}

export function assertTimeout(
  timeoutMs: unknown,
  scope: ValidationScope,
): asserts timeoutMs is number | undefined {
  if (timeoutMs === undefined) return;
  if (typeof timeoutMs !== 'number' || !Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    throw new InvalidArgumentError(`timeoutMs must be a positive number, got ${String(timeoutMs)}`, scope);
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

/** Options given as a count: an integer from `min` up. */
export function assertCountOption(name: string, value: unknown, min: number, scope: ValidationScope): void {
  if (value === undefined) return;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    throw new InvalidArgumentError(
      `option ${name} must be an integer of at least ${min}, got ${String(value)}`,
      scope,
    );
  }
}

/** Options given in milliseconds: a finite number above 0, or from 0 where `allowZero`. */
export function assertDurationOption(
  name: string,
  value: unknown,
  scope: ValidationScope,
  allowZero = false,
): void {
  if (value === undefined) return;
  const valid = typeof value === 'number' && Number.isFinite(value) && (allowZero ? value >= 0 : value > 0);
  if (!valid) {
    const range = allowZero ? 'from 0' : 'above 0';
    throw new InvalidArgumentError(
      `option ${name} must be a number of milliseconds ${range}, got ${String(value)}`,
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

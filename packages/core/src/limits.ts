import { InvalidArgumentError, PayloadTooLargeError } from './errors.js';
import { HEADER_MESSAGE_ID } from './headers.js';
import { describeValue, type ValidationScope } from './validation.js';

/** A text field of a message (a key, a header name or value), as the broker accepts it. */
export interface TextLimit {
  /** The longest value, in UTF-8 bytes. */
  readonly maxBytes: number;
  /** Control characters (U+0000–U+001F, U+007F–U+009F) are refused. */
  readonly noControlCharacters: boolean;
  /** A value of nothing but white space is refused. */
  readonly noBlank: boolean;
}

/**
 * Everything about one message that the broker (or its client library) would refuse, declared by the
 * adapter. Core checks each limit before anything is sent, so a bad input is a typed error naming the
 * limit, never a broker error code, a closed channel or a silently altered message.
 */
export interface MessageLimits {
  /** The key of `sendWithKey`. */
  readonly key: TextLimit;
  readonly headerName: TextLimit & {
    /** Names the broker or the adapter keeps for itself; matched exactly. */
    readonly reserved: readonly string[];
  };
  readonly headerValue: TextLimit & { readonly allowEmpty: boolean };
  readonly headers: {
    /** Headers per message, `ev-message-id` included. */
    readonly maxCount: number;
    /** The UTF-8 bytes of every header name and value together, `ev-message-id` included. */
    readonly maxTotalBytes: number;
  };
  readonly payload: { readonly minBytes: number; readonly maxBytes: number };
  /**
   * The longest message id (visible ASCII, so characters are bytes), at most 128. RocketMQ uses the id
   * as the message group of an unkeyed send, which must stay under 64 bytes.
   */
  readonly messageId: { readonly maxBytes: number };
}

/** The error for a value over (or under) a declared limit; `limit` names it, e.g. `key.maxBytes`. */
export class LimitExceededError extends InvalidArgumentError {
  readonly limit: string;

  constructor(limit: string, message: string, scope: ValidationScope) {
    super(`${message} (limit ${limit})`, scope);
    this.limit = limit;
  }
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it finds
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/;
/**
 * Blank as Java's `StringUtils.isBlank` sees it (RocketMQ's check): only characters `Character.isWhitespace`
 * counts, which leaves out the no-break spaces (U+00A0, U+2007, U+202F) and U+FEFF that JavaScript's `\s`
 * takes in. Control characters among them are refused on their own.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: Java counts U+001C–U+001F as white space
const BLANK = /^[\t\n\v\f\r\u001c-\u001f \u1680\u2000-\u2006\u2008-\u200a\u2028\u2029\u205f\u3000]*$/;

type TextProblem = 'wellFormed' | 'maxBytes' | 'noControlCharacters' | 'noBlank';

/** What is wrong with a text field, if anything. Cheap on the common path: no strings are built. */
function textProblem(value: string, limit: TextLimit): TextProblem | undefined {
  if (!value.isWellFormed()) return 'wellFormed';
  // A UTF-16 unit is at most 3 UTF-8 bytes: most values are too short to need counting.
  if (value.length * 3 > limit.maxBytes && Buffer.byteLength(value) > limit.maxBytes) return 'maxBytes';
  if (limit.noControlCharacters && CONTROL_CHARACTERS.test(value)) return 'noControlCharacters';
  if (limit.noBlank && BLANK.test(value)) return 'noBlank';
  return undefined;
}

/** Throws for a text field over its limit; `header` is the header's name for a header name or value. */
function assertText(
  value: string,
  limit: TextLimit,
  field: 'key' | 'headerName' | 'headerValue',
  header: string | undefined,
  scope: ValidationScope,
): void {
  const problem = textProblem(value, limit);
  if (problem === undefined) return;
  const what =
    field === 'key'
      ? 'key'
      : field === 'headerName'
        ? describeHeaderName(value)
        : `the value of ${describeHeaderName(header ?? '')}`;
  const reason = {
    wellFormed: 'has a lone surrogate (broken UTF-16), which brokers store altered or drop',
    maxBytes: `is ${Buffer.byteLength(value)} bytes long in UTF-8, over ${limit.maxBytes}`,
    noControlCharacters: 'contains a control character, which this broker refuses',
    noBlank: 'is blank (only white space), which this broker refuses',
  }[problem];
  throw new LimitExceededError(`${field}.${problem}`, `${what} ${reason}`, scope);
}

const describeHeaderName = (name: string) => `header name ${JSON.stringify(name.slice(0, 64))}`;

export function assertKeyWithin(
  key: unknown,
  limits: MessageLimits,
  scope: ValidationScope,
): asserts key is string {
  if (typeof key !== 'string') {
    throw new InvalidArgumentError(`key must be a string, got ${describeValue(key)}`, scope);
  }
  if (key.length === 0) throw new InvalidArgumentError('key must not be empty', scope);
  assertText(key, limits.key, 'key', undefined, scope);
}

export function assertPayloadWithin(
  payload: unknown,
  limits: MessageLimits,
  scope: ValidationScope,
): asserts payload is Uint8Array {
  if (!(payload instanceof Uint8Array)) {
    throw new InvalidArgumentError(
      `payload must be a Uint8Array or Buffer, got ${describeValue(payload)}; encode strings and objects first`,
      scope,
    );
  }
  const { minBytes, maxBytes } = limits.payload;
  if (payload.byteLength > maxBytes) throw new PayloadTooLargeError(payload.byteLength, maxBytes, scope);
  if (payload.byteLength < minBytes) {
    throw new LimitExceededError(
      'payload.minBytes',
      `payload of ${payload.byteLength} bytes is under the minimum of ${minBytes}`,
      scope,
    );
  }
}

/**
 * Checks the caller's headers, and the message id that joins them as `ev-message-id`, against the
 * limits. Types first (a JavaScript caller can pass anything), then each name and value, then the totals.
 */
export function assertHeadersWithin(
  headers: unknown,
  messageId: string,
  limits: MessageLimits,
  scope: ValidationScope,
): asserts headers is Record<string, string> | undefined {
  let count = 1;
  // ev-message-id and the id are ASCII: one byte a character.
  let totalBytes = HEADER_MESSAGE_ID.length + messageId.length;
  if (headers !== undefined) {
    if (headers === null || typeof headers !== 'object' || Array.isArray(headers)) {
      throw new InvalidArgumentError(
        `headers must be an object of strings, got ${describeValue(headers)}`,
        scope,
      );
    }
    const entries = headers as Record<string, string>;
    let characters = 0;
    // Own enumerable keys, as the message's headers are copied (`{ ...headers }`).
    const names = Object.keys(entries);
    for (const name of names) {
      const value = entries[name];
      assertHeader(name, value, limits, scope);
      count += 1;
      characters += name.length + (value as string).length;
    }
    // Counted in bytes only when the characters could exceed the limit (a character is at most 3 bytes).
    if (totalBytes + characters * 3 <= limits.headers.maxTotalBytes) totalBytes += characters;
    else for (const name of names) totalBytes += Buffer.byteLength(name) + Buffer.byteLength(entries[name]!);
  }
  if (count > limits.headers.maxCount) {
    throw new LimitExceededError(
      'headers.maxCount',
      `${count} headers (ev-message-id included), over ${limits.headers.maxCount}`,
      scope,
    );
  }
  if (totalBytes > limits.headers.maxTotalBytes) {
    throw new LimitExceededError(
      'headers.maxTotalBytes',
      `headers take ${totalBytes} bytes (names and values, ev-message-id included), over ${limits.headers.maxTotalBytes}`,
      scope,
    );
  }
}

const reservedSets = new WeakMap<MessageLimits, ReadonlySet<string>>();

/** The reserved names as a set, made once per limits object: RocketMQ alone keeps about fifty. */
function reservedNames(limits: MessageLimits): ReadonlySet<string> {
  let names = reservedSets.get(limits);
  if (!names) {
    names = new Set(limits.headerName.reserved);
    reservedSets.set(limits, names);
  }
  return names;
}

function assertHeader(name: string, value: unknown, limits: MessageLimits, scope: ValidationScope): void {
  if (name.length === 0) throw new InvalidArgumentError('header names must not be empty', scope);
  if (name.length === HEADER_MESSAGE_ID.length && name.toLowerCase() === HEADER_MESSAGE_ID) {
    throw new InvalidArgumentError(`header "${name}" is set by @ev: pass options.messageId instead`, scope);
  }
  if (reservedNames(limits).has(name)) {
    throw new LimitExceededError(
      'headerName.reserved',
      `${describeHeaderName(name)} is kept by the broker or @ev for itself`,
      scope,
    );
  }
  assertText(name, limits.headerName, 'headerName', name, scope);
  if (typeof value !== 'string') {
    throw new InvalidArgumentError(
      `${describeHeaderName(name)} must have a string value, got ${describeValue(value)}`,
      scope,
    );
  }
  if (value.length === 0 && !limits.headerValue.allowEmpty) {
    throw new LimitExceededError(
      'headerValue.allowEmpty',
      `${describeHeaderName(name)} has an empty value, which this broker drops`,
      scope,
    );
  }
  assertText(value, limits.headerValue, 'headerValue', name, scope);
}

/**
 * What Kafka, RabbitMQ and RocketMQ all accept: each bound is the strictest of theirs (RocketMQ's key —
 * message group — and property rules, AMQP's 255-byte header names, Kafka's default payload limit).
 * Code whose messages stay within these runs on any of them. RocketMQ's own system property names
 * (MessageConst) are left to its adapter. The in-memory broker and the MockPusher check these.
 */
export const PORTABLE_LIMITS: MessageLimits = {
  key: { maxBytes: 63, noControlCharacters: true, noBlank: true },
  headerName: {
    maxBytes: 255,
    noControlCharacters: true,
    noBlank: true,
    // What the adapters write themselves, and RabbitMQ's routing headers.
    reserved: [
      'ev-key',
      'ev-delay-topic',
      'ev-delay-target',
      'ev-deliver-at',
      'ev-delay-hop-due',
      'CC',
      'BCC',
    ],
  },
  headerValue: { maxBytes: 16_000, noControlCharacters: true, noBlank: false, allowEmpty: false },
  headers: { maxCount: 128, maxTotalBytes: 16_000 },
  payload: { minBytes: 1, maxBytes: 1_000_000 },
  messageId: { maxBytes: 63 },
};

/** Stable, machine-readable error codes. Match on `code`, never on the message text. */
export type EvErrorCode =
  | 'INVALID_ARGUMENT'
  | 'SERIALIZATION'
  | 'PAYLOAD_TOO_LARGE'
  | 'DELAY_OUT_OF_RANGE'
  | 'CLOSED'
  | 'NOT_SUPPORTED'
  | 'TIMEOUT'
  | 'UNAVAILABLE'
  | 'ABORTED'
  | 'REJECTED'
  | 'OVERLOADED'
  | 'ADAPTER_NOT_INSTALLED';

export interface EvErrorOptions {
  /** The adapter that raised the error: `kafka`, `rabbitmq`, `rocketmq`, `memory`. */
  provider?: string;
  cause?: unknown;
  /** Overrides whether retrying can help, where the code alone does not tell (a nack under load). */
  retryable?: boolean;
}

/**
 * Marks @ev errors across copies of `@ev/core` in one process (two versions installed side by side),
 * where `instanceof` fails: `Symbol.for` returns the same symbol in every copy.
 */
const EV_ERROR_MARK = Symbol.for('@ev/core.error');

/** Codes for which trying the same operation again later can succeed (the broker may come back). */
const RETRYABLE_CODES: ReadonlySet<EvErrorCode> = new Set(['TIMEOUT', 'UNAVAILABLE', 'OVERLOADED']);

/** The base of every error `@ev` throws. Messages read `[ev] [provider] what went wrong`. */
export class EvError extends Error {
  readonly code: EvErrorCode;
  readonly provider: string | undefined;
  /**
   * Whether trying again later can help: true for timeouts, an unreachable broker and overload; false for
   * bad input, a closed pusher and a broker that said no.
   */
  readonly retryable: boolean;

  constructor(code: EvErrorCode, message: string, options: EvErrorOptions = {}) {
    const scope = options.provider ? `[ev] [${options.provider}]` : '[ev]';
    super(`${scope} ${message}`, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.provider = options.provider;
    this.retryable = options.retryable ?? RETRYABLE_CODES.has(code);
  }

  /** Read by `isEvError`; on the prototype, so it costs nothing per error. */
  get [EV_ERROR_MARK](): true {
    return true;
  }
}

/** A bad argument, caught before anything reaches the broker. */
export class InvalidArgumentError extends EvError {
  constructor(message: string, options?: EvErrorOptions, code: EvErrorCode = 'INVALID_ARGUMENT') {
    super(code, message, options);
  }
}

/** An event could not be encoded. Carries the id of the entity the event is about. */
export class SerializationError extends InvalidArgumentError {
  readonly eventType: string;
  readonly entityId: string;

  constructor(eventType: string, entityId: string, reason: string, options?: EvErrorOptions) {
    super(`marshal ${eventType} failed, entity id: ${entityId}: ${reason}`, options, 'SERIALIZATION');
    this.eventType = eventType;
    this.entityId = entityId;
  }
}

export class PayloadTooLargeError extends InvalidArgumentError {
  readonly sizeBytes: number;
  readonly maxBytes: number;

  constructor(sizeBytes: number, maxBytes: number, options?: EvErrorOptions) {
    super(
      `payload of ${sizeBytes} bytes exceeds the limit of ${maxBytes} bytes`,
      options,
      'PAYLOAD_TOO_LARGE',
    );
    this.sizeBytes = sizeBytes;
    this.maxBytes = maxBytes;
  }
}

export class DelayOutOfRangeError extends InvalidArgumentError {
  readonly delayMs: unknown;
  readonly maxDelayMs: number;

  constructor(delayMs: unknown, maxDelayMs: number, options?: EvErrorOptions) {
    super(
      `delay must be a finite number of milliseconds from 0 to ${maxDelayMs}, got ${String(delayMs)}`,
      options,
      'DELAY_OUT_OF_RANGE',
    );
    this.delayMs = delayMs;
    this.maxDelayMs = maxDelayMs;
  }
}

/** The pusher was closed: the send was not attempted. */
export class PusherClosedError extends EvError {
  constructor(options?: EvErrorOptions) {
    super('CLOSED', 'pusher is closed', options);
  }
}

/** The adapter cannot do this at all (see `pusher.capabilities`). */
export class NotSupportedError extends EvError {
  constructor(message: string, options?: EvErrorOptions) {
    super('NOT_SUPPORTED', message, options);
  }
}

/** The broker did not confirm in time. The message may or may not have arrived. */
export class TimeoutError extends EvError {
  readonly timeoutMs: number;

  constructor(what: string, timeoutMs: number, options?: EvErrorOptions) {
    super('TIMEOUT', `${what} timed out after ${timeoutMs} ms`, options);
    this.timeoutMs = timeoutMs;
  }
}

/**
 * Too many sends are already waiting for a free in-flight slot (`maxQueued`): the broker is slower than
 * the caller. Nothing was sent; slow down, or retry later.
 */
export class OverloadedError extends EvError {
  constructor(maxQueued: number, options?: EvErrorOptions) {
    super(
      'OVERLOADED',
      `${maxQueued} sends are already waiting for the broker (maxQueued); this one was not sent — slow down or retry later`,
      options,
    );
  }
}

/** The broker cannot be reached or refused the connection. */
export class BrokerUnavailableError extends EvError {
  constructor(message: string, options?: EvErrorOptions) {
    super('UNAVAILABLE', message, options);
  }
}

/** The broker answered, and said no (a nack, an unroutable message, a type mismatch). */
export class BrokerRejectedError extends EvError {
  constructor(message: string, options?: EvErrorOptions) {
    super('REJECTED', message, options);
  }
}

/** The caller's AbortSignal fired before the broker confirmed. */
export class AbortError extends EvError {
  constructor(reason?: unknown, options?: EvErrorOptions) {
    super('ABORTED', 'send was aborted before the broker confirmed it', { ...options, cause: reason });
  }
}

/** `connect(url)` found no adapter package for the URL's scheme. */
export class AdapterNotInstalledError extends EvError {
  readonly packageName: string;

  constructor(scheme: string, packageName: string, options?: EvErrorOptions) {
    super(
      'ADAPTER_NOT_INSTALLED',
      `broker URLs with scheme "${scheme}" need the ${packageName} package: install it with \`npm install ${packageName}\``,
      options,
    );
    this.packageName = packageName;
  }
}

/**
 * True for every error the `@ev` packages throw, also one made by another copy of `@ev/core` in the
 * process.
 */
export function isEvError(error: unknown): error is EvError {
  return (
    typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[EV_ERROR_MARK] === true
  );
}

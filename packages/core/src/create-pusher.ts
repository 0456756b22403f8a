import {
  AbortError,
  BrokerUnavailableError,
  EvError,
  OverloadedError,
  PusherClosedError,
  TimeoutError,
} from './errors.js';
import { HEADER_MESSAGE_ID } from './headers.js';
import { type Logger, silentLogger } from './logger.js';
import { newMessageId } from './message-id.js';
import type { Pusher, PusherCapabilities, PusherOptions, SendOptions, SendReceipt } from './pusher.js';
import { SendDeadlines } from './send-deadlines.js';
import { SendControl, type SendSignal } from './send-signal.js';
import { SendSlots } from './send-slots.js';
import {
  assertDelay,
  assertHeaders,
  assertKey,
  assertMessageId,
  assertPayload,
  assertTimeout,
} from './validation.js';

/** One validated message, as an adapter's driver receives it. */
export interface OutgoingMessage {
  readonly topic: string;
  readonly payload: Uint8Array;
  /** Present for `sendWithKey`. */
  readonly key?: string;
  /** Includes `ev-message-id`. */
  readonly headers: Readonly<Record<string, string>>;
  readonly messageId: string;
  /** Present for `sendDelayAfter` with a delay above 0: when it is due, in Unix milliseconds. */
  readonly deliverAt?: number;
  readonly delayMs?: number;
}

/** Where the broker put a message, as the driver reports it. */
export type DriverReceipt = Omit<SendReceipt, 'messageId'>;

/**
 * The part of a pusher that differs per broker. `createPusher` wraps it with what every adapter shares:
 * validation, message ids, the in-flight cap, timeouts, abort and close semantics.
 */
export interface PusherDriver {
  readonly provider: string;
  readonly topic: string;
  readonly capabilities: PusherCapabilities;
  /**
   * Publishes and resolves once the broker confirmed. Called in the order the user called the pusher.
   * `signal.aborted` turns true when the caller stops waiting (abort or timeout): a publication not yet
   * written may then be dropped.
   */
  publish(message: OutgoingMessage, signal: SendSignal): Promise<DriverReceipt>;
  /** Releases connections. Called once, after every publish has settled. */
  close(): Promise<void>;
}

const DEFAULT_SEND_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_IN_FLIGHT = 10_000;
const DEFAULT_MAX_QUEUED = 100_000;
const DEFAULT_CLOSE_GRACE_MS = 5_000;

export function createPusher(driver: PusherDriver, options: PusherOptions = {}): Pusher {
  return new ManagedPusher(driver, options);
}

class ManagedPusher implements Pusher {
  readonly specificationVersion = 'v1' as const;
  readonly provider: string;
  readonly topic: string;
  readonly capabilities: PusherCapabilities;

  private readonly logger: Logger;
  private readonly sendTimeoutMs: number;
  private readonly closeGraceMs: number;
  private readonly slots: SendSlots;
  private readonly maxQueued: number;
  private readonly deadlines: SendDeadlines;
  /** What callers wait for: each settles within its send timeout. */
  private readonly inFlight = new Set<Promise<unknown>>();
  /** Publishes the broker has not answered yet, including those whose caller stopped waiting. */
  private readonly unanswered = new Set<Promise<unknown>>();
  private closing: Promise<void> | undefined;

  constructor(
    private readonly driver: PusherDriver,
    options: PusherOptions,
  ) {
    this.provider = driver.provider;
    this.topic = driver.topic;
    this.capabilities = driver.capabilities;
    this.logger = options.logger ?? silentLogger;
    this.sendTimeoutMs = options.sendTimeoutMs ?? DEFAULT_SEND_TIMEOUT_MS;
    this.closeGraceMs = options.closeGraceMs ?? DEFAULT_CLOSE_GRACE_MS;
    this.slots = new SendSlots(options.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT);
    this.maxQueued = options.maxQueued ?? DEFAULT_MAX_QUEUED;
    this.deadlines = new SendDeadlines(this.sendTimeoutMs);
  }

  send(payload: Uint8Array, options?: SendOptions): Promise<SendReceipt> {
    return this.dispatch(payload, options, {});
  }

  sendWithKey(key: string, payload: Uint8Array, options?: SendOptions): Promise<SendReceipt> {
    try {
      assertKey(key, this);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.dispatch(payload, options, { key });
  }

  sendDelayAfter(payload: Uint8Array, delayMs: number, options?: SendOptions): Promise<SendReceipt> {
    try {
      assertDelay(delayMs, this.capabilities.delay.maxDelayMs, this);
    } catch (error) {
      return Promise.reject(error);
    }
    if (delayMs === 0) return this.dispatch(payload, options, {});
    return this.dispatch(payload, options, { delayMs, deliverAt: Date.now() + delayMs });
  }

  close(): Promise<void> {
    this.closing ??= this.settleThenClose();
    return this.closing;
  }

  private async settleThenClose(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
    // Give the broker a last chance to answer sends whose callers gave up, without hanging on it.
    if (this.unanswered.size > 0) {
      let timer: NodeJS.Timeout | undefined;
      const grace = new Promise((resolve) => {
        timer = setTimeout(resolve, this.closeGraceMs);
      });
      await Promise.race([Promise.allSettled([...this.unanswered]), grace]);
      clearTimeout(timer);
    }
    await this.driver.close();
  }

  private dispatch(
    payload: Uint8Array,
    options: SendOptions = {},
    extra: { key?: string; delayMs?: number; deliverAt?: number },
  ): Promise<SendReceipt> {
    let message: OutgoingMessage;
    try {
      if (this.closing) throw new PusherClosedError(this);
      assertPayload(payload, this.capabilities.maxPayloadBytes, this);
      assertHeaders(options.headers, this);
      assertMessageId(options.messageId, this);
      assertTimeout(options.timeoutMs, this);
      if (options.signal?.aborted) throw new AbortError(options.signal.reason, this);
      const messageId = options.messageId ?? newMessageId();
      message = {
        topic: this.topic,
        payload,
        headers: { ...options.headers, [HEADER_MESSAGE_ID]: messageId },
        messageId,
        ...extra,
      };
    } catch (error) {
      return Promise.reject(error);
    }
    const outcome = this.confirm(message, options);
    this.inFlight.add(outcome);
    const forget = (): void => {
      this.inFlight.delete(outcome);
    };
    outcome.then(forget, forget);
    return outcome;
  }

  /**
   * Waits for a slot, publishes, and rejects early on abort or timeout. The slot is held until the broker
   * answers, so the cap bounds what is really outstanding, and close() waits for that answer too.
   */
  private async confirm(message: OutgoingMessage, options: SendOptions): Promise<SendReceipt> {
    const timeoutMs = options.timeoutMs ?? this.sendTimeoutMs;
    const control = new SendControl();
    const onTimeout = (): void => control.abort(new TimeoutError('send', timeoutMs, this));
    // The pusher's own timeout shares one timer; a send's own timeoutMs gets a timer of its own.
    const deadline = options.timeoutMs === undefined ? this.deadlines.start(onTimeout) : undefined;
    const timer = options.timeoutMs === undefined ? undefined : setTimeout(onTimeout, timeoutMs);
    const callerSignal = options.signal;
    const onCallerAbort = (): void => control.abort(new AbortError(callerSignal?.reason, this));
    callerSignal?.addEventListener('abort', onCallerAbort, { once: true });
    try {
      // A free slot is taken at once, so the driver sees publishes in call order without a wait.
      let release = this.slots.tryAcquire();
      if (!release) {
        if (this.slots.waiting >= this.maxQueued) throw new OverloadedError(this.maxQueued, this);
        release = await this.slots.wait(control);
      }
      let published: Promise<DriverReceipt>;
      try {
        published = this.driver.publish(message, control);
      } catch (error) {
        release();
        throw error;
      }
      const answered: Promise<unknown> = published
        .then(release, release)
        .finally(() => this.unanswered.delete(answered));
      this.unanswered.add(answered);
      const receipt = await raceAbort(published, control);
      return { messageId: message.messageId, ...receipt };
    } catch (error) {
      const reported = this.toEvError(error, control);
      this.logger.debug(
        { provider: this.provider, topic: this.topic, messageId: message.messageId, code: reported.code },
        reported.message,
      );
      throw reported;
    } finally {
      deadline?.settle();
      clearTimeout(timer);
      callerSignal?.removeEventListener('abort', onCallerAbort);
    }
  }

  private toEvError(error: unknown, stop: SendControl): EvError {
    if (error instanceof EvError) return error;
    if (stop.aborted && stop.reason instanceof EvError) return stop.reason;
    // Drivers map their client's errors; anything else is reported without echoing its text.
    return new BrokerUnavailableError('send failed', { provider: this.provider, cause: error });
  }
}

/** Settles with `promise`, or rejects as soon as the send is aborted (timeout or caller). */
function raceAbort<T>(promise: Promise<T>, control: SendControl): Promise<T> {
  if (control.aborted) return Promise.reject(control.reason);
  return new Promise<T>((resolve, reject) => {
    const unsubscribe = control.onAbort(reject);
    promise.then(
      (value) => {
        unsubscribe();
        resolve(value);
      },
      (error: unknown) => {
        unsubscribe();
        reject(error);
      },
    );
  });
}

/**
 * The life of a send, in this folder:
 *
 * 1. `ManagedPusher` (here) validates the call against the driver's limits and makes a `PendingSend`
 *    (pending-send.ts): the caller's promise, its abort signal and its timeout, in one object.
 * 2. The send takes one of `maxInFlight` slots (send-slots.ts) and goes to the driver at once, or waits
 *    in call order, so a cap never reorders one key's sends; past `maxQueued` waiters it is refused.
 * 3. Its deadline runs on one timer shared by every send with the pusher's default timeout
 *    (send-deadlines.ts). A timeout or abort settles the caller at once and tells the driver through
 *    the send's `aborted` flag; the slot returns only when the broker answers.
 * 4. `close()` waits for every caller, then gives unanswered publishes `closeGraceMs`, then closes the driver.
 *
 * Every queue on the way is a `FifoQueue` (fifo-queue.ts).
 */
import {
  AbortError,
  BrokerUnavailableError,
  type EvError,
  InvalidArgumentError,
  isEvError,
  NotSupportedError,
  OverloadedError,
  PusherClosedError,
} from '../errors.js';
import { HEADER_MESSAGE_ID } from '../headers.js';
import { assertHeadersWithin, assertKeyWithin, assertPayloadWithin, type MessageLimits } from '../limits.js';
import { type Logger, silentLogger } from '../logger.js';
import { newMessageId } from '../message-id.js';
import type { Pusher, PusherCapabilities, PusherOptions, SendOptions, SendReceipt } from '../pusher.js';
import type { DriverReceipt, OutgoingMessage, PusherDriver } from '../pusher-driver.js';
import { assertPusherOptions } from '../pusher-options.js';
import { assertDelay, assertMessageId, assertSignal, assertTimeout, describeValue } from '../validation.js';
import { PendingSend, type SendOwner } from './pending-send.js';
import { SendDeadlines } from './send-deadlines.js';
import { SendSlots } from './send-slots.js';

const DEFAULT_SEND_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_IN_FLIGHT = 10_000;
const DEFAULT_MAX_QUEUED = 100_000;
const DEFAULT_CLOSE_GRACE_MS = 5_000;
const NO_OPTIONS: SendOptions = Object.freeze({});

export function createPusher(driver: PusherDriver, options: PusherOptions = {}): Pusher {
  return new ManagedPusher(driver, options);
}

/** What sendWithKey and sendDelayAfter add to a message. */
interface Placement {
  key?: string;
  delayMs?: number;
  deliverAt?: number;
}

class ManagedPusher implements Pusher, SendOwner {
  readonly specificationVersion = 'v1' as const;
  readonly provider: string;
  readonly topic: string;
  readonly capabilities: PusherCapabilities;
  readonly limits: MessageLimits;

  private readonly logger: Logger;
  private readonly sendTimeoutMs: number;
  private readonly closeGraceMs: number;
  private readonly slots: SendSlots;
  private readonly maxQueued: number;
  private readonly deadlines: SendDeadlines;
  /** Callers still waiting for their send's outcome: each is settled within its send timeout. */
  private callersWaiting = 0;
  /** Publishes the broker has not answered yet, including those whose caller stopped waiting. */
  private unanswered = 0;
  /** Set while close() waits for the counts above to fall. */
  private countsChanged: (() => void) | undefined;
  private closing: Promise<void> | undefined;

  constructor(
    private readonly driver: PusherDriver,
    options: PusherOptions,
  ) {
    assertPusherOptions(options, driver);
    this.provider = driver.provider;
    this.topic = driver.topic;
    this.limits = driver.limits;
    this.capabilities = { ...driver.capabilities, maxPayloadBytes: driver.limits.payload.maxBytes };
    this.logger = options.logger ?? silentLogger;
    this.sendTimeoutMs = options.sendTimeoutMs ?? DEFAULT_SEND_TIMEOUT_MS;
    this.closeGraceMs = options.closeGraceMs ?? DEFAULT_CLOSE_GRACE_MS;
    this.slots = new SendSlots(options.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT);
    this.maxQueued = options.maxQueued ?? DEFAULT_MAX_QUEUED;
    this.deadlines = new SendDeadlines(this.sendTimeoutMs);
  }

  send(payload: Uint8Array, options?: SendOptions): Promise<SendReceipt> {
    return this.dispatch(payload, options, undefined);
  }

  sendWithKey(key: string, payload: Uint8Array, options?: SendOptions): Promise<SendReceipt> {
    try {
      assertKeyWithin(key, this.limits, this);
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
    if (delayMs === 0) return this.dispatch(payload, options, undefined);
    return this.dispatch(payload, options, { delayMs, deliverAt: Date.now() + delayMs });
  }

  close(): Promise<void> {
    this.closing ??= this.settleThenClose();
    return this.closing;
  }

  /**
   * Validates, then publishes at once when a slot is free, else queues for one. The slot is held until
   * the broker answers, so the cap bounds what is really outstanding, and close() waits for that answer.
   */
  private dispatch(
    payload: Uint8Array,
    options: SendOptions = NO_OPTIONS,
    placement: Placement | undefined,
  ): Promise<SendReceipt> {
    let message: OutgoingMessage;
    try {
      message = this.validate(payload, options, placement);
    } catch (error) {
      return Promise.reject(error);
    }
    const timeoutMs = options.timeoutMs ?? this.sendTimeoutMs;
    const send = new PendingSend(message, this, timeoutMs, options.signal);
    this.callersWaiting += 1;
    if (this.slots.tryAcquire()) {
      this.startClock(send, options.timeoutMs);
      this.publish(send);
    } else if (this.slots.waiting >= this.maxQueued) {
      send.fail(new OverloadedError(this.maxQueued, this));
    } else {
      this.startClock(send, options.timeoutMs);
      send.queued = true;
      this.slots.enqueue(send);
    }
    return send.promise;
  }

  private validate(
    payload: Uint8Array,
    options: SendOptions,
    placement: Placement | undefined,
  ): OutgoingMessage {
    if (this.closing) throw new PusherClosedError(this);
    if (placement !== undefined) this.assertCapable(placement);
    if (options === null || typeof options !== 'object') {
      throw new InvalidArgumentError(`options must be an object, got ${describeValue(options)}`, this);
    }
    assertPayloadWithin(payload, this.limits, this);
    assertMessageId(options.messageId, this.limits.messageId.maxBytes, this);
    assertTimeout(options.timeoutMs, this);
    assertSignal(options.signal, this);
    const messageId = options.messageId ?? newMessageId();
    assertHeadersWithin(options.headers, messageId, this.limits, this);
    if (options.signal?.aborted) throw new AbortError(options.signal.reason, this);
    const headers =
      options.headers === undefined
        ? { [HEADER_MESSAGE_ID]: messageId }
        : { ...options.headers, [HEADER_MESSAGE_ID]: messageId };
    // Every field set, in one order: all messages share one shape (no spread of a placement).
    return {
      topic: this.topic,
      payload,
      headers,
      messageId,
      key: placement?.key,
      deliverAt: placement?.deliverAt,
      delayMs: placement?.delayMs,
    };
  }

  /** A pusher whose broker lacks a capability refuses the calls that need it, before anything is sent. */
  private assertCapable(placement: Placement): void {
    if (placement.key !== undefined && !this.capabilities.keyOrdering) {
      throw new NotSupportedError('sendWithKey: this pusher cannot keep the order of a key', this);
    }
    if (placement.deliverAt !== undefined && !this.capabilities.delay.supported) {
      throw new NotSupportedError('sendDelayAfter: this pusher cannot delay messages', this);
    }
  }

  /** The pusher's own timeout shares one timer; a send's own timeoutMs gets a timer of its own. */
  private startClock(send: PendingSend, ownTimeoutMs: number | undefined): void {
    if (ownTimeoutMs === undefined) send.deadline = this.deadlines.start(send);
    else send.timer = setTimeout(expire, ownTimeoutMs, send);
  }

  /** Hands a send that holds a slot to the driver; the slot returns when the broker answers. */
  publish(send: PendingSend): void {
    this.unanswered += 1;
    let published: Promise<DriverReceipt>;
    try {
      published = this.driver.publish(send.message, send);
    } catch (error) {
      this.answered();
      send.fail(this.toEvError(error, send));
      return;
    }
    published.then(
      (receipt) => {
        this.answered();
        send.succeed(receipt);
      },
      (error: unknown) => {
        this.answered();
        send.fail(this.toEvError(error, send));
      },
    );
  }

  settled(send: PendingSend, error: EvError | undefined): void {
    this.callersWaiting -= 1;
    if (send.queued) {
      send.queued = false;
      this.slots.withdraw();
    }
    if (error) {
      this.logger.debug(
        { provider: this.provider, topic: this.topic, messageId: send.message.messageId, code: error.code },
        error.message,
      );
    }
    this.countsChanged?.();
  }

  private answered(): void {
    this.unanswered -= 1;
    this.slots.release();
    this.countsChanged?.();
  }

  private async settleThenClose(): Promise<void> {
    await this.countsReach(() => this.callersWaiting === 0);
    this.deadlines.clear();
    // Give the broker a last chance to answer sends whose callers gave up, without hanging on it.
    if (this.unanswered > 0) {
      let timer: NodeJS.Timeout | undefined;
      const grace = new Promise((resolve) => {
        timer = setTimeout(resolve, this.closeGraceMs);
      });
      await Promise.race([this.countsReach(() => this.unanswered === 0), grace]);
      clearTimeout(timer);
      this.countsChanged = undefined;
    }
    await this.driver.close();
  }

  /** Resolves once `condition` holds, checked whenever a send settles or the broker answers. */
  private countsReach(condition: () => boolean): Promise<void> {
    return new Promise((resolve) => {
      const check = (): void => {
        if (!condition()) return;
        this.countsChanged = undefined;
        resolve();
      };
      this.countsChanged = check;
      check();
    });
  }

  private toEvError(error: unknown, send: PendingSend): EvError {
    if (isEvError(error)) return error;
    if (send.aborted && isEvError(send.reason)) return send.reason;
    // Drivers map their client's errors; anything else is reported without echoing its text.
    return new BrokerUnavailableError('send failed', { provider: this.provider, cause: error });
  }
}

function expire(send: PendingSend): void {
  send.expire();
}

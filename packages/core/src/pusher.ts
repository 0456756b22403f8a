import type { MessageLimits } from './limits.js';
import type { Logger } from './logger.js';

/** What a pusher guarantees. The shared contract suite reads it to decide what to check. */
export interface PusherCapabilities {
  /** `sendWithKey`: one key always lands on one partition / queue / group, in call order. */
  readonly keyOrdering: boolean;
  /** How many partitions (queues, message groups' queues) the keys of this topic spread over. */
  readonly partitions: number;
  /** The largest payload the broker accepts, in bytes. */
  readonly maxPayloadBytes: number;
  readonly delay: DelayCapabilities;
}

export interface DelayCapabilities {
  /** `sendDelayAfter` with a delay above 0 is possible at all. */
  readonly supported: boolean;
  readonly maxDelayMs: number;
  /** The broker's own timer granularity; lateness targets are on top of it. */
  readonly precisionMs: number;
  /**
   * The delayed message is stored on the broker once `sendDelayAfter` resolves: it is delivered even if
   * the sending process exits and the broker restarts.
   */
  readonly durable: boolean;
  /**
   * Delivery needs a process of yours to keep running (Kafka's delay relay). When false, the broker
   * delivers on its own.
   */
  readonly needsRelay: boolean;
}

export interface SendOptions {
  /** Abort waiting for the broker. The promise rejects with `AbortError`; it is never reported as sent. */
  signal?: AbortSignal;
  /** Extra message headers (string values). `ev-message-id` comes from `messageId`. */
  headers?: Record<string, string>;
  /** The idempotency id; a time-ordered UUIDv7 is generated when absent. Sent as `ev-message-id`. */
  messageId?: string;
  /** Overrides the pusher's send timeout for this call. */
  timeoutMs?: number;
}

export interface SendReceipt {
  readonly messageId: string;
  /** Where the broker put it, when the broker tells: a partition number or a queue name. */
  readonly partition?: number | string;
  /** The broker's own id or offset for the message, when it has one. */
  readonly offset?: string;
}

/**
 * The contract every adapter implements, bound to one topic.
 * A new major revision of the contract ships beside this one as `PusherV2` with its own version tag.
 */
export interface Pusher {
  readonly specificationVersion: 'v1';
  /** The adapter: `kafka`, `rabbitmq`, `rocketmq`, `memory`. */
  readonly provider: string;
  readonly topic: string;
  readonly capabilities: PusherCapabilities;
  /** What the broker accepts in a message: anything beyond is refused before it is sent. */
  readonly limits: MessageLimits;
  /** Resolves once the broker durably accepted the message. */
  send(payload: Uint8Array, options?: SendOptions): Promise<SendReceipt>;
  /** Same key → same partition, in call order, also for calls not awaited one by one. */
  sendWithKey(key: string, payload: Uint8Array, options?: SendOptions): Promise<SendReceipt>;
  /** Delivered to the topic's consumers no earlier than `delayMs` from now. 0 sends at once. */
  sendDelayAfter(payload: Uint8Array, delayMs: number, options?: SendOptions): Promise<SendReceipt>;
  /** Settles every in-flight send, then releases the connection. Idempotent. */
  close(): Promise<void>;
}

/** Options every adapter's pusher accepts. */
export interface PusherOptions {
  logger?: Logger;
  /** How long a send may wait for the broker's confirmation. Default 30 000 ms. */
  sendTimeoutMs?: number;
  /**
   * The most sends waiting for the broker at once. Further callers wait for a free slot (within their
   * timeout), so memory stays bounded when the broker is slow. Default 10 000.
   */
  maxInFlight?: number;
  /**
   * The most callers waiting for a free in-flight slot. One more is rejected at once with an
   * OverloadedError (nothing sent), so a stalled broker cannot make a fast caller grow memory without
   * bound. Default 100 000.
   */
  maxQueued?: number;
  /**
   * On close, how long to wait for the broker's answer to sends whose callers already gave up (timeout or
   * abort) before the connection is released anyway. Default 5 000 ms.
   */
  closeGraceMs?: number;
}

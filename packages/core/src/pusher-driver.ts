import type { MessageLimits } from './limits.js';
import type { PusherCapabilities, SendReceipt } from './pusher.js';

/** One validated message, as an adapter's driver receives it. */
export interface OutgoingMessage {
  readonly topic: string;
  readonly payload: Uint8Array;
  /** Present for `sendWithKey`. */
  readonly key?: string;
  /**
   * Includes `ev-message-id`. A new object for each message, which the driver owns: it may add its own
   * headers to it instead of copying it.
   */
  readonly headers: Record<string, string>;
  readonly messageId: string;
  /** Present for `sendDelayAfter` with a delay above 0: when it is due, in Unix milliseconds. */
  readonly deliverAt?: number;
  readonly delayMs?: number;
}

/** A message's payload as a Buffer for a client library: the caller's own bytes, never a copy. */
export function payloadBuffer(payload: Uint8Array): Buffer {
  return Buffer.isBuffer(payload)
    ? payload
    : Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
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
  /** What the pusher can do; its `maxPayloadBytes` comes from `limits`. */
  readonly capabilities: Omit<PusherCapabilities, 'maxPayloadBytes'>;
  /** What the broker accepts; core refuses anything beyond before `publish` is called. */
  readonly limits: MessageLimits;
  /**
   * Publishes and resolves once the broker confirmed. Called in the order the user called the pusher.
   * `signal.aborted` turns true when the caller stops waiting (abort or timeout): a publication not yet
   * written may then be dropped.
   */
  publish(message: OutgoingMessage, signal: SendSignal): Promise<DriverReceipt>;
  /** Releases connections. Called once, after every publish has settled. */
  close(): Promise<void>;
}

/**
 * What a driver is told about a send it is publishing: whether the caller stopped waiting (timeout or
 * abort) and why. An AbortSignal fits this shape; `@ev` passes the send's own state instead of an
 * AbortController per send, which costs more than the rest of a send under load.
 */
export interface SendSignal {
  readonly aborted: boolean;
  readonly reason: unknown;
}

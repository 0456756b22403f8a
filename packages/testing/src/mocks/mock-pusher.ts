import {
  type MessageLimits,
  newMessageId,
  PORTABLE_LIMITS,
  type Pusher,
  type PusherCapabilities,
  type PusherOptions,
  type SendOptions,
  type SendReceipt,
} from '@ev/core';
import { createPusher, type DriverReceipt } from '@ev/core/adapter';
import { createResponder, type MockBehaviour } from './behaviour.js';

/** One recorded call. Calls that fail validation are recorded too, with `rejected` set. */
export interface PusherCall {
  operation: 'send' | 'sendWithKey' | 'sendDelayAfter' | 'close';
  key?: string;
  payload?: Uint8Array;
  delayMs?: number;
  headers?: Record<string, string>;
  messageId?: string;
  options?: SendOptions;
  /** The error the call ended with, once settled. */
  error?: unknown;
}

export interface MockPusherOptions extends PusherOptions {
  topic?: string;
  capabilities?: Partial<PusherCapabilities>;
  /** What the mock accepts; the memory broker's limits (the strictest of the real brokers') unless set. */
  limits?: MessageLimits;
  /** What each publishing call resolves to (a receipt without messageId) or rejects with. */
  behaviour?: MockBehaviour<PusherCall, DriverReceipt>;
}

/** What an in-memory pusher with one partition claims. */
const defaultCapabilities: PusherCapabilities = {
  keyOrdering: true,
  partitions: 1,
  maxPayloadBytes: PORTABLE_LIMITS.payload.maxBytes,
  delay: {
    supported: true,
    maxDelayMs: 7 * 24 * 60 * 60 * 1000,
    precisionMs: 1,
    durable: true,
    needsRelay: false,
  },
};

/**
 * A mock Pusher: implements the contract with @ev's real validation, records every call in `calls`, and
 * answers with a scripted behaviour. Works under any test framework. Unless `capabilities` says otherwise
 * it claims what an in-memory pusher with one partition does; receipts carry no partition or offset unless
 * the behaviour returns them.
 */
export class MockPusher implements Pusher {
  readonly specificationVersion = 'v1' as const;
  readonly provider = 'mock';
  readonly topic: string;
  readonly capabilities: PusherCapabilities;
  readonly limits: MessageLimits;
  readonly calls: PusherCall[] = [];

  private readonly inner: Pusher;

  constructor(options: MockPusherOptions = {}) {
    this.topic = options.topic ?? 'mock_topic';
    const limits = options.limits ?? PORTABLE_LIMITS;
    const maxBytes = options.capabilities?.maxPayloadBytes ?? limits.payload.maxBytes;
    this.limits = { ...limits, payload: { ...limits.payload, maxBytes } };
    this.capabilities = { ...defaultCapabilities, ...options.capabilities, maxPayloadBytes: maxBytes };
    const respond = createResponder<PusherCall, DriverReceipt>(options.behaviour, () => ({}));
    let published = 0;
    this.inner = createPusher(
      {
        provider: this.provider,
        topic: this.topic,
        capabilities: this.capabilities,
        limits: this.limits,
        publish: async (message) => {
          const call = this.calls.find((c) => c.messageId === message.messageId && c.operation !== 'close');
          if (call) call.headers = { ...message.headers };
          return respond(call ?? { operation: 'send' }, published++);
        },
        close: async () => {},
      },
      options,
    );
  }

  send(payload: Uint8Array, options?: SendOptions): Promise<SendReceipt> {
    const call = this.record({ operation: 'send', payload, options });
    return this.track(call, () => this.inner.send(payload, { ...options, messageId: call.messageId }));
  }

  sendWithKey(key: string, payload: Uint8Array, options?: SendOptions): Promise<SendReceipt> {
    const call = this.record({ operation: 'sendWithKey', key, payload, options });
    return this.track(call, () =>
      this.inner.sendWithKey(key, payload, { ...options, messageId: call.messageId }),
    );
  }

  sendDelayAfter(payload: Uint8Array, delayMs: number, options?: SendOptions): Promise<SendReceipt> {
    const call = this.record({ operation: 'sendDelayAfter', payload, delayMs, options });
    return this.track(call, () =>
      this.inner.sendDelayAfter(payload, delayMs, { ...options, messageId: call.messageId }),
    );
  }

  close(): Promise<void> {
    this.calls.push({ operation: 'close' });
    return this.inner.close();
  }

  /** The recorded calls of one operation. */
  callsOf(operation: PusherCall['operation']): PusherCall[] {
    return this.calls.filter((call) => call.operation === operation);
  }

  private record(call: PusherCall): PusherCall {
    const messageId = call.options?.messageId ?? newMessageId();
    const recorded = { ...call, messageId, headers: { ...call.options?.headers } };
    this.calls.push(recorded);
    return recorded;
  }

  private async track(call: PusherCall, run: () => Promise<SendReceipt>): Promise<SendReceipt> {
    try {
      return await run();
    } catch (error) {
      call.error = error;
      throw error;
    }
  }
}

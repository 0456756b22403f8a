import { describe, expect, it } from 'vitest';
import {
  createOrderEvent,
  createUserEvent,
  decodeEvent,
  EventTypes,
  InvalidArgumentError,
  type Logger,
  type Pusher,
  type SendOptions,
  SerializationError,
} from '../src/index.js';
import { TEST_LIMITS } from './limits-fixture.js';

interface Sent {
  operation: string;
  key?: string;
  payload: Uint8Array;
  delayMs?: number;
  options?: SendOptions;
}

/** Records what the events hand to the pusher; the pusher's own behaviour is tested elsewhere. */
function recordingPusher(): Pusher & { sent: Sent[] } {
  const sent: Sent[] = [];
  const record = (entry: Sent) => {
    sent.push(entry);
    return Promise.resolve({ messageId: entry.options?.messageId ?? '' });
  };
  return {
    sent,
    specificationVersion: 'v1',
    provider: 'recording',
    topic: 'user_topic',
    capabilities: {
      keyOrdering: true,
      partitions: 1,
      maxPayloadBytes: 1000,
      delay: { supported: true, maxDelayMs: 1000, precisionMs: 1, durable: true, needsRelay: false },
    },
    limits: TEST_LIMITS,
    send: (payload, options) => record({ operation: 'send', payload, options }),
    sendWithKey: (key, payload, options) => record({ operation: 'sendWithKey', key, payload, options }),
    sendDelayAfter: (payload, delayMs, options) =>
      record({ operation: 'sendDelayAfter', payload, delayMs, options }),
    close: async () => {},
  };
}

function recordingLogger(): Logger & { errors: Array<[Record<string, unknown>, string]> } {
  const errors: Array<[Record<string, unknown>, string]> = [];
  const ignore = () => {};
  return {
    errors,
    debug: ignore,
    info: ignore,
    warn: ignore,
    error: (fields, message) => errors.push([fields, message]),
  };
}

const BIG = 9_007_199_254_740_993n; // 2^53 + 1: a number would round it

describe('UserEvent', () => {
  it('sends sync with the seed key, the message id in body and header, and the type header', async () => {
    const pusher = recordingPusher();
    const receipt = await createUserEvent(pusher, 'user_topic').sendSync(BIG, 'login');
    const [sent] = pusher.sent;
    expect(sent!.operation).toBe('sendWithKey');
    expect(sent!.key).toBe('user_topic:user.sync');
    expect(sent!.options!.headers).toMatchObject({
      'ev-type': 'ev.mq.v1.UserSyncReq',
      'content-type': 'application/x-protobuf',
    });
    const decoded = decodeEvent(EventTypes.UserSyncReq, sent!.payload);
    expect(decoded).toEqual({
      type: 'ev.mq.v1.UserSyncReq',
      messageId: receipt.messageId,
      userId: BIG,
      action: 'login',
    });
    expect(sent!.options!.messageId).toBe(receipt.messageId);
  });

  it('sends archive unkeyed and the delayed sync through sendDelayAfter', async () => {
    const pusher = recordingPusher();
    const users = createUserEvent(pusher);
    await users.sendArchive(7, '{"a":1}');
    await users.sendSyncDelay(-1n, 'recheck', 250);
    expect(pusher.sent.map((s) => s.operation)).toEqual(['send', 'sendDelayAfter']);
    expect(decodeEvent(EventTypes.UserArchiveReq, pusher.sent[0]!.payload)).toMatchObject({
      userId: 7n,
      data: '{"a":1}',
    });
    expect(pusher.sent[1]!.delayMs).toBe(250);
    expect(decodeEvent(EventTypes.UserSyncReq, pusher.sent[1]!.payload)).toMatchObject({
      userId: -1n,
      action: 'recheck',
    });
  });

  it('logs a serialization failure with the entity id and rejects with SerializationError', async () => {
    const pusher = recordingPusher();
    const logger = recordingLogger();
    const error = await createUserEvent(pusher, 'user_topic', { logger })
      .sendSync(2 ** 60, 'login')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SerializationError);
    expect((error as SerializationError).entityId).toBe(String(2 ** 60));
    expect(logger.errors).toHaveLength(1);
    expect(logger.errors[0]![0]).toMatchObject({
      eventType: 'ev.mq.v1.UserSyncReq',
      entityId: String(2 ** 60),
    });
    expect(pusher.sent).toHaveLength(0);
  });

  it('rejects a non-string action as a serialization error', async () => {
    const pusher = recordingPusher();
    const users = createUserEvent(pusher);
    await expect(users.sendSync(1, 42 as unknown as string)).rejects.toThrow(/action must be a string/);
  });
});

describe('OrderEvent', () => {
  it('sends sync keyed by order_topic:order.sync and notify unkeyed', async () => {
    const pusher = recordingPusher();
    const orders = createOrderEvent(pusher, 'order_topic');
    await orders.sendSync(BIG, 3);
    await orders.sendNotify(BIG, BIG + 1n, '订单已发货');
    expect(pusher.sent[0]!.key).toBe('order_topic:order.sync');
    expect(decodeEvent(EventTypes.OrderSyncReq, pusher.sent[0]!.payload)).toMatchObject({
      orderId: BIG,
      status: 3,
    });
    expect(pusher.sent[1]!.operation).toBe('send');
    expect(decodeEvent(EventTypes.OrderNotifyReq, pusher.sent[1]!.payload)).toMatchObject({
      orderId: BIG,
      userId: BIG + 1n,
      message: '订单已发货',
    });
  });

  it('rejects a status outside int32', async () => {
    const orders = createOrderEvent(recordingPusher());
    await expect(orders.sendSync(1, 2 ** 31)).rejects.toBeInstanceOf(SerializationError);
  });
});

describe('events made from something that is not a pusher', () => {
  it('name the forgotten await with a typed error', () => {
    const pending = Promise.resolve(recordingPusher());
    for (const create of [createUserEvent, createOrderEvent]) {
      expect(() => create(pending as never)).toThrow(InvalidArgumentError);
      expect(() => create(pending as never)).toThrow(/await connection\.pusher\(topic\)/);
      expect(() => create({} as never)).toThrow(/expected a Pusher, got Object/);
    }
  });
});

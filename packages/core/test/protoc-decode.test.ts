import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createOrderEvent, createUserEvent, type Pusher, type SendOptions } from '../src/index.js';
import { TEST_LIMITS } from './limits-fixture.js';

const protoRoot = fileURLToPath(new URL('../proto', import.meta.url));

/** Decodes with protoc, an implementation independent of protobufjs, against the repo's .proto files. */
function protocDecode(type: string, body: Uint8Array): string {
  return execFileSync('protoc', [`--decode=${type}`, `-I${protoRoot}`, 'ev/mq/v1/events.proto'], {
    input: Buffer.from(body),
  }).toString('utf8');
}

function capturingPusher(): Pusher & { bodies: Uint8Array[] } {
  const bodies: Uint8Array[] = [];
  const capture = (payload: Uint8Array, options?: SendOptions) => {
    bodies.push(payload);
    return Promise.resolve({ messageId: options?.messageId ?? '' });
  };
  return {
    bodies,
    specificationVersion: 'v1',
    provider: 'capture',
    topic: 't',
    capabilities: {
      keyOrdering: true,
      partitions: 1,
      maxPayloadBytes: 1000,
      delay: { supported: true, maxDelayMs: 1000, precisionMs: 1, durable: true, needsRelay: false },
    },
    limits: TEST_LIMITS,
    send: (payload, options) => capture(payload, options),
    sendWithKey: (_key, payload, options) => capture(payload, options),
    sendDelayAfter: (payload, _delay, options) => capture(payload, options),
    close: async () => {},
  };
}

describe('wire contract, decoded by protoc', () => {
  it('UserSyncReq carries exactly the fields sent, int64 max included', async () => {
    const pusher = capturingPusher();
    const { messageId } = await createUserEvent(pusher).sendSync(9_223_372_036_854_775_807n, 'login');
    expect(protocDecode('ev.mq.v1.UserSyncReq', pusher.bodies[0]!)).toBe(
      `message_id: "${messageId}"\nuser_id: 9223372036854775807\naction: "login"\n`,
    );
  });

  it('OrderNotifyReq keeps ids above 2^53 and negative ids exact', async () => {
    const pusher = capturingPusher();
    const { messageId } = await createOrderEvent(pusher).sendNotify(9_007_199_254_740_993n, -42n, 'shipped');
    expect(protocDecode('ev.mq.v1.OrderNotifyReq', pusher.bodies[0]!)).toBe(
      `message_id: "${messageId}"\norder_id: 9007199254740993\nuser_id: -42\nmessage: "shipped"\n`,
    );
  });

  it('UserArchiveReq and OrderSyncReq', async () => {
    const pusher = capturingPusher();
    const archive = await createUserEvent(pusher).sendArchive(1_847_392_018_455_109_632n, 'data');
    const sync = await createOrderEvent(pusher).sendSync(5, -3);
    expect(protocDecode('ev.mq.v1.UserArchiveReq', pusher.bodies[0]!)).toBe(
      `message_id: "${archive.messageId}"\nuser_id: 1847392018455109632\ndata: "data"\n`,
    );
    expect(protocDecode('ev.mq.v1.OrderSyncReq', pusher.bodies[1]!)).toBe(
      `message_id: "${sync.messageId}"\norder_id: 5\nstatus: -3\n`,
    );
  });
});

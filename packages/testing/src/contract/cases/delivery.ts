import {
  arrivalTimeout,
  bytes,
  messageIdsOf,
  openTopic,
  settleAndRead,
  text,
  uniqueTopic,
} from '../helpers.js';
import type { ContractHarness, TestRunner } from '../types.js';

export function deliveryCases({ describe, it }: TestRunner, harness: ContractHarness): void {
  describe('delivery', () => {
    it('round-trips bytes and headers, unicode included', async ({ expect }) => {
      const { pusher, probe, cleanup } = await openTopic(harness, 'roundtrip');
      try {
        const binary = new Uint8Array(256).map((_, i) => i);
        const unicode = bytes('事件 🚀 ünïcödé');
        const headers = { 'x-trace': 'trace-ÄÖÜ-事件' };
        const first = await pusher.send(binary, { headers });
        const second = await pusher.send(unicode);
        const received = await probe.waitFor(2, arrivalTimeout(harness));
        const [a, b] = [...received].sort((x, y) =>
          x.headers['ev-message-id']! < y.headers['ev-message-id']! ? -1 : 1,
        );
        expect(Buffer.from(a!.payload)).toEqual(Buffer.from(binary));
        expect(a!.headers['ev-message-id']).toBe(first.messageId);
        expect(a!.headers['x-trace']).toBe(headers['x-trace']);
        expect(text(b!.payload)).toBe('事件 🚀 ünïcödé');
        expect(b!.headers['ev-message-id']).toBe(second.messageId);
      } finally {
        await cleanup();
      }
    });

    it('round-trips an empty header value, or refuses it before sending', async ({ expect }) => {
      const { pusher, probe, cleanup } = await openTopic(harness, 'emptyheader');
      try {
        const outcome = await pusher
          .send(bytes('x'), { headers: { 'x-empty': '' } })
          .catch((e: unknown) => e);
        if (outcome instanceof Error) {
          // Some brokers drop empty values (RocketMQ): refusing up front beats losing the header silently.
          expect((outcome as { code?: string }).code).toBe('INVALID_ARGUMENT');
          expect(await settleAndRead(probe, 1_000)).toHaveLength(0);
        } else {
          const [message] = await probe.waitFor(1, arrivalTimeout(harness));
          expect(message!.headers['x-empty']).toBe('');
        }
      } finally {
        await cleanup();
      }
    });

    it('delivers a payload of exactly the declared maximum size', async ({ expect }) => {
      const { pusher, probe, cleanup } = await openTopic(harness, 'maxsize');
      try {
        const max = pusher.capabilities.maxPayloadBytes;
        const payload = new Uint8Array(max).map((_, i) => (i * 31) % 251);
        await pusher.send(payload);
        const [received] = await probe.waitFor(1, 30_000);
        expect(received!.payload.byteLength).toBe(max);
        expect(Buffer.compare(Buffer.from(received!.payload), Buffer.from(payload))).toBe(0);
      } finally {
        await cleanup();
      }
    }, 60_000);

    it('makes a message readable once send() resolved', async ({ expect }) => {
      const topic = uniqueTopic('readable');
      const pusher = await harness.createPusher(topic);
      try {
        const receipt = await pusher.send(bytes('confirmed'));
        // A reader that starts only now still finds it: the broker stored it before confirming.
        const reader = await harness.probe.subscribe(topic);
        try {
          const [message] = await reader.waitFor(1, arrivalTimeout(harness));
          expect(message!.headers['ev-message-id']).toBe(receipt.messageId);
        } finally {
          await reader.close();
        }
      } finally {
        await pusher.close();
      }
    });

    it('keeps topics isolated', async ({ expect }) => {
      const a = await openTopic(harness, 'isolation-a');
      const b = await openTopic(harness, 'isolation-b');
      try {
        await a.pusher.send(bytes('for a'));
        await a.probe.waitFor(1, arrivalTimeout(harness));
        expect(await settleAndRead(b.probe, 1_000)).toHaveLength(0);
        expect(text(a.probe.messages[0]!.payload)).toBe('for a');
      } finally {
        await a.cleanup();
        await b.cleanup();
      }
    });

    it('delivers exactly the set sent by concurrent pushers', async ({ expect }) => {
      const { topic, pusher, probe, cleanup } = await openTopic(harness, 'concurrent', 4);
      const others = await Promise.all([1, 2, 3].map(() => harness.createPusher(topic, { partitions: 4 })));
      try {
        const pushers = [pusher, ...others];
        const receipts = await Promise.all(
          pushers.flatMap((p, senderIndex) =>
            Array.from({ length: 100 }, (_, i) => p.send(bytes(`sender-${senderIndex}-${i}`))),
          ),
        );
        const received = await probe.waitFor(receipts.length, 30_000);
        const sentIds = receipts.map((receipt) => receipt.messageId).sort();
        expect(messageIdsOf(await settleAndRead(probe, 500)).sort()).toEqual(sentIds);
        expect(received.length).toBe(400);
      } finally {
        await Promise.all(others.map((p) => p.close()));
        await cleanup();
      }
    }, 60_000);
  });
}

import { bytes, openTopic, skipUnsupported, text } from '../helpers.js';
import type { ContractHarness, TestRunner } from '../types.js';

const KEYS = 16;
const PER_KEY = 63;
const PARTITIONS = 4;
/** One key's burst: 200-byte bodies with headers add up to more than a broker takes in one batch. */
const BURST = 5_000;
const BURST_BODY_BYTES = 200;

export function orderingCases({ describe, it }: TestRunner, harness: ContractHarness): void {
  describe('per-key order', () => {
    it('keeps call order per key for ~1000 interleaved sends not awaited one by one', async (context) => {
      const { expect } = context;
      const { pusher, probe, cleanup } = await openTopic(harness, 'keyorder', PARTITIONS);
      try {
        if (!pusher.capabilities.keyOrdering) {
          return skipUnsupported(context, pusher.sendWithKey('k', bytes('x')), 'per-key order');
        }
        expect(pusher.capabilities.partitions).toBeGreaterThan(1);
        const sends = [];
        for (let seq = 0; seq < PER_KEY; seq += 1) {
          for (let k = 0; k < KEYS; k += 1)
            sends.push(pusher.sendWithKey(`key-${k}`, bytes(`key-${k}:${seq}`)));
        }
        await Promise.all(sends);
        const received = await probe.waitFor(KEYS * PER_KEY, 60_000);
        const byKey = new Map<string, { seqs: number[]; partitions: Set<string> }>();
        for (const message of received) {
          const [key, seq] = text(message.payload).split(':') as [string, string];
          expect(message.key).toBe(key);
          const entry = byKey.get(key) ?? { seqs: [], partitions: new Set() };
          entry.seqs.push(Number(seq));
          entry.partitions.add(message.partition);
          byKey.set(key, entry);
        }
        expect(byKey.size).toBe(KEYS);
        const partitionsUsed = new Set<string>();
        for (const [key, { seqs, partitions }] of byKey) {
          expect(seqs, `order of ${key}`).toEqual(Array.from({ length: PER_KEY }, (_, i) => i));
          expect(partitions.size, `partitions of ${key}`).toBe(1);
          partitionsUsed.add([...partitions][0]!);
        }
        expect(partitionsUsed.size).toBeGreaterThan(1);
      } finally {
        await cleanup();
      }
    }, 120_000);

    it('delivers 5 000 sends of one key fired at once, in call order', async (context) => {
      const { expect } = context;
      const { pusher, probe, cleanup } = await openTopic(harness, 'keyburst', PARTITIONS);
      try {
        if (!pusher.capabilities.keyOrdering) {
          return skipUnsupported(context, pusher.sendWithKey('k', bytes('x')), 'per-key order');
        }
        const headers = { 'ev-type': 'ev.mq.v1.UserSyncReq', 'content-type': 'application/x-protobuf' };
        // A broker that takes one send of a key at a time (RocketMQ's FIFO message groups) confirms the
        // last only after all before it: on a cold broker that outlasts the default send timeout.
        const sends = Array.from({ length: BURST }, (_, seq) =>
          pusher.sendWithKey('burst', bytes(String(seq).padEnd(BURST_BODY_BYTES, '.')), {
            headers,
            timeoutMs: 200_000,
          }),
        );
        const outcomes = await Promise.allSettled(sends);
        const failed = outcomes.filter((outcome) => outcome.status === 'rejected');
        expect(failed.length, `failed sends, the first: ${String(failed[0]?.reason)}`).toBe(0);
        const received = await probe.waitFor(BURST, 120_000);
        const order = received.map((message) => Number.parseInt(text(message.payload), 10));
        expect(order).toEqual(Array.from({ length: BURST }, (_, seq) => seq));
      } finally {
        await cleanup();
      }
    }, 360_000);

    it('sends one key to the same partition from different pusher instances', async (context) => {
      const { expect } = context;
      const { topic, pusher, probe, cleanup } = await openTopic(harness, 'keystable', PARTITIONS);
      const other = await harness.createPusher(topic, { partitions: PARTITIONS });
      try {
        if (!pusher.capabilities.keyOrdering) {
          return skipUnsupported(context, pusher.sendWithKey('k', bytes('x')), 'per-key order');
        }
        const keys = Array.from({ length: KEYS }, (_, k) => `user_topic:user.sync:${k}`);
        for (const key of keys) {
          await pusher.sendWithKey(key, bytes('first'));
          await other.sendWithKey(key, bytes('second'));
        }
        const received = await probe.waitFor(keys.length * 2, 30_000);
        for (const key of keys) {
          const partitions = new Set(received.filter((m) => m.key === key).map((m) => m.partition));
          expect(partitions.size, `partitions of ${key}`).toBe(1);
        }
      } finally {
        await other.close();
        await cleanup();
      }
    }, 60_000);
  });
}

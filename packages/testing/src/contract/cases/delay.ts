import { DelayOutOfRangeError, NotSupportedError } from '@ev/core';
import { arrivalTimeout, bytes, openTopic, skipUnsupported, text } from '../helpers.js';
import type { ContractHarness, TestRunner } from '../types.js';

export function delayCases({ describe, it }: TestRunner, harness: ContractHarness): void {
  describe('sendDelayAfter', () => {
    it('declares its delay support, and rejects delays when unsupported', async ({ expect }) => {
      const { pusher, cleanup } = await openTopic(harness, 'delaycaps');
      try {
        const { delay } = pusher.capabilities;
        if (delay.supported) {
          expect(delay.maxDelayMs).toBeGreaterThan(0);
          expect(delay.precisionMs).toBeGreaterThan(0);
        } else {
          await expect(pusher.sendDelayAfter(bytes('x'), 1_000)).rejects.toBeInstanceOf(NotSupportedError);
        }
      } finally {
        await cleanup();
      }
    });

    it('never delivers before the delay', async (context) => {
      const { expect } = context;
      const { pusher, probe, cleanup } = await openTopic(harness, 'delaybound');
      try {
        if (!pusher.capabilities.delay.supported) {
          return skipUnsupported(context, pusher.sendDelayAfter(bytes('x'), 10), 'delayed delivery');
        }
        const delayMs = 1_500;
        const sentAt = Date.now();
        await pusher.sendDelayAfter(bytes('later'), delayMs);
        const [message] = await probe.waitFor(1, delayMs + 30_000);
        expect(message!.receivedAt - sentAt).toBeGreaterThanOrEqual(delayMs);
        expect(text(message!.payload)).toBe('later');
      } finally {
        await cleanup();
      }
    }, 60_000);

    it('delivers delays of 3 s, 1 s, 2 s in the order 1, 2, 3 (no head-of-line blocking)', async (context) => {
      const { expect } = context;
      const { pusher, probe, cleanup } = await openTopic(harness, 'delayorder');
      try {
        if (!pusher.capabilities.delay.supported) {
          return skipUnsupported(context, pusher.sendDelayAfter(bytes('x'), 10), 'delayed delivery');
        }
        await Promise.all([3, 1, 2].map((s) => pusher.sendDelayAfter(bytes(`${s}s`), s * 1_000)));
        const received = await probe.waitFor(3, 40_000);
        expect(received.map((m) => text(m.payload))).toEqual(['1s', '2s', '3s']);
      } finally {
        await cleanup();
      }
    }, 60_000);

    it('sends a zero delay at once', async ({ expect }) => {
      const { pusher, probe, cleanup } = await openTopic(harness, 'delayzero');
      try {
        // Immediate means the ordinary path: a zero delay overtakes a short delay sent before it. Judged
        // by order, not by a clock, so a slow machine or a cold broker cannot fail it.
        const delayed = pusher.capabilities.delay.supported
          ? await pusher.sendDelayAfter(bytes('later'), 3_000)
          : undefined;
        await pusher.sendDelayAfter(bytes('now'), 0);
        const received = await probe.waitFor(delayed ? 2 : 1, arrivalTimeout(harness) + 3_000);
        expect(received.map((message) => text(message.payload))).toEqual(
          delayed ? ['now', 'later'] : ['now'],
        );
      } finally {
        await cleanup();
      }
    }, 60_000);

    it('rejects a delay over the maximum with a typed error naming the limit', async (context) => {
      const { expect } = context;
      const { pusher, probe, cleanup } = await openTopic(harness, 'delaymax');
      try {
        if (!pusher.capabilities.delay.supported) {
          return skipUnsupported(context, pusher.sendDelayAfter(bytes('x'), 10), 'delayed delivery');
        }
        const max = pusher.capabilities.delay.maxDelayMs;
        const error = await pusher.sendDelayAfter(bytes('too late'), max + 1).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(DelayOutOfRangeError);
        expect((error as Error).message).toContain(String(max));
        expect(probe.messages).toHaveLength(0);
      } finally {
        await cleanup();
      }
    });
  });
}

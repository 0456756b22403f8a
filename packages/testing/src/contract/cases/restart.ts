import type { SendReceipt } from '@ev/core';
import { bytes, messageIdsOf, skipUnsupported, sleep, uniqueTopic } from '../helpers.js';
import type { ContractHarness, TestRunner } from '../types.js';

const LANES = 4;

export function restartCases({ describe, it }: TestRunner, harness: ContractHarness): void {
  describe('broker restart', () => {
    it('loses no acknowledged message when the broker restarts mid-stream', async ({ expect }) => {
      const topic = uniqueTopic('restart');
      const pusher = await harness.createPusher(topic, { partitions: 2 });
      const acknowledged: SendReceipt[] = [];
      const failures: unknown[] = [];
      let acknowledgedAfterRestart = 0;
      let restarted = false;
      let stop = false;
      // Lanes of sequential sends keep a stream going through the restart; each caller learns its outcome.
      const lane = async (id: number): Promise<void> => {
        for (let i = 0; !stop; i += 1) {
          try {
            acknowledged.push(
              await (pusher.capabilities.keyOrdering
                ? pusher.sendWithKey(`lane-${id}`, bytes(`${id}:${i}`), { timeoutMs: 20_000 })
                : pusher.send(bytes(`${id}:${i}`), { timeoutMs: 20_000 })),
            );
            if (restarted) acknowledgedAfterRestart += 1;
          } catch (error) {
            failures.push(error);
            await sleep(100);
          }
        }
      };
      const lanes = Array.from({ length: LANES }, (_, id) => lane(id));
      try {
        await sleep(1_000);
        await harness.restartBroker();
        restarted = true;
        // A client reconnects with growing backoff: after a slow restart its next try can come late.
        const deadline = Date.now() + 150_000;
        while (acknowledgedAfterRestart < 20 && Date.now() < deadline) await sleep(100);
      } finally {
        stop = true;
        await Promise.all(lanes);
        await pusher.close();
      }
      expect(acknowledgedAfterRestart, 'sends acknowledged after the restart').toBeGreaterThanOrEqual(20);

      const probe = await harness.probe.subscribe(topic);
      try {
        // Wait for the ids, not a count: a broker may deliver a retried send twice.
        const missing = () => {
          const stored = new Set(messageIdsOf(probe.messages));
          return acknowledged.filter((receipt) => !stored.has(receipt.messageId));
        };
        const deadline = Date.now() + 60_000;
        while (missing().length > 0 && Date.now() < deadline) await sleep(250);
        const lost = missing();
        expect(lost, `${lost.length} of ${acknowledged.length} acknowledged sends missing`).toEqual([]);
      } finally {
        await probe.close();
      }
    }, 360_000);

    it('delivers delayed messages that were pending during a broker restart', async (context) => {
      const { expect } = context;
      const topic = uniqueTopic('delayrestart');
      const pusher = await harness.createPusher(topic);
      try {
        if (!pusher.capabilities.delay.supported) {
          return skipUnsupported(context, pusher.sendDelayAfter(bytes('x'), 10), 'delayed delivery');
        }
        const delayMs = 3_000;
        const sentAt = Date.now();
        const receipt = await pusher.sendDelayAfter(bytes('survivor'), delayMs);
        await harness.restartBroker();
        const probe = await harness.probe.subscribe(topic);
        try {
          // A broker may retry a delivery that fell due while it was still booting a few minutes later
          // (RabbitMQ's at-least-once dead-lettering retries every 3 minutes): late is allowed, lost is not.
          const [message] = await probe.waitFor(1, 240_000);
          expect(message!.headers['ev-message-id']).toBe(receipt.messageId);
          expect(message!.receivedAt - sentAt).toBeGreaterThanOrEqual(delayMs);
        } finally {
          await probe.close();
        }
      } finally {
        await pusher.close();
      }
    }, 300_000);
  });
}

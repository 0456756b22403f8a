import type { Pusher } from '@ev/core';
import type { TestRunner } from '@ev/testing';
import { uniqueTopic } from '@ev/testing';
import { reconcile, report, SendOutcomes } from './outcomes.js';
import { sendDelayedFromDyingProcess } from './sender-process.js';
import type { FaultHarness } from './types.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const encoder = new TextEncoder();

async function waitUntil(what: string, check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(20);
  }
}

/** Sends with a short timeout until one is confirmed; resolves with how long that took. */
async function timeToFirstConfirm(pusher: Pusher, timeoutMs: number): Promise<number> {
  const startedAt = Date.now();
  for (;;) {
    try {
      await pusher.send(encoder.encode('after the fault'), { timeoutMs: 5_000 });
      return Date.now() - startedAt;
    } catch (error) {
      if (Date.now() - startedAt > timeoutMs) throw error;
      await sleep(500);
    }
  }
}

/**
 * Faults on a real broker: a SIGKILLed broker mid-stream, a stalled broker and a
 * sending process killed right after `sendDelayAfter`. Each case prints one `[reliability]` line with
 * its figures. Run by every adapter's tests with a harness that can crash, stall and resume its broker.
 */
export function runFaultSuite(runner: TestRunner, harness: FaultHarness): void {
  const arrivalTimeoutMs = harness.arrivalTimeoutMs ?? 30_000;

  runner.describe(`Faults: ${harness.name}`, () => {
    runner.it(
      'loses no acknowledged send when the broker is SIGKILLed mid-stream',
      async ({ expect }) => {
        const topic = uniqueTopic('crash');
        const pusher = await harness.connection.pusher(topic, { partitions: 4 });
        const outcomes = new SendOutcomes();
        let sent = 0;
        let crashToServingMs = 0;
        let streaming = true;
        // About 500 sends a second, half of them keyed, for as long as the fault lasts and a while after.
        const stream = (async () => {
          while (streaming) {
            for (let burst = 0; burst < 10; burst += 1) {
              sent += 1;
              const payload = encoder.encode(`stream message ${sent}`);
              outcomes.track(
                sent % 2 === 0 ? pusher.send(payload) : pusher.sendWithKey(`key-${sent % 16}`, payload),
              );
            }
            await sleep(20);
          }
        })();
        try {
          await waitUntil('1000 confirmed sends', () => outcomes.acknowledged.size >= 1_000, 60_000);
          const crashedAt = Date.now();
          await harness.crashBroker();
          crashToServingMs = Date.now() - crashedAt;
          await sleep(3_000);
          streaming = false;
          await stream;
          await outcomes.settled();
        } finally {
          streaming = false;
          await stream;
        }
        await pusher.close();

        expect(outcomes.untyped, 'rejections that are not typed EvErrors').toEqual([]);
        expect(outcomes.acknowledged.size + outcomes.failed).toBe(sent);
        const probe = await harness.probe.subscribe(topic);
        try {
          const found = await reconcile(probe, outcomes.acknowledged, arrivalTimeoutMs * 2);
          report(harness.name, 'broker SIGKILL mid-stream', {
            sent,
            acknowledged: outcomes.acknowledged.size,
            failed: Object.fromEntries(outcomes.failures),
            lost: found.lost.length,
            duplicates: found.duplicates,
            storedButFailed: found.storedButFailed,
            crashToServingMs,
          });
          expect(found.lost, `${found.lost.length} acknowledged sends are not on the broker`).toEqual([]);
        } finally {
          await probe.close();
        }
      },
      420_000,
    );

    runner.it(
      'back-pressures a stalled broker with typed timeouts, then recovers',
      async ({ expect }) => {
        const topic = uniqueTopic('stall');
        const sends = 5_000;
        const pusher = await harness.connection.pusher(topic, { sendTimeoutMs: 3_000, maxInFlight: 256 });
        try {
          await pusher.send(encoder.encode('before the stall'));
          const outcomes = new SendOutcomes();
          let settledMs: number;
          let heapGrowthMb: number;
          await harness.stallBroker();
          try {
            const heapBefore = process.memoryUsage().heapUsed;
            const startedAt = Date.now();
            for (let index = 0; index < sends; index += 1) {
              outcomes.track(pusher.send(encoder.encode(`stalled ${index}`)));
            }
            await outcomes.settled();
            settledMs = Date.now() - startedAt;
            heapGrowthMb = Math.round((process.memoryUsage().heapUsed - heapBefore) / 2 ** 20);
          } finally {
            await harness.resumeBroker();
          }
          const recoveryMs = await timeToFirstConfirm(pusher, 120_000);
          report(harness.name, 'stalled broker', {
            sends,
            maxInFlight: 256,
            sendTimeoutMs: 3_000,
            acknowledged: outcomes.acknowledged.size,
            failed: Object.fromEntries(outcomes.failures),
            allSettledMs: settledMs,
            heapGrowthMb,
            firstConfirmAfterResumeMs: recoveryMs,
          });
          expect(outcomes.untyped, 'rejections that are not typed EvErrors').toEqual([]);
          expect(outcomes.acknowledged.size, 'sends confirmed by a frozen broker').toBe(0);
          const codes = [...outcomes.failures.keys()].filter(
            (code) => code !== 'TIMEOUT' && code !== 'UNAVAILABLE',
          );
          expect(codes, 'error codes other than TIMEOUT and UNAVAILABLE').toEqual([]);
        } finally {
          await pusher.close();
        }
      },
      240_000,
    );

    runner.it(
      'delivers a delayed message on time after the sending process was SIGKILLed',
      async ({ expect }) => {
        const topic = uniqueTopic('senderkilled');
        const delayMs = 4_000;
        const { messageId, sentAt } = await sendDelayedFromDyingProcess(harness, topic, delayMs);
        const probe = await harness.probe.subscribe(topic);
        try {
          const [message] = await probe.waitFor(1, delayMs + arrivalTimeoutMs);
          expect(message!.headers['ev-message-id']).toBe(messageId);
          const lateMs = message!.receivedAt - sentAt - delayMs;
          report(harness.name, 'sender SIGKILL after sendDelayAfter', { delayMs, lateMs });
          expect(lateMs, 'delivered before its delay').toBeGreaterThanOrEqual(0);
        } finally {
          await probe.close();
        }
      },
      180_000,
    );
  });
}

import { PusherClosedError } from '@ev/core';
import { arrivalTimeout, bytes, messageIdsOf, sleep, uniqueTopic } from '../helpers.js';
import type { ContractHarness, TestRunner } from '../types.js';

/** Network handles only: timers come and go with the test runner itself. */
function openSockets(): number {
  return process.getActiveResourcesInfo().filter((kind) => /TCP|TLS|Pipe|UDP/i.test(kind)).length;
}

export function lifecycleCases({ describe, it }: TestRunner, harness: ContractHarness): void {
  describe('logs', () => {
    it('says nothing above debug on a run that succeeds, the client library included', async ({ expect }) => {
      const lines: string[] = [];
      const record = (level: string) => (fields: Record<string, unknown>, message: string) =>
        lines.push(`${level} ${message} ${JSON.stringify(fields)}`);
      const connection = await harness.connect({
        logger: { debug: () => {}, info: record('info'), warn: record('warn'), error: record('error') },
      });
      try {
        const pusher = await connection.pusher(uniqueTopic('quiet'), { partitions: 2 });
        await pusher.send(bytes('plain'));
        if (pusher.capabilities.keyOrdering) await pusher.sendWithKey('user_topic:user.sync', bytes('keyed'));
        if (pusher.capabilities.delay.supported) await pusher.sendDelayAfter(bytes('later'), 100);
      } finally {
        await connection.close();
      }
      expect(lines).toEqual([]);
    }, 60_000);
  });

  describe('close', () => {
    it('settles in-flight sends, is idempotent, rejects later sends and leaves no sockets open', async ({
      expect,
    }) => {
      const topic = uniqueTopic('close');
      const socketsBefore = openSockets();
      const pusher = await harness.createPusher(topic);
      const sends = Array.from({ length: 50 }, (_, i) => pusher.send(bytes(`in flight ${i}`)));
      const closing = pusher.close();
      const again = pusher.close();
      const outcomes = await Promise.allSettled(sends);
      await closing;
      await again;
      await pusher.close();
      expect(outcomes.every((outcome) => outcome.status === 'fulfilled')).toBe(true);
      await expect(pusher.send(bytes('after close'))).rejects.toBeInstanceOf(PusherClosedError);
      await expect(pusher.sendWithKey('k', bytes('after close'))).rejects.toBeInstanceOf(PusherClosedError);
      await expect(pusher.sendDelayAfter(bytes('after close'), 10)).rejects.toBeInstanceOf(PusherClosedError);
      // A socket closes once its peer answers the close: poll rather than guess how long that takes.
      const deadline = Date.now() + 10_000;
      while (openSockets() > socketsBefore && Date.now() < deadline) await sleep(100);
      expect(openSockets()).toBeLessThanOrEqual(socketsBefore);

      const probe = await harness.probe.subscribe(topic);
      try {
        const received = await probe.waitFor(50, arrivalTimeout(harness));
        const sentIds = outcomes.map((o) => (o.status === 'fulfilled' ? o.value.messageId : '')).sort();
        expect(messageIdsOf(received).sort()).toEqual(sentIds);
      } finally {
        await probe.close();
      }
    }, 60_000);
  });
}

import { consoleLogger, createUserEvent } from '@ev/core';
import { type ProbeSubscription, uniqueTopic } from '@ev/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OutboxRelay, startOutboxRelay } from '../src/index.js';
import { BROKER_TARGETS, TEST_PARTITIONS } from './broker-targets.js';
import { type DatabaseKind, openTestDatabase, type TestDatabase } from './databases.js';

const bytes = (text: string) => new TextEncoder().encode(text);
const text = (payload: Uint8Array) => new TextDecoder().decode(payload);

async function waitUntil(check: () => boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Every committed event on each broker, each key in commit order across two relays; nothing of a
 * rolled-back transaction.
 */
describe.each(BROKER_TARGETS)('outbox to $name', (target) => {
  describe.each(['pg', 'mysql'] satisfies DatabaseKind[])('from %s', (kind) => {
    let database: TestDatabase;
    // Two relays, as a deployment runs them: they share the lanes, and key order must hold across them.
    let relay: OutboxRelay;
    let secondRelay: OutboxRelay;
    const topics: string[] = [];

    beforeAll(async () => {
      await target.assertReachable();
      database = await openTestDatabase(kind);
      const startRelay = () =>
        startOutboxRelay({
          store: database.outbox.relayStore(database.pool),
          broker: target.url,
          brokerOptions: target.connectOptions,
          topicOptions: { partitions: TEST_PARTITIONS },
          leaseMs: 1_500,
          logger: process.env.EV_TEST_DEBUG ? consoleLogger() : undefined,
        });
      relay = await startRelay();
      secondRelay = await startRelay();
      await waitUntil(() => relay.lanes.length === 16 && secondRelay.lanes.length === 16, 30_000);
    }, 120_000);

    afterAll(async () => {
      await secondRelay?.stop();
      await relay?.stop();
      await database?.close();
      await target.cleanUp(topics);
    }, 60_000);

    it('sends exactly the committed events, each key in commit order across two relays', async () => {
      const topic = uniqueTopic(`outbox-${kind}`);
      topics.push(topic);
      // Sixteen keys spread over both relays' lanes (all in one relay's half: odds 1 in 2^15).
      const keys = Array.from({ length: 16 }, (_, i) => `k${i}`);
      const committed: string[] = [];
      await Promise.all(
        Array.from({ length: 3 }, (_, tx) =>
          database.transaction(async (db) => {
            const pusher = database.outbox.pusher(db, topic);
            const sends = [];
            for (let seq = 0; seq < 20; seq++) {
              for (const key of keys) sends.push(pusher.sendWithKey(key, bytes(`${tx}:${seq}`)));
            }
            const user = createUserEvent(pusher, topic).sendArchive(BigInt(tx), 'archived');
            committed.push(...(await Promise.all([...sends, user])).map((receipt) => receipt.messageId));
          }),
        ),
      );
      const rolledBack = await database.transaction(async (db) => {
        const receipt = await database.outbox.pusher(db, topic).sendWithKey('k0', bytes('rolled back'));
        return receipt.messageId;
      }, 'rollback');

      let probe: ProbeSubscription | undefined;
      try {
        // The relay makes the topic when it forwards the first row; a probe reads it from the beginning.
        await waitUntil(() => relay.stats.forwarded + secondRelay.stats.forwarded >= committed.length);
        expect(relay.stats.forwarded, 'the first relay forwarded some').toBeGreaterThan(0);
        expect(secondRelay.stats.forwarded, 'the second relay forwarded some').toBeGreaterThan(0);
        probe = await target.probe.subscribe(topic);
        await probe.waitFor(committed.length, 60_000);
        await new Promise((resolve) => setTimeout(resolve, 1_000)); // a stray extra would show by now
        const received = probe.messages;
        const ids = received.map((m) => m.headers['ev-message-id']);
        expect(ids.sort()).toEqual([...committed].sort());
        expect(ids).not.toContain(rolledBack);
        for (const key of keys) {
          const sequence = received.filter((m) => m.key === key).map((m) => text(m.payload));
          const byTransaction = (tx: number) => sequence.filter((entry) => entry.startsWith(`${tx}:`));
          for (let tx = 0; tx < 3; tx++) {
            expect(byTransaction(tx), `${key}, transaction ${tx}`).toEqual(
              Array.from({ length: 20 }, (_, seq) => `${tx}:${seq}`),
            );
          }
          // One key's transactions never interleave: each waited for the previous one's commit.
          const runs = sequence.map((entry) => entry.split(':')[0]).filter((tx, i, all) => tx !== all[i - 1]);
          expect(runs, key).toHaveLength(3);
        }
      } finally {
        await probe?.close();
      }
    }, 120_000);
  });
});

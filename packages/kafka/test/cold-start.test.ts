import type { BrokerConnection } from '@ev/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectBroker } from '../src/index.js';
import { assertKafkaReachable, createKafkaProbe, KAFKA_URL, startKafkaFromScratch } from './broker.js';

// Several applications (or one with a separate relay process) meet a broker that has just started: it
// answers for a while with retriable metadata errors while it creates the delay-level topics they ask for.
const CONNECTIONS = 8;
const TOPICS_PER_CONNECTION = 4;

const connections: BrokerConnection[] = [];

beforeAll(async () => {
  await assertKafkaReachable();
  await startKafkaFromScratch();
}, 300_000);

afterAll(async () => {
  await Promise.allSettled(connections.map((connection) => connection.close()));
}, 60_000);

describe('Kafka that has just started from empty data', () => {
  it('takes several first connections at once: each creates its topics and sends', async () => {
    const topics = Array.from(
      { length: CONNECTIONS * TOPICS_PER_CONNECTION },
      (_, i) => `ev-contract-cold-${Date.now()}-${i}`,
    );
    const outcomes = await Promise.allSettled(
      Array.from({ length: CONNECTIONS }, async (_, i) => {
        // Some run the delay relay in-process, some leave it to another process: both provision the levels.
        const connection = await connectBroker(KAFKA_URL, { delay: { relay: i % 2 === 0 } });
        connections.push(connection);
        const own = topics.slice(i * TOPICS_PER_CONNECTION, (i + 1) * TOPICS_PER_CONNECTION);
        await Promise.all(
          own.map(async (topic) => {
            const pusher = await connection.pusher(topic, { partitions: 3 });
            await pusher.sendWithKey('first', new TextEncoder().encode(topic));
          }),
        );
      }),
    );
    expect(outcomes.filter((outcome) => outcome.status === 'rejected')).toEqual([]);

    const probe = await createKafkaProbe().subscribe(topics[0]!);
    try {
      const [message] = await probe.waitFor(1, 30_000);
      expect(new TextDecoder().decode(message!.payload)).toBe(topics[0]);
    } finally {
      await probe.close();
    }
  }, 120_000);
});

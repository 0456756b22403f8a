import type { BrokerConnection, Pusher } from '@ev/core';
import { MemoryBroker } from '@ev/memory';
import { type ContractHarness, runPusherContract } from '@ev/testing';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { createMemoryProbe } from '../../testing/test/memory-harness.js';
import { type OutboxRelay, startOutboxRelay } from '../src/index.js';
import { type DatabaseKind, openTestDatabase, type TestDatabase } from './databases.js';

/**
 * The outbox passes the same contract as every broker adapter: sends go into the outbox table (each
 * statement committing on a connection of its own), the relay forwards them to a broker, and the probe
 * reads that broker. The broker here is the in-memory one; the broker suites run the outbox on the real ones.
 */
for (const kind of ['pg', 'mysql'] satisfies DatabaseKind[]) {
  const broker = new MemoryBroker();
  let database: TestDatabase;
  let relay: OutboxRelay;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    relay = await startOutboxRelay({
      store: database.outbox.relayStore(database.pool),
      broker: 'memory:',
      brokerOptions: { broker },
      leaseMs: 2_000,
    });
  });

  afterAll(async () => {
    await relay?.stop();
    await database?.close();
  });

  /** An outbox pusher on a connection of its own, closed with the pusher; the topic made on the broker. */
  const outboxPusher = async (topic: string, partitions = 1): Promise<Pusher> => {
    broker.createTopic(topic, partitions);
    const connection = await database.connection();
    const pusher = database.outbox.pusher(connection.db, topic);
    const close = async () => {
      await pusher.close();
      await connection.close();
    };
    let closing: Promise<void> | undefined;
    return {
      specificationVersion: pusher.specificationVersion,
      provider: pusher.provider,
      topic: pusher.topic,
      capabilities: pusher.capabilities,
      limits: pusher.limits,
      send: (payload, options) => pusher.send(payload, options),
      sendWithKey: (key, payload, options) => pusher.sendWithKey(key, payload, options),
      sendDelayAfter: (payload, delayMs, options) => pusher.sendDelayAfter(payload, delayMs, options),
      close: () => (closing ??= close()),
    };
  };

  const harness: ContractHarness = {
    name: `outbox on ${kind === 'pg' ? 'postgresql' : 'mysql'}`,
    createPusher: (topic, options) => outboxPusher(topic, options?.partitions),
    async connect() {
      const made: Pusher[] = [];
      const connection: BrokerConnection = {
        provider: 'outbox',
        async pusher(topic, options) {
          const pusher = await outboxPusher(topic, options?.partitions);
          made.push(pusher);
          return pusher;
        },
        close: async () => void (await Promise.all(made.map((pusher) => pusher.close()))),
      };
      return connection;
    },
    probe: createMemoryProbe(broker),
    restartBroker: () => broker.restart(),
  };

  describe(harness.name, () => runPusherContract({ describe, it }, harness));
}

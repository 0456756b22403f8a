// The brokers the outbox bench forwards to: an open connection the relay and the direct pusher share, new
// topics, a plain consumer that notes when each message arrives, and clean-up.
import type { BrokerConnection } from '@ev/core';
import { connectBroker as connectKafka } from '@ev/kafka';
import { connectBroker as connectRabbitMQ, partitionQueue } from '@ev/rabbitmq';
import amqp from 'amqplib';
import { Kafka, logLevel } from 'kafkajs';
import { countThenDelete } from './broker-access.js';
import { newKafkaTopic } from './kafka.js';

export const PARTITIONS = 4;

/** Arrival time (performance.now()) of each message by its `ev-message-id`. */
export interface ArrivalProbe {
  readonly arrivals: Map<string, number>;
  close(): Promise<void>;
}

export interface OutboxTarget {
  /** `kafka` or `rabbitmq`: the selector of the broker's own bench, and its fault scripts' name. */
  readonly name: string;
  /** The report's title. */
  readonly title: string;
  readonly connection: BrokerConnection;
  /** A new topic with its partitions in place. */
  newTopic(name: string): Promise<string>;
  /** A plain consumer of `topic`, ready before this resolves. */
  probe(topic: string): Promise<ArrivalProbe>;
  /** Deletes the topics made. */
  close(): Promise<void>;
}

export async function kafkaTarget(): Promise<OutboxTarget> {
  const kafka = new Kafka({
    clientId: 'ev-bench-outbox',
    brokers: ['127.0.0.1:9092'],
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  await admin.connect();
  // The delay relay is a component of its own, not measured here (as in the Kafka bench).
  const connection = await connectKafka('kafka://127.0.0.1:9092', { delay: { relay: false } });
  const topics: string[] = [];
  return {
    name: 'kafka',
    title: 'Kafka 4.1 (one KRaft node, acks=all, idempotent; kafkajs)',
    connection,
    async newTopic(name) {
      const topic = await newKafkaTopic(admin, `outbox-${name}`);
      topics.push(topic);
      return topic;
    },
    async probe(topic) {
      const arrivals = new Map<string, number>();
      const consumer = kafka.consumer({ groupId: `ev-bench-outbox-${Date.now()}`, maxWaitTimeInMs: 20 });
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
      await consumer.run({
        // No offset commits: kafkajs would otherwise commit after every batch, a round trip that holds
        // back its next fetch and would count as the relay's latency (as in the Kafka bench's lateness).
        autoCommit: false,
        eachMessage: async ({ message }) => {
          const id = message.headers?.['ev-message-id']?.toString();
          if (id) arrivals.set(id, performance.now());
        },
      });
      await joined;
      return { arrivals, close: () => consumer.disconnect() };
    },
    async close() {
      await connection.close();
      await admin.deleteTopics({ topics }).catch(() => {});
      await admin.disconnect();
    },
  };
}

export async function rabbitmqTarget(): Promise<OutboxTarget> {
  const url = 'amqp://guest:guest@127.0.0.1:5672';
  const connection = await connectRabbitMQ(url);
  const topics: string[] = [];
  return {
    name: 'rabbitmq',
    title: 'RabbitMQ 3.10 (quorum queues, persistent, publisher confirms)',
    connection,
    async newTopic(name) {
      const topic = `ev-bench-outbox-${name}-${Date.now()}`;
      // The pusher declares the topic's exchange and partition queues; the relay's pusher finds them.
      await (await connection.pusher(topic, { partitions: PARTITIONS })).close();
      topics.push(topic);
      return topic;
    },
    async probe(topic) {
      const arrivals = new Map<string, number>();
      const probe = await amqp.connect(url);
      // A lost connection (the broker restarted) leaves messages unseen, counted as failed, rather than
      // ending the process with an unhandled error.
      probe.on('error', (error: Error) => console.error(`[bench] outbox probe: ${error.message}`));
      const channel = await probe.createChannel();
      for (let p = 0; p < PARTITIONS; p += 1) {
        await channel.consume(
          partitionQueue(topic, p),
          (message) => {
            if (message) arrivals.set(String(message.properties.messageId), performance.now());
          },
          { noAck: true },
        );
      }
      return { arrivals, close: () => probe.close().catch(() => {}) };
    },
    async close() {
      await connection.close();
      for (const topic of topics) await countThenDelete('rabbitmq', topic).catch(() => {});
    },
  };
}

// Per broker: a pusher connection for the soak and backpressure stages, broker faults through the
// repo's scripts, and a count of what the broker holds for a topic (read with the raw client, not
// through the pusher), after which the topic is deleted.

import { execFileSync } from 'node:child_process';
import type { BrokerConnection } from '@ev/core';
import { connectBroker as connectKafka } from '@ev/kafka';
import { connectBroker as connectRabbitMQ, partitionQueue } from '@ev/rabbitmq';
import { connectBroker as connectRocketMQ, delayTopicOf, TopicAdmin } from '@ev/rocketmq';
import amqp from 'amqplib';
import { Kafka, logLevel } from 'kafkajs';
import { repoRoot } from './java-tools.js';

const KAFKA_URL = 'kafka://127.0.0.1:9092';
const RABBITMQ_URL = 'amqp://guest:guest@127.0.0.1:5672';
const ROCKETMQ_URL = 'rocketmq://127.0.0.1:8081';
const PARTITIONS = 4;

export function openConnection(broker: string): Promise<BrokerConnection> {
  if (broker === 'kafka') return connectKafka(KAFKA_URL, { delay: { relay: false } });
  if (broker === 'rabbitmq') return connectRabbitMQ(RABBITMQ_URL);
  if (broker === 'rocketmq') return connectRocketMQ(ROCKETMQ_URL, { delay: { precisionMs: 100 } });
  throw new Error(`unknown broker "${broker}": use kafka, rabbitmq or rocketmq`);
}

/** `stall` freezes the broker (SIGSTOP, or a RabbitMQ memory alarm); `resume` lets it go on. */
export function brokerFault(broker: string, fault: 'stall' | 'resume'): void {
  execFileSync('node', [`${repoRoot}scripts/brokers/cli.mjs`, fault, broker], { stdio: 'inherit' });
}

/** Messages the broker holds for `topic` (undefined where there is no cheap count); then deletes the topic. */
export async function countThenDelete(broker: string, topic: string): Promise<number | undefined> {
  if (broker === 'kafka') {
    const admin = new Kafka({ brokers: ['127.0.0.1:9092'], logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    try {
      const offsets = await admin.fetchTopicOffsets(topic);
      return offsets.reduce((sum, partition) => sum + Number(partition.high) - Number(partition.low), 0);
    } finally {
      await admin.disconnect();
    }
  }
  if (broker === 'rabbitmq') {
    const connection = await amqp.connect(RABBITMQ_URL);
    try {
      const channel = await connection.createChannel();
      let total = 0;
      for (let partition = 0; partition < PARTITIONS; partition += 1) {
        total += (await channel.checkQueue(partitionQueue(topic, partition))).messageCount;
      }
      for (let partition = 0; partition < PARTITIONS; partition += 1) {
        await channel.deleteQueue(partitionQueue(topic, partition));
      }
      await channel.deleteExchange(topic);
      return total;
    } finally {
      await connection.close();
    }
  }
  // RocketMQ: the Node client has no offsets API; confirmed sends are what the soak reports.
  const admin = new TopicAdmin('127.0.0.1:9876', 10_000);
  await admin.deleteTopic(topic).catch(() => {});
  await admin.deleteTopic(delayTopicOf(topic)).catch(() => {});
  return undefined;
}

import { type ContractHarness, runPusherContract } from '@ev/testing';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { connectBroker, delayTopicOf, type RocketMQConnection } from '../src/index.js';
import {
  admin,
  assertRocketMQReachable,
  createRocketMQProbe,
  ROCKETMQ_URL,
  restartRocketMQ,
} from './broker.js';

let connection: RocketMQConnection;
const topics: string[] = [];

beforeAll(async () => {
  await assertRocketMQReachable();
  // The repo's broker runs timers at 100 ms precision (scripts/brokers/rocketmq/broker.conf).
  connection = await connectBroker(ROCKETMQ_URL, { delayPrecisionMs: 100 });
}, 120_000);

afterAll(async () => {
  await connection?.close();
  for (const topic of topics) {
    await admin.deleteTopic(topic).catch(() => {});
    await admin.deleteTopic(delayTopicOf(topic)).catch(() => {});
  }
}, 120_000);

const harness: ContractHarness = {
  name: 'rocketmq',
  async createPusher(topic, options) {
    const pusher = await connection.pusher(topic, { partitions: options?.partitions ?? 1 });
    topics.push(topic);
    return pusher;
  },
  probe: createRocketMQProbe(),
  restartBroker: () => restartRocketMQ(topics),
  arrivalTimeoutMs: 30_000,
};

runPusherContract({ describe, it }, harness);

import type { BrokerConnection } from '@ev/core';
import { type ContractHarness, runPusherContract } from '@ev/testing';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { connectBroker } from '../src/index.js';
import {
  assertRocketMQReachable,
  createRocketMQProbe,
  deleteTopics,
  ROCKETMQ_URL,
  restartRocketMQ,
  TEST_CONNECT_OPTIONS,
} from './broker.js';

let connection: BrokerConnection;
const topics: string[] = [];

beforeAll(async () => {
  await assertRocketMQReachable();
  connection = await connectBroker(ROCKETMQ_URL, TEST_CONNECT_OPTIONS);
}, 120_000);

afterAll(async () => {
  await connection?.close();
  await deleteTopics(topics);
}, 120_000);

const harness: ContractHarness = {
  name: 'rocketmq',
  connect: (options) => connectBroker(ROCKETMQ_URL, { ...TEST_CONNECT_OPTIONS, ...options }),
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

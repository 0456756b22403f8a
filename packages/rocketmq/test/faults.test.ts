import { fileURLToPath } from 'node:url';
import type { BrokerConnection } from '@ev/core';
import { type FaultHarness, runFaultSuite } from '@ev/fault-kit';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { connectBroker } from '../src/index.js';
import {
  assertRocketMQReachable,
  createRocketMQProbe,
  deleteTopics,
  ROCKETMQ_URL,
  restartRocketMQ,
  stallRocketMQ,
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

const harness: FaultHarness = {
  name: 'rocketmq',
  connection: {
    get provider() {
      return connection.provider;
    },
    async pusher(topic, options) {
      topics.push(topic);
      return connection.pusher(topic, options);
    },
    close: () => connection.close(),
  },
  probe: createRocketMQProbe(),
  crashBroker: () => restartRocketMQ(topics, 'crash'),
  stallBroker: () => stallRocketMQ('stall'),
  resumeBroker: () => stallRocketMQ('resume'),
  sender: {
    adapterEntry: fileURLToPath(new URL('../dist/index.js', import.meta.url)),
    brokerUrl: ROCKETMQ_URL,
    connectOptions: TEST_CONNECT_OPTIONS,
  },
  arrivalTimeoutMs: 60_000,
};

runFaultSuite({ describe, it }, harness);

import { fileURLToPath } from 'node:url';
import { type FaultHarness, runFaultSuite } from '@ev/testing';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { connectBroker, delayTopicOf, type RocketMQConnection } from '../src/index.js';
import {
  admin,
  assertRocketMQReachable,
  createRocketMQProbe,
  ROCKETMQ_URL,
  restartRocketMQ,
  stallRocketMQ,
} from './broker.js';

// The repo's broker runs timers at 100 ms precision (scripts/brokers/rocketmq/broker.conf).
const connectOptions = { delayPrecisionMs: 100 };

let connection: RocketMQConnection;
const topics: string[] = [];

beforeAll(async () => {
  await assertRocketMQReachable();
  connection = await connectBroker(ROCKETMQ_URL, connectOptions);
}, 120_000);

afterAll(async () => {
  await connection?.close();
  for (const topic of topics) {
    await admin.deleteTopic(topic).catch(() => {});
    await admin.deleteTopic(delayTopicOf(topic)).catch(() => {});
  }
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
    connectOptions,
  },
  arrivalTimeoutMs: 60_000,
};

runFaultSuite({ describe, it }, harness);

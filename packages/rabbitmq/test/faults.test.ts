import { fileURLToPath } from 'node:url';
import type { BrokerConnection } from '@ev/core';
import { type FaultHarness, runFaultSuite } from '@ev/fault-kit';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { connectBroker } from '../src/index.js';
import { assertRabbitMQReachable, createRabbitMQProbe, RABBITMQ_URL, restartRabbitMQ } from './broker.js';

const PARTITIONS = 4; // the adapter's default, which every pusher in the fault suite uses

let connection: BrokerConnection;

beforeAll(async () => {
  await assertRabbitMQReachable();
  connection = await connectBroker(RABBITMQ_URL, { defaultPartitions: PARTITIONS });
}, 300_000);

afterAll(async () => {
  await connection?.close();
}, 60_000);

const harness: FaultHarness = {
  name: 'rabbitmq',
  get connection() {
    return connection;
  },
  probe: createRabbitMQProbe(() => PARTITIONS),
  crashBroker: () => restartRabbitMQ('crash'),
  stallBroker: () => restartRabbitMQ('stall'),
  resumeBroker: () => restartRabbitMQ('resume'),
  sender: {
    adapterEntry: fileURLToPath(new URL('../dist/index.js', import.meta.url)),
    brokerUrl: RABBITMQ_URL,
    connectOptions: { defaultPartitions: PARTITIONS },
  },
};

runFaultSuite({ describe, it }, harness);

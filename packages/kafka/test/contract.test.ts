import type { BrokerConnection } from '@ev/core';
import { type ContractHarness, runPusherContract } from '@ev/testing';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { connectBroker } from '../src/index.js';
import {
  assertKafkaReachable,
  createKafkaProbe,
  deleteTestTopics,
  KAFKA_UNDER_TEST,
  KAFKA_URL,
  restartKafka,
} from './broker.js';

let connection: BrokerConnection;

beforeAll(async () => {
  await assertKafkaReachable();
  // One connection (and one in-process delay relay) for the whole suite, as an application would have.
  connection = await connectBroker(KAFKA_URL);
}, 120_000);

afterAll(async () => {
  await connection?.close();
  deleteTestTopics();
}, 120_000);

const harness: ContractHarness = {
  name: KAFKA_UNDER_TEST,
  async createPusher(topic, options) {
    const pusher = await connection.pusher(topic, { partitions: options?.partitions ?? 1 });
    return pusher;
  },
  connect: (options) => connectBroker(KAFKA_URL, options),
  probe: createKafkaProbe(),
  restartBroker: restartKafka,
  arrivalTimeoutMs: 30_000,
};

runPusherContract({ describe, it }, harness);

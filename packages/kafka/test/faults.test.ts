import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { BrokerConnection } from '@ev/core';
import { type FaultHarness, runFaultSuite } from '@ev/fault-kit';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { connectBroker } from '../src/index.js';
import {
  assertKafkaReachable,
  createKafkaProbe,
  deleteTestTopics,
  KAFKA_UNDER_TEST,
  KAFKA_URL,
  relayMembers,
  restartKafka,
  waitForNewRelay,
} from './broker.js';

const relayBin = fileURLToPath(new URL('../dist/bin/delay-relay.js', import.meta.url));
// Delays move through a relay in its own process, as in production: no pusher here runs one.
const connectOptions = { delay: { relay: false } };

let connection: BrokerConnection;
let relay: ChildProcess | undefined;

beforeAll(async () => {
  await assertKafkaReachable();
  connection = await connectBroker(KAFKA_URL, connectOptions);
  const before = await relayMembers();
  relay = spawn(process.execPath, [relayBin, '--broker', KAFKA_URL], { stdio: 'inherit' });
  await waitForNewRelay(before);
}, 180_000);

afterAll(async () => {
  relay?.kill('SIGTERM');
  await connection?.close();
  deleteTestTopics();
}, 120_000);

const harness: FaultHarness = {
  name: KAFKA_UNDER_TEST,
  get connection() {
    return connection;
  },
  probe: createKafkaProbe(),
  crashBroker: () => restartKafka('crash'),
  stallBroker: () => restartKafka('stall'),
  resumeBroker: () => restartKafka('resume'),
  sender: {
    adapterEntry: fileURLToPath(new URL('../dist/index.js', import.meta.url)),
    brokerUrl: KAFKA_URL,
    connectOptions,
  },
  arrivalTimeoutMs: 60_000,
};

runFaultSuite({ describe, it }, harness);

#!/usr/bin/env node
// ev-kafka-delay-relay: the long-running process that delivers @ev's delayed Kafka messages.
//   ev-kafka-delay-relay [--broker kafka://host:9092] [--group ev-delay-relay] [--partitions 4]
// The broker URL may also come from EV_KAFKA_URL. Run one or more instances per cluster; they share
// the work through the consumer group. SIGTERM / SIGINT stop it after committing what it forwarded.
import { parseArgs } from 'node:util';
import { consoleLogger, redactUrl } from '@ev/core';
import { startDelayRelay } from '../delay/start-relay.js';

const { values } = parseArgs({
  options: {
    broker: { type: 'string' },
    group: { type: 'string' },
    partitions: { type: 'string' },
  },
});

const logger = consoleLogger();

const url = values.broker ?? process.env.EV_KAFKA_URL ?? 'kafka://127.0.0.1:9092';
const relay = await startDelayRelay(url, {
  logger,
  delay: { group: values.group, partitions: values.partitions ? Number(values.partitions) : undefined },
});
logger.info({ broker: redactUrl(url) }, 'delay relay running');

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, async () => {
    if (stopping) return;
    stopping = true;
    await relay.stop();
    logger.info({ signal }, 'delay relay stopped');
  });
}

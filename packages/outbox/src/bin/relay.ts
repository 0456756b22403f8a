#!/usr/bin/env node
// ev-outbox-relay: the long-running process that forwards committed outbox rows to the broker.
//   ev-outbox-relay --database postgres://user@host/db --broker kafka://host:9092 [--table ev_outbox]
//                   [--apply-schema] [--partitions 4] [--batch-size 1000] [--lease-ms 10000]
// The URLs may also come from EV_OUTBOX_DATABASE_URL and EV_BROKER_URL. Run one or more instances per
// outbox: they share its lanes. SIGTERM / SIGINT stop it after the batch in flight.
import { parseArgs } from 'node:util';
import { consoleLogger, redactUrl } from '@ev/core';
import { startOutboxRelay } from '../relay/relay.js';
import { openDatabase } from './open-database.js';

const { values } = parseArgs({
  options: {
    database: { type: 'string' },
    broker: { type: 'string' },
    table: { type: 'string' },
    'apply-schema': { type: 'boolean', default: false },
    partitions: { type: 'string' },
    'batch-size': { type: 'string' },
    'lease-ms': { type: 'string' },
  },
});

const logger = consoleLogger();
const databaseUrl = values.database ?? process.env.EV_OUTBOX_DATABASE_URL;
const brokerUrl = values.broker ?? process.env.EV_BROKER_URL;
if (!databaseUrl || !brokerUrl) {
  logger.error(
    {},
    'ev-outbox-relay needs --database <url> and --broker <url> (or EV_OUTBOX_DATABASE_URL, EV_BROKER_URL)',
  );
  process.exit(2);
}

const database = await openDatabase(databaseUrl, { table: values.table });
if (values['apply-schema']) await database.applySchema();
const relay = await startOutboxRelay({
  store: database.store,
  broker: brokerUrl,
  // Partitions (partition queues, queues) of a topic the relay is the first to send to.
  topicOptions: values.partitions ? { partitions: Number(values.partitions) } : undefined,
  logger,
  batchSize: values['batch-size'] ? Number(values['batch-size']) : undefined,
  leaseMs: values['lease-ms'] ? Number(values['lease-ms']) : undefined,
});
logger.info({ database: redactUrl(databaseUrl), broker: redactUrl(brokerUrl) }, 'outbox relay running');

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, async () => {
    if (stopping) return;
    stopping = true;
    await relay.stop();
    await database.close();
  });
}

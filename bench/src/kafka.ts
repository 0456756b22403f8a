import { randomUUID } from 'node:crypto';
import { connectBroker } from '@ev/kafka';
import { type Admin, Kafka, logLevel } from 'kafkajs';
import { kafkaProducerPerformance } from './java-tools.js';
import { benchPlatformatic } from './kafka-platformatic.js';
import {
  eventBody,
  type LoadResult,
  lateness,
  runLoad,
  runSequentialAlternating,
  sendSpreadDelays,
  waitForSamples,
} from './measure.js';
import type { BrokerReport, Lateness, Row } from './report.js';
import type { Scale } from './scale.js';

const URL = 'kafka://127.0.0.1:9092';

export async function benchKafka(scale: Scale): Promise<BrokerReport> {
  const kafka = new Kafka({ clientId: 'ev-bench', brokers: ['127.0.0.1:9092'], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const newTopic = (name: string) => newKafkaTopic(admin, name);
  const rows: Row[] = [];

  // @ev pusher. The delay relay is a component of its own (it runs in the delay stage below): measured
  // here it would compete with the sends for the same two cores.
  const connection = await connectBroker(URL, { delay: { relay: false } });
  const evTopic = await newTopic('ev');
  const pusher = await connection.pusher(evTopic, { partitions: 4 });
  const evSend = (i: number) => pusher.send(eventBody(i));

  // kafkajs used naively: one awaited send per message, compared with the pusher in alternating blocks,
  // as is and with the message id header the pusher puts on every record; then with 1000 callers at once
  const producer = kafka.producer({ idempotent: true });
  await producer.connect();
  const rawTopic = await newTopic('raw');
  const [ev1, naive, naiveWithHeader] = await runSequentialAlternating(scale.sequential, 100, [
    evSend,
    (i) => producer.send({ topic: rawTopic, acks: -1, messages: [{ value: eventBody(i) }] }),
    (i) =>
      producer.send({
        topic: rawTopic,
        acks: -1,
        messages: [{ value: eventBody(i), headers: { 'ev-message-id': randomUUID() } }],
      }),
  ]);
  const ev1000 = await runLoad(scale.concurrent, 1000, evSend);
  rows.push(
    { client: '@ev pusher', concurrency: 1, load: ev1 },
    { client: '@ev pusher', concurrency: 1000, load: ev1000 },
  );
  const naive1000 = await runLoad(scale.concurrent / 5, 1000, (i) =>
    producer.send({ topic: rawTopic, acks: -1, messages: [{ value: eventBody(i) }] }),
  );
  rows.push(
    { client: 'kafkajs send()', concurrency: 1, load: naive },
    { client: 'kafkajs send(), id header', concurrency: 1, load: naiveWithHeader },
    { client: 'kafkajs send()', concurrency: 1000, load: naive1000 },
  );

  // kafkajs at its best: its own batching, 1000 messages per sendBatch; then the same with the one
  // header the pusher adds to every record (its message id), which kafkajs encodes at a cost of its own
  const batch = 1000;
  const sendBatches = (withIdHeader: boolean) =>
    runLoad(scale.concurrent / batch, 1, (i) =>
      producer.sendBatch({
        acks: -1,
        topicMessages: [
          {
            topic: rawTopic,
            messages: Array.from({ length: batch }, (_, j) => ({
              value: eventBody(i * batch + j),
              headers: withIdHeader ? { 'ev-message-id': randomUUID() } : undefined,
            })),
          },
        ],
      }),
    );
  const perMessage = (load: LoadResult): LoadResult => ({
    ...load,
    messages: load.messages * batch,
    msgsPerSec: load.msgsPerSec * batch,
  });
  const best = perMessage(await sendBatches(false));
  const bestWithHeader = perMessage(await sendBatches(true));
  rows.push(
    { client: 'kafkajs sendBatch()', concurrency: `${batch}/batch`, load: best, note: 'latency per batch' },
    {
      client: 'kafkajs sendBatch(), id header per record',
      concurrency: `${batch}/batch`,
      load: bestWithHeader,
      note: 'latency per batch',
    },
  );
  await producer.disconnect();

  // The same on @platformatic/kafka, which needs Node 22.22 or later
  const platformatic = nodeRunsPlatformatic() ? await benchPlatformatic(scale, newTopic) : undefined;
  if (platformatic) rows.push(...platformatic.rows);

  // Kafka's Java ProducerPerformance
  const javaTopic = await newTopic('java');
  const java = await kafkaProducerPerformance(javaTopic, scale.javaRecords);
  rows.push({
    client: 'Java ProducerPerformance',
    concurrency: 'async',
    load: java,
    note: java ? 'its own latency figures' : 'not available',
  });

  // Delay lateness through the delay-level topics and a relay in this process, on each client
  const delays = [await relayLateness(kafka, 'kafkajs', scale, newTopic)];
  if (platformatic) delays.push(await relayLateness(kafka, 'platformatic', scale, newTopic));
  await connection.close();
  await admin.disconnect();

  const javaMsgsPerSec = java?.msgsPerSec ?? Number.NaN;
  return {
    broker: `Kafka 4.1 (one KRaft node, acks=all, idempotent), Node ${process.versions.node.split('.')[0]}`,
    rows,
    delays,
    ratios: {
      'pusher@1000 / kafkajs send()@1': ev1000.msgsPerSec / naive.msgsPerSec,
      'pusher@1000 / Java ProducerPerformance': ev1000.msgsPerSec / javaMsgsPerSec,
      'pusher@1000 / kafkajs sendBatch() with the id header': ev1000.msgsPerSec / bestWithHeader.msgsPerSec,
      'pusher@1 / kafkajs send()@1': ev1.msgsPerSec / naive.msgsPerSec,
      'pusher@1 / kafkajs send() with the id header@1': ev1.msgsPerSec / naiveWithHeader.msgsPerSec,
      ...(platformatic && {
        'pusher on platformatic@1000 / Java ProducerPerformance':
          platformatic.ev1000.msgsPerSec / javaMsgsPerSec,
        'pusher on platformatic@1000 / platformatic send() batches with the id header':
          platformatic.ev1000.msgsPerSec / platformatic.best.msgsPerSec,
        'pusher on platformatic@1 / platformatic send() with the id header@1':
          platformatic.ev1.msgsPerSec / platformatic.raw1.msgsPerSec,
      }),
    },
  };
}

/** A new topic `ev-bench-<name>-<time>` of 4 partitions, once every partition has a leader. */
export async function newKafkaTopic(admin: Admin, name: string): Promise<string> {
  const topic = `ev-bench-${name}-${Date.now()}`;
  await admin.createTopics({ topics: [{ topic, numPartitions: 4 }], waitForLeaders: false });
  // A broker that has just started answers a new topic's metadata with errors for a while, which
  // kafkajs's `waitForLeaders` does not retry: wait for every partition's leader here.
  for (let attempt = 1; ; attempt += 1) {
    const led = await admin.fetchTopicMetadata({ topics: [topic] }).then(
      ({ topics }) => topics[0]!.partitions.every((partition) => partition.leader >= 0),
      (error: unknown) => {
        if (attempt >= 100) throw error;
        return false;
      },
    );
    if (led) return topic;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Sends delayed messages through a relay on the client and measures how late a plain consumer sees them. */
async function relayLateness(
  kafka: Kafka,
  client: 'kafkajs' | 'platformatic',
  scale: Scale,
  newTopic: (name: string) => Promise<string>,
): Promise<Lateness> {
  const relayConnection = await connectBroker(URL, { client });
  const delayTopic = await newTopic(`delay-${client}`);
  const delayPusher = await relayConnection.pusher(delayTopic, { partitions: 4 });
  const due = new Map<string, number>();
  const samples: number[] = [];
  const consumer = kafka.consumer({ groupId: `ev-bench-${randomUUID()}`, maxWaitTimeInMs: 20 });
  await consumer.connect();
  await consumer.subscribe({ topic: delayTopic, fromBeginning: true });
  const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
  await consumer.run({
    // Nothing to commit for a measuring consumer: kafkajs would otherwise commit after every batch, a
    // round trip that holds back its next fetch and would count as lateness of the relay.
    autoCommit: false,
    eachMessage: async ({ message }) => {
      const id = message.headers?.['ev-message-id']?.toString() ?? '';
      const dueAt = due.get(id);
      if (dueAt !== undefined) samples.push(Date.now() - dueAt);
    },
  });
  await joined;
  await sendSpreadDelays(delayPusher, scale.delayed, 500, 3_000, due);
  await waitForSamples(samples, scale.delayed, 30_000);
  await consumer.disconnect();
  await relayConnection.close();
  return { ...lateness(samples), note: `${scale.delayed} delays of 0.5–3 s, relay on ${client}` };
}

/** @platformatic/kafka 2.x runs on Node 22.22 or later. */
function nodeRunsPlatformatic(): boolean {
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
  return major > 22 || (major === 22 && minor >= 22);
}

import { randomUUID } from 'node:crypto';
import { connectBroker, partitionQueue } from '@ev/rabbitmq';
import amqp from 'amqplib';
import { rabbitPerfTest } from './java-tools.js';
import {
  eventBody,
  lateness,
  runLoad,
  runSequentialAlternating,
  sendSpreadDelays,
  waitForSamples,
} from './measure.js';
import type { BrokerReport, Row } from './report.js';
import type { Scale } from './scale.js';

const URL = 'amqp://guest:guest@127.0.0.1:5672';
const PARTITIONS = 4;

export async function benchRabbitMQ(scale: Scale): Promise<BrokerReport> {
  const rows: Row[] = [];
  const stamp = Date.now();

  // @ev pusher
  const connection = await connectBroker(URL);
  const evTopic = `ev-bench-ev-${stamp}`;
  const pusher = await connection.pusher(evTopic, { partitions: PARTITIONS });
  const evSend = (i: number) => pusher.send(eventBody(i));

  // amqplib: a confirm channel to one durable quorum queue, persistent messages, like the pusher's
  const raw = await amqp.connect(URL);
  const channel = await raw.createConfirmChannel();
  const rawQueue = `ev-bench-raw-${stamp}`;
  await channel.assertQueue(rawQueue, { durable: true, arguments: { 'x-queue-type': 'quorum' } });
  const publish = (i: number) =>
    new Promise<void>((resolve, reject) =>
      channel.sendToQueue(rawQueue, eventBody(i), { persistent: true }, (error) =>
        error ? reject(error) : resolve(),
      ),
    );
  // The same through the pusher's topology (its topic exchange hashing onto partition queues, mandatory),
  // with the properties the pusher sets: what the broker's routing costs, apart from any client.
  const publishLikePusher = (i: number) => {
    const id = randomUUID();
    return new Promise<void>((resolve, reject) =>
      channel.publish(
        evTopic,
        id,
        eventBody(i),
        {
          persistent: true,
          mandatory: true,
          messageId: id,
          timestamp: Math.floor(Date.now() / 1000),
          headers: { 'ev-message-id': id },
        },
        (error) => (error ? reject(error) : resolve()),
      ),
    );
  };
  const [ev1, naive, naiveLikePusher] = await runSequentialAlternating(scale.sequential, 100, [
    evSend,
    publish,
    publishLikePusher,
  ]);
  const ev1000 = await runLoad(scale.concurrent, 1000, evSend);
  rows.push(
    { client: '@ev pusher', concurrency: 1, load: ev1 },
    { client: '@ev pusher', concurrency: 1000, load: ev1000 },
  );
  // Its best: confirms pipelined, 1000 outstanding.
  const best = await runLoad(scale.concurrent, 1000, publish);
  const bestLikePusher = await runLoad(scale.concurrent, 1000, publishLikePusher);
  rows.push(
    { client: 'amqplib publish + confirm', concurrency: 1, load: naive },
    {
      client: 'amqplib publish + confirm',
      concurrency: 1,
      load: naiveLikePusher,
      note: "through the pusher's exchange and partition queues",
    },
    { client: 'amqplib publish + confirm', concurrency: 1000, load: best, note: 'pipelined confirms' },
    {
      client: 'amqplib publish + confirm',
      concurrency: 1000,
      load: bestLikePusher,
      note: "pipelined, through the pusher's exchange and partition queues",
    },
  );
  await channel.deleteQueue(rawQueue);
  await raw.close();

  // RabbitMQ's Java PerfTest
  const java = await rabbitPerfTest(`ev-bench-perftest-${stamp}`, scale.javaRecords);
  rows.push({
    client: 'Java PerfTest',
    concurrency: 'confirms, 1000 outstanding',
    load: java,
    note: java ? 'its own latency figures' : 'not available',
  });

  // Delay lateness through the level queues
  const delayTopic = `ev-bench-delay-${stamp}`;
  const delayPusher = await connection.pusher(delayTopic, { partitions: PARTITIONS });
  const due = new Map<string, number>();
  const samples: number[] = [];
  const probe = await amqp.connect(URL);
  const probeChannel = await probe.createChannel();
  for (let p = 0; p < PARTITIONS; p += 1) {
    await probeChannel.consume(partitionQueue(delayTopic, p), (message) => {
      if (!message) return;
      const dueAt = due.get(String(message.properties.messageId));
      if (dueAt !== undefined) samples.push(Date.now() - dueAt);
      probeChannel.ack(message);
    });
  }
  await sendSpreadDelays(delayPusher, scale.delayed, 500, 3_000, due);
  await waitForSamples(samples, scale.delayed, 30_000);
  await probe.close();

  // Tidy the broker: the bench topics' queues.
  const admin = await amqp.connect(URL);
  const adminChannel = await admin.createChannel();
  for (const topic of [evTopic, delayTopic]) {
    for (let p = 0; p < PARTITIONS; p += 1) await adminChannel.deleteQueue(partitionQueue(topic, p));
    await adminChannel.deleteExchange(topic);
  }
  await admin.close();
  await connection.close();

  return {
    broker: 'RabbitMQ 3.10 (quorum queues, persistent, publisher confirms)',
    rows,
    delays: [{ ...lateness(samples), note: `${scale.delayed} delays of 0.5–3 s` }],
    ratios: {
      'pusher@1000 / amqplib@1': ev1000.msgsPerSec / naive.msgsPerSec,
      'pusher@1000 / Java PerfTest': java ? ev1000.msgsPerSec / java.msgsPerSec : Number.NaN,
      "pusher@1000 / amqplib through the pusher's topology": ev1000.msgsPerSec / bestLikePusher.msgsPerSec,
      'pusher@1 / amqplib@1': ev1.msgsPerSec / naive.msgsPerSec,
      "pusher@1 / amqplib@1 through the pusher's topology": ev1.msgsPerSec / naiveLikePusher.msgsPerSec,
    },
  };
}

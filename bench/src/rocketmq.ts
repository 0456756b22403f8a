import { randomUUID } from 'node:crypto';
import { connectBroker, delayTopicOf, TopicAdmin } from '@ev/rocketmq';
import { Producer, SimpleConsumer } from 'rocketmq-client-nodejs';
import { eventBody, lateness, runLoad, runSequentialAlternating, sendSpreadDelays } from './measure.js';
import type { BrokerReport, Row } from './report.js';
import type { Scale } from './scale.js';

const URL = 'rocketmq://127.0.0.1:8081';
const quiet = { info() {}, warn() {}, error() {}, debug() {}, close() {} };

export async function benchRocketMQ(scale: Scale): Promise<BrokerReport> {
  const rows: Row[] = [];
  const stamp = Date.now();
  const admin = new TopicAdmin('127.0.0.1:9876', 10_000);

  // @ev pusher (timers of the repo's broker run at 100 ms precision)
  const connection = await connectBroker(URL, { delay: { precisionMs: 100 } });
  const evTopic = `ev-bench-ev-${stamp}`;
  const pusher = await connection.pusher(evTopic, { partitions: 4 });
  const evSend = (i: number) => pusher.send(eventBody(i));

  // rocketmq-client-nodejs directly, to the same FIFO topic, one awaited send per message; its best is
  // many concurrent sends (it has no batch send).
  const producer = new Producer({ endpoints: '127.0.0.1:8081', namespace: '', logger: quiet });
  await producer.startup();
  const send = (i: number) => producer.send({ topic: evTopic, body: eventBody(i), messageGroup: `raw-${i}` });
  // The same work as the pusher: the message id as message group, key and property.
  const sendWithId = (i: number) => {
    const id = randomUUID();
    return producer.send({
      topic: evTopic,
      body: eventBody(i),
      messageGroup: id,
      keys: [id],
      properties: new Map([['ev-message-id', id]]),
    });
  };
  const [ev1, naive, naiveWithId] = await runSequentialAlternating(scale.sequential, 100, [
    evSend,
    send,
    sendWithId,
  ]);
  // One unmeasured load each first: whichever ran first would otherwise also warm up the proxy's JIT
  // for many concurrent calls, and lose about a third against the other.
  await runLoad(scale.concurrent / 20, 1000, evSend);
  await runLoad(scale.concurrent / 20, 1000, send);
  await runLoad(scale.concurrent / 20, 1000, sendWithId);
  const ev1000 = await runLoad(scale.concurrent / 5, 1000, evSend);
  rows.push(
    { client: '@ev pusher', concurrency: 1, load: ev1 },
    { client: '@ev pusher', concurrency: 1000, load: ev1000 },
  );
  const best = await runLoad(scale.concurrent / 5, 1000, send);
  const bestWithId = await runLoad(scale.concurrent / 5, 1000, sendWithId);
  const withId = 'rocketmq-client-nodejs send(), message id as group, key and property';
  rows.push(
    { client: 'rocketmq-client-nodejs send()', concurrency: 1, load: naive },
    { client: withId, concurrency: 1, load: naiveWithId },
    { client: 'rocketmq-client-nodejs send()', concurrency: 1000, load: best },
    { client: withId, concurrency: 1000, load: bestWithId },
  );
  await producer.shutdown();
  rows.push({ client: 'Java perf tool', concurrency: '–', note: 'none on Maven Central for the gRPC proxy' });

  // Delay lateness of native timer messages
  const delayTopic = `ev-bench-delay-${stamp}`;
  const delayPusher = await connection.pusher(delayTopic, { partitions: 4 });
  const consumer = new SimpleConsumer({
    endpoints: '127.0.0.1:8081',
    namespace: '',
    consumerGroup: `ev-bench-${randomUUID()}`,
    subscriptions: new Map([[delayTopicOf(delayTopic), '*']]),
    awaitDuration: 5_000,
    requestTimeout: 20_000,
    logger: quiet,
  });
  const starting = consumer.startup();
  await Promise.race([starting, new Promise((resolve) => setTimeout(resolve, 3_000))]);
  const due = new Map<string, number>();
  const samples: number[] = [];
  await sendSpreadDelays(delayPusher, scale.delayed, 1_000, 3_000, due);
  const deadline = Date.now() + 30_000;
  while (samples.length < scale.delayed && Date.now() < deadline) {
    const messages = await consumer.receive(32, 15_000).catch(() => []);
    for (const message of messages) {
      const dueAt = due.get(message.properties.get('ev-message-id') ?? '');
      if (dueAt !== undefined) samples.push(Date.now() - dueAt);
      await consumer.ack(message).catch(() => {});
    }
  }
  await consumer.shutdown().catch(() => {});
  await connection.close();
  for (const topic of [evTopic, delayTopic]) {
    await admin.deleteTopic(topic).catch(() => {});
    await admin.deleteTopic(delayTopicOf(topic)).catch(() => {});
  }

  return {
    broker: 'RocketMQ 5.3 (proxy in local mode, FIFO topic, SendReceipt)',
    rows,
    delays: [{ ...lateness(samples), note: `${scale.delayed} delays of 1–3 s, timer precision 100 ms` }],
    ratios: {
      'pusher@1000 / client send()@1': ev1000.msgsPerSec / naive.msgsPerSec,
      'pusher@1000 / client send()@1000': ev1000.msgsPerSec / best.msgsPerSec,
      'pusher@1000 / client send() with the message id@1000': ev1000.msgsPerSec / bestWithId.msgsPerSec,
      'pusher@1 / client send()@1': ev1.msgsPerSec / naive.msgsPerSec,
      'pusher@1 / client send() with the message id@1': ev1.msgsPerSec / naiveWithId.msgsPerSec,
    },
  };
}

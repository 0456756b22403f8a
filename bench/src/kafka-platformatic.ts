import { randomUUID } from 'node:crypto';
import { connectBroker } from '@ev/kafka';
import { ProduceAcks, Producer } from '@platformatic/kafka';
import { eventBody, type LoadResult, runLoad, runSequentialAlternating } from './measure.js';
import type { Row } from './report.js';
import type { Scale } from './scale.js';

const BATCH = 1000;

/**
 * The pusher on @platformatic/kafka (`?client=platformatic`) beside platformatic's own producer: one
 * awaited `send()` at a time and its best, 1000 records per `send()`, both with the message-id header
 * the pusher puts on every record.
 */
export async function benchPlatformatic(
  scale: Scale,
  newTopic: (name: string) => Promise<string>,
): Promise<{ rows: Row[]; ev1000: LoadResult; ev1: LoadResult; raw1: LoadResult; best: LoadResult }> {
  const connection = await connectBroker('kafka://127.0.0.1:9092?client=platformatic', {
    delay: { relay: false },
  });
  const pusher = await connection.pusher(await newTopic('ev-platformatic'), { partitions: 4 });
  const evSend = (i: number) => pusher.send(eventBody(i));

  const producer = new Producer({
    clientId: 'ev-bench',
    bootstrapBrokers: ['127.0.0.1:9092'],
    idempotent: true,
    acks: ProduceAcks.ALL,
    retries: 3,
  });
  const rawTopic = await newTopic('raw-platformatic');
  const record = (i: number) => ({
    topic: rawTopic,
    value: eventBody(i),
    headers: new Map([[Buffer.from('ev-message-id'), Buffer.from(randomUUID())]]),
  });
  const rawSend = (i: number) => producer.send({ messages: [record(i)] });

  const [ev1, raw1] = await runSequentialAlternating(scale.sequential, 100, [evSend, rawSend]);
  const ev1000 = await runLoad(scale.concurrent, 1000, evSend);
  const batches = await runLoad(scale.concurrent / BATCH, 1, (i) =>
    producer.send({ messages: Array.from({ length: BATCH }, (_, j) => record(i * BATCH + j)) }),
  );
  const best = { ...batches, messages: batches.messages * BATCH, msgsPerSec: batches.msgsPerSec * BATCH };
  await producer.close();
  await connection.close();
  return {
    rows: [
      { client: '@ev pusher on platformatic', concurrency: 1, load: ev1 },
      { client: '@ev pusher on platformatic', concurrency: 1000, load: ev1000 },
      { client: 'platformatic send(), id header', concurrency: 1, load: raw1 },
      {
        client: 'platformatic send(), id header per record',
        concurrency: `${BATCH}/batch`,
        load: best,
        note: 'latency per batch',
      },
    ],
    ev1000,
    ev1,
    raw1,
    best,
  };
}

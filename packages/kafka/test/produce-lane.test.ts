import { describe, expect, it } from 'vitest';
import type { OutgoingRecord, ProducerPort, StoredBatch } from '../src/client/port.js';
import { ProduceLane, type RecordToSend } from '../src/produce-lane.js';

/** A producer whose first request fails once the test says so, and whose later requests succeed. */
function producerFailingFirstRequest(): { port: ProducerPort; failFirst: (error: Error) => void } {
  let failFirst: (error: Error) => void = () => {};
  let requests = 0;
  const port: ProducerPort = {
    connect: async () => {},
    disconnect: async () => {},
    send: (_records: readonly OutgoingRecord[]): Promise<StoredBatch[]> => {
      requests += 1;
      if (requests === 1) return new Promise((_, reject) => (failFirst = reject));
      return Promise.resolve([{ topic: 't', partition: 0, baseOffset: '0' }]);
    },
  };
  return { port, failFirst: (error) => failFirst(error) };
}

const record = (value: string): RecordToSend => ({
  topic: 't',
  partition: 0,
  key: 'k',
  value: Buffer.from(value),
  headers: {},
  signal: { aborted: false, reason: undefined },
});

describe('ProduceLane', () => {
  it('fails the records queued behind a failed request, so a key never gets ahead of its failed record', async () => {
    const { port, failFirst } = producerFailingFirstRequest();
    const lane = new ProduceLane(() => port, '127.0.0.1:9092');
    const first = lane.produce(record('1'));
    // Queued while the first request is on the broker: they would go out through a new producer next.
    const second = lane.produce(record('2'));
    const third = lane.produce(record('3'));
    failFirst(Object.assign(new Error('connection lost'), { retriable: true }));
    const outcomes = await Promise.allSettled([first, second, third]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected', 'rejected']);
    // Those queued behind were never sent: retrying them is safe, whatever the first request's error.
    for (const outcome of outcomes.slice(1)) {
      expect((outcome as PromiseRejectedResult).reason).toMatchObject({
        code: 'UNAVAILABLE',
        retryable: true,
      });
    }
    // A record sent after the failure was reported goes through a new producer.
    await expect(lane.produce(record('4'))).resolves.toMatchObject({ partition: 0 });
  });
});

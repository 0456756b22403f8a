import { uniqueTopic } from '@ev/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectBroker } from '../src/index.js';
import { assertKafkaReachable, deleteTestTopics, KAFKA_URL } from './broker.js';

beforeAll(() => assertKafkaReachable());
afterAll(() => deleteTestTopics(), 180_000);

describe('Kafka topics deleted by an operator', () => {
  it('leave sends to other topics working', async () => {
    const connection = await connectBroker(KAFKA_URL, { delay: { relay: false } });
    try {
      const before = await connection.pusher(uniqueTopic('deleted'), { partitions: 1 });
      await before.send(new Uint8Array([1]));
      // Deletes every test topic, the one just sent to among them, with Kafka's own tool.
      deleteTestTopics();
      // The producer that sent to the deleted topic still asks for its metadata: this failed with
      // UNKNOWN_TOPIC_OR_PARTITION until the lane learned to start over with a fresh producer.
      const after = await connection.pusher(uniqueTopic('after-delete'), { partitions: 1 });
      const receipt = await after.send(new Uint8Array([2]));
      expect(receipt).toMatchObject({ partition: 0, offset: '0' });
    } finally {
      await connection.close();
    }
  }, 180_000);
});

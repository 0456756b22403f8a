import { uniqueTopic } from '@ev/testing';
import type { Admin } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TopicProvisioner } from '../src/topics.js';
import { assertKafkaReachable, rawKafka } from './broker.js';

let admin: Admin;
let otherClient: Admin;
let metadataRequests = 0;

beforeAll(async () => {
  await assertKafkaReachable();
  admin = rawKafka.admin();
  otherClient = rawKafka.admin();
  admin.on(admin.events.REQUEST, ({ payload }) => {
    if (payload.apiName === 'Metadata') metadataRequests++;
  });
  await Promise.all([admin.connect(), otherClient.connect()]);
});

afterAll(async () => {
  await Promise.allSettled([admin?.disconnect(), otherClient?.disconnect()]);
});

async function countMetadataRequests(work: () => Promise<unknown>): Promise<number> {
  const before = metadataRequests;
  await work();
  return metadataRequests - before;
}

describe('Kafka topic lookups (what the delay relay asks before it forwards)', () => {
  it('see a topic another client created after the last listing', async () => {
    const provisioner = new TopicProvisioner(admin, '127.0.0.1:9092', 30_000);
    const topic = uniqueTopic('lookup-new');
    expect(await provisioner.exists(topic)).toBe(false);
    await otherClient.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    expect(await provisioner.exists(topic)).toBe(true);
  }, 60_000);

  it('share listings: thousands of lookups at once for a topic not seen yet cost at most two requests', async () => {
    const provisioner = new TopicProvisioner(admin, '127.0.0.1:9092', 30_000);
    const topic = uniqueTopic('lookup-burst');
    await otherClient.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    const requestsOfOneListing = await countMetadataRequests(() =>
      new TopicProvisioner(admin, '127.0.0.1:9092', 30_000).exists(topic),
    );
    let answers: boolean[] = [];
    const requests = await countMetadataRequests(async () => {
      answers = await Promise.all(Array.from({ length: 5_000 }, () => provisioner.exists(topic)));
    });
    expect(answers.every(Boolean)).toBe(true);
    expect(requestsOfOneListing).toBeGreaterThan(0);
    expect(requests).toBeLessThanOrEqual(2 * requestsOfOneListing);
  }, 60_000);
});

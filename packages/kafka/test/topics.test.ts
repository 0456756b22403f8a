import { uniqueTopic } from '@ev/testing';
import type { Admin } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdminPort } from '../src/client/port.js';
import { TopicProvisioner } from '../src/topics.js';
import { assertKafkaReachable, rawKafka, testClient } from './broker.js';

let admin: AdminPort;
let otherClient: Admin;
let listings = 0;

beforeAll(async () => {
  await assertKafkaReachable();
  const realAdmin = (await testClient()).admin();
  // The provisioner's admin, counting the listings it asks the broker for.
  admin = {
    ...realAdmin,
    listTopics: () => {
      listings++;
      return realAdmin.listTopics();
    },
  };
  otherClient = rawKafka.admin();
  await Promise.all([admin.connect(), otherClient.connect()]);
});

afterAll(async () => {
  await Promise.allSettled([admin?.disconnect(), otherClient?.disconnect()]);
});

async function countListings(work: () => Promise<unknown>): Promise<number> {
  const before = listings;
  await work();
  return listings - before;
}

describe('Kafka topic lookups (what the delay relay asks before it forwards)', () => {
  it('see a topic another client created after the last listing', async () => {
    const provisioner = new TopicProvisioner(admin, '127.0.0.1:9092', 30_000);
    const topic = uniqueTopic('lookup-new');
    expect(await provisioner.exists(topic)).toBe(false);
    await otherClient.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    expect(await provisioner.exists(topic)).toBe(true);
  }, 60_000);

  it('share listings: thousands of lookups at once for a topic not seen yet cost at most two listings', async () => {
    const provisioner = new TopicProvisioner(admin, '127.0.0.1:9092', 30_000);
    const topic = uniqueTopic('lookup-burst');
    await otherClient.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    let answers: boolean[] = [];
    const requests = await countListings(async () => {
      answers = await Promise.all(Array.from({ length: 5_000 }, () => provisioner.exists(topic)));
    });
    expect(answers.every(Boolean)).toBe(true);
    expect(requests).toBeGreaterThan(0);
    expect(requests).toBeLessThanOrEqual(2);
  }, 60_000);
});

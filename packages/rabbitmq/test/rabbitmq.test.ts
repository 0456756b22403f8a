import {
  BrokerRejectedError,
  BrokerUnavailableError,
  createUserEvent,
  InvalidArgumentError,
  USER_SYNC_KEY,
} from '@ev/core';
import { uniqueTopic } from '@ev/testing';
import amqp from 'amqplib';
import { beforeAll, describe, expect, it } from 'vitest';
import { connectBroker, connectPusher, delayRoutingKey, MAX_DELAY_MS, partitionQueue } from '../src/index.js';
import { assertRabbitMQReachable, createRabbitMQProbe, RABBITMQ_URL } from './broker.js';

beforeAll(assertRabbitMQReachable);

describe('RabbitMQ topology', () => {
  it('routes the seed key to one partition queue named <topic>:<n>', async () => {
    const topic = uniqueTopic('seedkey');
    const pusher = await connectPusher(RABBITMQ_URL, topic, { partitions: 4 });
    const probe = await createRabbitMQProbe(() => 4).subscribe(topic);
    try {
      const users = createUserEvent(pusher, topic);
      for (let i = 0; i < 5; i += 1) await users.sendSync(BigInt(i), 'login');
      const received = await probe.waitFor(5, 15_000);
      expect(new Set(received.map((m) => m.partition)).size).toBe(1);
      expect(received[0]!.partition).toMatch(new RegExp(`^${topic}:[0-3]$`));
      expect(received[0]!.key).toBe(`${topic}:${USER_SYNC_KEY}`);
      expect(received[0]!.headers['ev-type']).toBe('ev.mq.v1.UserSyncReq');
    } finally {
      await pusher.close();
      await probe.close();
    }
  });

  it('reports an unroutable message as an error instead of dropping it', async () => {
    const topic = uniqueTopic('unroutable');
    const pusher = await connectPusher(RABBITMQ_URL, topic, { partitions: 1 });
    const admin = await amqp.connect(RABBITMQ_URL, { timeout: 10_000 });
    try {
      const channel = await admin.createChannel();
      await channel.deleteQueue(partitionQueue(topic, 0));
      const error = await pusher.send(new Uint8Array([1])).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BrokerRejectedError);
      expect((error as Error).message).toContain('unroutable');
    } finally {
      await pusher.close();
      await admin.close();
    }
  });

  it('writes delays as base-16 digits of milliseconds, highest level first', () => {
    expect(delayRoutingKey(3_000, 'id')).toBe('0.0.0.0.0.b.b.8.id');
    expect(delayRoutingKey(1, 'id')).toBe('0.0.0.0.0.0.0.1.id');
    expect(delayRoutingKey(MAX_DELAY_MS, 'id')).toBe('f.f.f.f.f.f.f.f.id');
    expect(MAX_DELAY_MS).toBeGreaterThanOrEqual(7 * 24 * 3600 * 1000);
  });
});

describe('RabbitMQ connection failures', () => {
  it('fails fast with a typed error when nothing listens on the port', async () => {
    const error = await connectBroker('amqp://guest:guest@127.0.0.1:1', { connectTimeoutMs: 2_000 }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(BrokerUnavailableError);
    expect((error as Error).message).toMatch(/cannot reach RabbitMQ at amqp:\/\/127\.0\.0\.1:1/);
  });

  it('rejects wrong credentials without echoing them', async () => {
    const error = await connectBroker('amqp://intruder:Sup3rS3cret@127.0.0.1:5672').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BrokerUnavailableError);
    expect((error as Error).message).toContain('refused the credentials');
    expect(JSON.stringify(error, Object.getOwnPropertyNames(error))).not.toContain('Sup3rS3cret');
    expect((error as Error).message).not.toContain('intruder');
  });

  it('takes credentials from options over the URL', async () => {
    const connection = await connectBroker('amqp://nobody:wrong@127.0.0.1:5672', {
      credentials: { username: 'guest', password: 'guest' },
    });
    await connection.close();
  });
});

describe('RabbitMQ options', () => {
  it('are checked at connect, before any broker is contacted, naming the option', async () => {
    const refusals: Array<[Promise<unknown>, string]> = [
      // @ts-expect-error `credential` is misspelt
      [connectBroker(RABBITMQ_URL, { credential: { username: 'u' } }), 'unknown option "credential"'],
      [connectBroker(RABBITMQ_URL, { maxPayloadBytes: -1 }), 'option maxPayloadBytes'],
      [connectBroker(RABBITMQ_URL, { defaultPartitions: 0 }), 'option defaultPartitions'],
    ];
    for (const [attempt, text] of refusals) {
      const error = await attempt.catch((e: unknown) => e);
      expect(error, text).toBeInstanceOf(InvalidArgumentError);
      expect((error as Error).message, text).toContain(text);
    }
  });
});

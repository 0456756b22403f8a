import { readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { BrokerConnection } from '@ev/core';
import { BrokerUnavailableError, createUserEvent, InvalidArgumentError } from '@ev/core';
import { uniqueTopic } from '@ev/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectBroker } from '../src/index.js';
import {
  assertRocketMQReachable,
  createRocketMQProbe,
  deleteTopics,
  ROCKETMQ_URL,
  TEST_CONNECT_OPTIONS,
} from './broker.js';

let connection: BrokerConnection;
const topics: string[] = [];

beforeAll(async () => {
  await assertRocketMQReachable();
  connection = await connectBroker(ROCKETMQ_URL, TEST_CONNECT_OPTIONS);
}, 60_000);

afterAll(async () => {
  await connection?.close();
  await deleteTopics(topics);
});

describe('RocketMQ placement', () => {
  it('spreads message groups over the queues although the client only ever picks queue 0 (upstream issue 1093)', async () => {
    const topic = uniqueTopic('spread');
    topics.push(topic);
    const pusher = await connection.pusher(topic, { partitions: 4 });
    const probe = await createRocketMQProbe().subscribe(topic);
    try {
      const users = createUserEvent(pusher, topic);
      await Promise.all(
        Array.from({ length: 32 }, (_, i) => pusher.sendWithKey(`key-${i}`, new Uint8Array([i]))),
      );
      await users.sendSync(1n, 'login');
      const received = await probe.waitFor(33, 30_000);
      // The proxy places FIFO messages by message group itself: the client's queue choice does not matter.
      expect(new Set(received.map((m) => m.partition)).size).toBeGreaterThan(1);
      const seed = received.find((m) => m.headers['ev-type'] === 'ev.mq.v1.UserSyncReq');
      expect(seed!.key).toBe(`${topic}:user.sync`);
    } finally {
      await probe.close();
    }
  }, 60_000);

  it('refuses headers RocketMQ would refuse or drop, before sending', async () => {
    const topic = uniqueTopic('props');
    topics.push(topic);
    const pusher = await connection.pusher(topic);
    await expect(pusher.send(new Uint8Array([1]), { headers: { KEYS: 'x' } })).rejects.toBeInstanceOf(
      InvalidArgumentError,
    );
    await expect(pusher.send(new Uint8Array([1]), { headers: { 'x-empty': '' } })).rejects.toBeInstanceOf(
      InvalidArgumentError,
    );
  });

  it('rejects topic names RocketMQ does not allow', async () => {
    await expect(connection.pusher('has.dot')).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(connection.pusher('ends__delay')).rejects.toBeInstanceOf(InvalidArgumentError);
  });
});

describe('RocketMQ client behaviour', () => {
  it('routes the client logs to our logger and writes no log files under the home directory', async () => {
    const logsDir = join(homedir(), 'logs', 'rocketmq');
    const before = safeList(logsDir);
    const lines: string[] = [];
    const collect = (_fields: Record<string, unknown>, message: string) => lines.push(message);
    const own = await connectBroker(ROCKETMQ_URL, {
      logger: { debug: collect, info: collect, warn: collect, error: collect },
    });
    await own.close();
    expect(lines.length).toBeGreaterThan(0);
    expect(safeList(logsDir)).toEqual(before);
  });

  it('never echoes the secret key', async () => {
    const lines: string[] = [];
    const collect = (fields: Record<string, unknown>, message: string) =>
      lines.push(JSON.stringify(fields) + message);
    const own = await connectBroker('rocketmq://AKIDEXAMPLE:TopSecretValue42@127.0.0.1:8081', {
      logger: { debug: collect, info: collect, warn: collect, error: collect },
    });
    const topic = uniqueTopic('secret');
    topics.push(topic);
    const outcome = await own
      .pusher(topic)
      .then((pusher) => pusher.send(new Uint8Array([1])))
      .catch((error: unknown) => error);
    await own.close();
    expect(JSON.stringify(outcome, Object.getOwnPropertyNames(outcome ?? {}))).not.toContain(
      'TopSecretValue42',
    );
    expect(lines.join('\n')).not.toContain('TopSecretValue42');
  });

  it('fails to connect with a typed error when the proxy cannot be reached, as Kafka and RabbitMQ do', async () => {
    const error = await connectBroker('rocketmq://127.0.0.1:1?nameserver=127.0.0.1:2', {
      requestTimeoutMs: 2_000,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BrokerUnavailableError);
    expect((error as Error).message).toContain('127.0.0.1:1');
    // A host without a port means the proxy's default gRPC port, 8081 (an address nothing answers here).
    const portless = await connectBroker('rocketmq://192.0.2.1?nameserver=127.0.0.1:2', {
      requestTimeoutMs: 2_000,
    }).catch((e: unknown) => e);
    expect(portless).toBeInstanceOf(BrokerUnavailableError);
    expect((portless as Error).message).toContain('192.0.2.1:8081');
  }, 30_000);
});

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir).sort();
  } catch {
    return [];
  }
}

describe('RocketMQ options', () => {
  it('are checked at connect, before any broker is contacted, naming the option', async () => {
    const refusals: Array<[Promise<unknown>, string]> = [
      // @ts-expect-error `nameserver` is spelt `nameServer`
      [connectBroker(ROCKETMQ_URL, { nameserver: '127.0.0.1:9876' }), 'unknown option "nameserver"'],
      [connectBroker(ROCKETMQ_URL, { maxPayloadBytes: 5 * 1024 * 1024 }), 'option maxPayloadBytes'],
      [connectBroker(ROCKETMQ_URL, { delay: { precisionMs: 0 } }), 'option delay.precisionMs'],
    ];
    for (const [attempt, text] of refusals) {
      const error = await attempt.catch((e: unknown) => e);
      expect(error, text).toBeInstanceOf(InvalidArgumentError);
      expect((error as Error).message, text).toContain(text);
    }
  });
});

import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { BrokerUnavailableError, createUserEvent, InvalidArgumentError } from '@ev/core';
import { reconcile, reportReliability } from '@ev/fault-kit';
import { uniqueTopic } from '@ev/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectBroker } from '../src/index.js';
import {
  assertKafkaReachable,
  createKafkaProbe,
  KAFKA_UNDER_TEST,
  KAFKA_URL,
  rawKafka,
  relayMembers,
  waitForNewRelay,
  withTestClient,
} from './broker.js';

const protoRoot = fileURLToPath(new URL('../../core/proto', import.meta.url));
const relayBin = fileURLToPath(new URL('../dist/bin/delay-relay.js', import.meta.url));
const BIG = 9_007_199_254_740_993n;

beforeAll(assertKafkaReachable, 60_000);

describe('Kafka wire format, read by independent tools', () => {
  it('kcat reads the seed key, and protoc decodes the bytes to exactly the fields sent', async () => {
    const connection = await connectBroker(KAFKA_URL, { delay: { relay: false } });
    const topic = uniqueTopic('kcat');
    try {
      const pusher = await connection.pusher(topic, { partitions: 4 });
      const { messageId } = await createUserEvent(pusher, 'user_topic').sendSync(BIG, 'login');
      const read = (format: string) =>
        execFileSync(
          'kcat',
          ['-C', '-b', '127.0.0.1:9092', '-t', topic, '-o', 'beginning', '-c', '1', '-e', '-q', '-f', format],
          {
            timeout: 30_000,
          },
        );
      expect(read('%k').toString()).toBe('user_topic:user.sync');
      expect(read('%h').toString()).toContain(`ev-message-id=${messageId}`);
      expect(read('%h').toString()).toContain('ev-type=ev.mq.v1.UserSyncReq');
      const decoded = execFileSync(
        'protoc',
        ['--decode=ev.mq.v1.UserSyncReq', `-I${protoRoot}`, 'ev/mq/v1/events.proto'],
        {
          input: read('%s'),
        },
      ).toString();
      expect(decoded).toBe(`message_id: "${messageId}"\nuser_id: ${BIG}\naction: "login"\n`);
    } finally {
      await connection.close();
    }
  }, 60_000);
});

describe('Kafka receipts', () => {
  it('name the partition and offset each record was stored at, also for sends coalesced into one request', async () => {
    const connection = await connectBroker(KAFKA_URL, { delay: { relay: false } });
    const topic = uniqueTopic('receipts');
    const consumer = rawKafka.consumer({ groupId: `ev-receipts-${topic}`, maxWaitTimeInMs: 20 });
    try {
      const pusher = await connection.pusher(topic, { partitions: 3 });
      const sends = Array.from({ length: 400 }, (_, i) => {
        const payload = Buffer.from(`m${i}`);
        return i % 2 === 0 ? pusher.send(payload) : pusher.sendWithKey(`key-${i % 7}`, payload);
      });
      const receipts = await Promise.all(sends);
      const stored = new Map<string, string>();
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({
        eachMessage: async ({ partition, message }) => {
          stored.set(String(message.headers?.['ev-message-id']), `${partition}/${message.offset}`);
        },
      });
      // A first group join on a cold broker creates the offsets topic: allow for it.
      const deadline = Date.now() + 60_000;
      while (stored.size < receipts.length && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 50));
      expect(stored.size).toBe(receipts.length);
      for (const receipt of receipts) {
        expect(`${receipt.partition}/${receipt.offset}`).toBe(stored.get(receipt.messageId));
      }
      // The records spread over several partitions, so each request counted offsets per partition
      expect(new Set(receipts.map((receipt) => receipt.partition)).size).toBeGreaterThan(1);
    } finally {
      await consumer.disconnect();
      await connection.close();
    }
  }, 120_000);
});

describe('Kafka delay relay as its own process', () => {
  let relay: ChildProcess | undefined;

  afterAll(() => {
    relay?.kill('SIGTERM'); // leaves the group at once: the next relay need not wait for its session to end
  });

  it('delivers a delayed message after the sending process is gone, as an ordinary message', async () => {
    relay = spawn('node', [relayBin, '--broker', KAFKA_URL], { stdio: 'inherit' });
    const topic = uniqueTopic('relayproc');
    const sender = await connectBroker(KAFKA_URL, { delay: { relay: false } });
    const pusher = await sender.pusher(topic, { partitions: 2 });
    expect(pusher.capabilities.delay.needsRelay).toBe(true);
    const sentAt = Date.now();
    const receipt = await pusher
      .sendWithKey('k', new Uint8Array([1]))
      .then(() => pusher.sendDelayAfter(new Uint8Array([2]), 2_000, { headers: { 'x-origin': 'test' } }));
    await sender.close(); // the sender exits; only the relay process is left
    const probe = await createKafkaProbe().subscribe(topic);
    try {
      const received = await probe.waitFor(2, 60_000);
      const delayed = received.find((m) => m.headers['ev-message-id'] === receipt.messageId)!;
      expect(delayed.receivedAt - sentAt).toBeGreaterThanOrEqual(2_000);
      expect(delayed.headers['x-origin']).toBe('test');
      expect(
        Object.keys(delayed.headers).filter(
          (name) => name.startsWith('ev-delay') || name === 'ev-deliver-at',
        ),
      ).toEqual([]);
    } finally {
      await probe.close();
    }
  }, 120_000);
});

const spawnRelay = () => spawn('node', [relayBin, '--broker', KAFKA_URL], { stdio: 'inherit' });

/** A relay process that owns the relay group (holds its partitions) when this resolves. */
async function startRelay(): Promise<ChildProcess> {
  const before = await relayMembers();
  const relay = spawnRelay();
  await waitForNewRelay(before);
  return relay;
}

describe('Kafka delay relay restarts', () => {
  it('delivers a delayed message when the relay is killed while it holds it and started again', async () => {
    const topic = uniqueTopic('relaykill');
    const sender = await connectBroker(KAFKA_URL, { delay: { relay: false } });
    const pusher = await sender.pusher(topic, { partitions: 2 });
    let relay = await startRelay();
    try {
      const sentAt = Date.now();
      const receipt = await pusher.sendDelayAfter(new Uint8Array([7]), 4_000);
      await sender.close();
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      relay.kill('SIGKILL'); // mid-hold: nothing committed for the message yet
      relay = await startRelay();
      const probe = await createKafkaProbe().subscribe(topic);
      try {
        const [message] = await probe.waitFor(1, 90_000);
        expect(message!.headers['ev-message-id']).toBe(receipt.messageId);
        expect(message!.receivedAt - sentAt).toBeGreaterThanOrEqual(4_000);
      } finally {
        await probe.close();
      }
    } finally {
      relay.kill('SIGTERM');
    }
  }, 150_000);

  it('delivers every delayed message when the relay is killed while it forwards a burst of them', async () => {
    const topic = uniqueTopic('relayburst');
    const burst = 5_000;
    const sender = await connectBroker(KAFKA_URL, { delay: { relay: false } });
    const pusher = await sender.pusher(topic, { partitions: 4 });
    let relay = await startRelay();
    const probe = await createKafkaProbe().subscribe(topic);
    try {
      // All due at about the same moment: the relay forwards thousands at once.
      const receipts = await Promise.all(
        Array.from({ length: burst }, (_, i) =>
          pusher.sendDelayAfter(new TextEncoder().encode(`burst ${i}`), 3_000),
        ),
      );
      await sender.close();
      const deadline = Date.now() + 60_000;
      while (probe.messages.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
      relay.kill('SIGKILL'); // forwarding has begun; forwarded offsets are committed only every second
      const forwardedBeforeKill = probe.messages.length;
      relay = spawnRelay(); // not awaited: it takes over once the killed one's session has ended
      const found = await reconcile(probe, new Set(receipts.map((r) => r.messageId)), 90_000);
      reportReliability(KAFKA_UNDER_TEST, 'relay SIGKILL mid-forward', {
        delayed: burst,
        seenWhenKilled: forwardedBeforeKill,
        lost: found.lost.length,
        duplicates: found.duplicates,
      });
      expect(found.lost).toEqual([]);
    } finally {
      relay.kill('SIGTERM');
      await probe.close();
    }
  }, 180_000);
});

describe('Kafka connection failures', () => {
  it('fails with a typed error within the connect timeout when nothing listens', async () => {
    const startedAt = Date.now();
    const error = await connectBroker(withTestClient('kafka://127.0.0.1:1'), {
      connectTimeoutMs: 1_000,
      delay: { relay: false },
    }).catch((e: unknown) => e);
    // A bound on a failure path, not a speed figure: "within the timeout", with room for a busy machine.
    expect(Date.now() - startedAt).toBeLessThan(1_000 + 10_000);
    expect(error).toBeInstanceOf(BrokerUnavailableError);
    expect((error as Error).message).toContain('127.0.0.1:1');
  }, 60_000);

  it('never echoes SASL credentials', async () => {
    const error = await connectBroker(withTestClient('kafka://svc:Hunter2Secret@127.0.0.1:9092'), {
      delay: { relay: false },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(JSON.stringify(error, Object.getOwnPropertyNames(error))).not.toContain('Hunter2Secret');
    expect(String((error as Error).message)).not.toContain('svc:');
  }, 60_000);
});

describe('Kafka URLs', () => {
  it('refuse an unsupported SASL mechanism, a bad address or another scheme before contacting anyone', async () => {
    await expect(connectBroker('kafka://u:p@127.0.0.1:9092?mechanism=md5')).rejects.toThrow(
      "the URL's SASL mechanism must be one of plain, scram-sha-256, scram-sha-512",
    );
    await expect(connectBroker('kafka://127.0.0.1:99999')).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(connectBroker('amqp://127.0.0.1:9092')).rejects.toThrow(
      'a kafka URL starts with kafka: or kafka+ssl:',
    );
  });
});

describe('Kafka delay relay and new topics', () => {
  it('delivers to a topic created just before its delayed messages fall due', async () => {
    const connection = await connectBroker(KAFKA_URL);
    try {
      // The relay has just listed the topics; a topic created right after must still receive.
      const warmup = await connection.pusher(uniqueTopic('warm'));
      await warmup.sendDelayAfter(new Uint8Array([0]), 50);
      const topic = uniqueTopic('fresh');
      const pusher = await connection.pusher(topic, { partitions: 2 });
      const sends = await Promise.all(
        Array.from({ length: 20 }, (_, i) => pusher.sendDelayAfter(new Uint8Array([i]), 100 + i * 10)),
      );
      const probe = await createKafkaProbe().subscribe(topic);
      try {
        const received = await probe.waitFor(20, 30_000);
        expect(new Set(received.map((m) => m.headers['ev-message-id']))).toEqual(
          new Set(sends.map((s) => s.messageId)),
        );
      } finally {
        await probe.close();
      }
    } finally {
      await connection.close();
    }
  }, 60_000);
});

describe('Kafka options', () => {
  it('are checked at connect, before any broker is contacted, naming the option', async () => {
    const refusals: Array<[Promise<unknown>, string]> = [
      // @ts-expect-error `conectTimeoutMs` is misspelt
      [connectBroker(KAFKA_URL, { conectTimeoutMs: 5 }), 'unknown option "conectTimeoutMs"'],
      // @ts-expect-error `relays` is not a delay option
      [connectBroker(KAFKA_URL, { delay: { relays: false } }), 'unknown option "delay.relays"'],
      [connectBroker(KAFKA_URL, { maxPayloadBytes: 0 }), 'option maxPayloadBytes'],
      [connectBroker(KAFKA_URL, { connectTimeoutMs: -5 }), 'option connectTimeoutMs'],
      [connectBroker(KAFKA_URL, { delay: { partitions: 1.5 } }), 'option delay.partitions'],
    ];
    for (const [attempt, text] of refusals) {
      const error = await attempt.catch((e: unknown) => e);
      expect(error, text).toBeInstanceOf(InvalidArgumentError);
      expect((error as Error).message, text).toContain(text);
    }
  });
});

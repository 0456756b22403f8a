import { randomUUID } from 'node:crypto';
import { silentLogger } from '@ev/core';
import { uniqueTopic } from '@ev/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ClientFailure } from '../src/client/failure.js';
import { loadClient, nodeRunsPlatformatic } from '../src/client/load.js';
import type {
  AdminPort,
  FetchedBatch,
  GroupConsumerHandlers,
  GroupConsumerPort,
  KafkaClient,
  ProducerPort,
  RecordHeaders,
} from '../src/client/port.js';
import { assertKafkaReachable, KAFKA_CLIENT, TEST_CONFIG, testClient } from './broker.js';

const CONSUMER_OPTIONS = { fetchWaitMs: 50, sessionTimeoutMs: 10_000, partitionsInParallel: 4 };
const ARRIVAL_TIMEOUT_MS = 30_000;

let client: KafkaClient;
let admin: AdminPort;
let producer: ProducerPort;
const consumers: GroupConsumerPort[] = [];
/** Opens the tests' gates: a failed test must not leave a consumer waiting on its batch forever. */
const openGates: Array<() => void> = [];

beforeAll(async () => {
  await assertKafkaReachable();
  client = await testClient();
  admin = client.admin();
  await admin.connect();
  producer = client.producer();
  await producer.connect();
});

afterEach(async () => {
  for (const open of openGates.splice(0)) open();
  await Promise.all(consumers.splice(0).map((consumer) => consumer.disconnect()));
});

afterAll(async () => {
  await producer?.disconnect();
  await admin?.disconnect();
});

async function waitFor(
  condition: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = ARRIVAL_TIMEOUT_MS,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** A new topic whose partitions all have a leader. */
async function createTopic(partitions: number): Promise<string> {
  const topic = uniqueTopic('group-consumer');
  await admin.createTopics([topic], partitions);
  await waitFor(async () => {
    const leaders = (await admin.partitionLeaders([topic]).catch(() => undefined))?.get(topic) ?? [];
    return leaders.length === partitions && leaders.every((leader) => leader >= 0);
  }, `leaders of ${topic}`);
  return topic;
}

async function produce(
  topic: string,
  partition: number,
  count: number,
  headers: RecordHeaders = {},
  key?: string,
): Promise<void> {
  const records = Array.from({ length: count }, (_, index) => ({
    topic,
    partition,
    key,
    value: Buffer.from(`p${partition}-${index}`),
    headers,
  }));
  await producer.send(records);
}

/** What a consumer was given: its batches in order, its joins and failures. */
class Recorder {
  readonly batches: FetchedBatch[] = [];
  joins = 0;
  readonly failures: unknown[] = [];

  constructor(
    /** Handles a batch; by default resolves every message. */
    private readonly handle: (batch: FetchedBatch) => Promise<void> | void = resolveAll,
  ) {}

  readonly handlers: GroupConsumerHandlers = {
    onBatch: async (batch) => {
      this.batches.push(batch);
      await this.handle(batch);
    },
    onGroupJoin: () => {
      this.joins++;
    },
    onFailure: (error) => {
      this.failures.push(error);
    },
  };

  /** Every offset given of a partition, in the order given, from batch `from` on. */
  offsets(partition: number, from = 0): string[] {
    return this.batches
      .slice(from)
      .filter((batch) => batch.partition === partition)
      .flatMap((batch) => batch.messages.map((message) => message.offset));
  }
}

function resolveAll(batch: FetchedBatch): void {
  for (const message of batch.messages) batch.resolveOffset(message.offset);
}

function newGroup(): string {
  return `ev-test-group-consumer-${randomUUID()}`;
}

async function startConsumer(
  groupId: string,
  topic: string,
  recorder: Recorder,
  options: Partial<typeof CONSUMER_OPTIONS> = {},
): Promise<GroupConsumerPort> {
  const consumer = client.groupConsumer({ groupId, topics: [topic], ...CONSUMER_OPTIONS, ...options });
  consumers.push(consumer);
  await consumer.run(recorder.handlers);
  return consumer;
}

// The port's contract, whichever library KAFKA_CLIENT names: what the delay relay relies on.
describe(`group consumer (${KAFKA_CLIENT})`, () => {
  it('consumes every partition from its earliest message when the group committed nothing', async () => {
    const topic = await createTopic(2);
    await produce(topic, 0, 3, { single: 'one', repeated: ['a', 'b'] }, 'key-0');
    await produce(topic, 1, 2);
    const recorder = new Recorder();
    await startConsumer(newGroup(), topic, recorder);

    await waitFor(
      () => recorder.offsets(0).length >= 3 && recorder.offsets(1).length >= 2,
      'all five messages',
    );
    expect(recorder.offsets(0)).toEqual(['0', '1', '2']);
    expect(recorder.offsets(1)).toEqual(['0', '1']);
    expect(recorder.joins).toBeGreaterThanOrEqual(1);
    expect(recorder.failures).toEqual([]);

    const first = recorder.batches.find((batch) => batch.partition === 0)!;
    expect(first.topic).toBe(topic);
    const message = first.messages[0]!;
    expect(message.key).toEqual(Buffer.from('key-0'));
    expect(message.value).toEqual(Buffer.from('p0-0'));
    expect(Buffer.from(message.headers.single as Buffer).toString()).toBe('one');
    const repeated = message.headers.repeated as Buffer[];
    expect(repeated.map((value) => Buffer.from(value).toString())).toEqual(['a', 'b']);
    const unkeyed = recorder.batches.find((batch) => batch.partition === 1)!.messages[0]!;
    expect(unkeyed.key).toBeNull();
    expect(unkeyed.headers).toEqual({});
  });

  it('starts a new member of the group at the committed offsets', async () => {
    const topic = await createTopic(2);
    await produce(topic, 0, 4);
    await produce(topic, 1, 2);
    const groupId = newGroup();
    const before = new Recorder();
    const first = await startConsumer(groupId, topic, before);
    await waitFor(() => before.offsets(0).length >= 4 && before.offsets(1).length >= 2, 'all six messages');
    // The next offset to read, as Kafka takes it; partition 1 commits nothing.
    await first.commit([{ topic, partition: 0, offset: '2' }]);
    await first.disconnect();

    const after = new Recorder();
    await startConsumer(groupId, topic, after);
    await waitFor(
      () => after.offsets(0).length >= 2 && after.offsets(1).length >= 2,
      'the uncommitted messages',
    );
    expect(after.offsets(0)).toEqual(['2', '3']);
    expect(after.offsets(1)).toEqual(['0', '1']);
  });

  it('stops fetching a paused partition from its first unresolved message while others flow, until resumed', async () => {
    const topic = await createTopic(2);
    await produce(topic, 0, 4);
    await produce(topic, 1, 1);
    let resume: (() => void) | undefined;
    let batchesWhenPaused = 0;
    const recorder = new Recorder((batch) => {
      if (batch.partition !== 0 || resume) return resolveAll(batch);
      for (const message of batch.messages) {
        if (message.offset === '2') {
          resume = batch.pause();
          batchesWhenPaused = recorder.batches.length;
          return;
        }
        batch.resolveOffset(message.offset);
      }
    });
    await startConsumer(newGroup(), topic, recorder);
    await waitFor(() => resume !== undefined && recorder.offsets(1).length >= 1, 'the pause');

    // Partition 1 goes on while partition 0 waits.
    await produce(topic, 1, 2);
    await waitFor(() => recorder.offsets(1).length >= 3, 'partition 1 after the pause');
    expect(recorder.offsets(1)).toEqual(['0', '1', '2']);
    expect(recorder.offsets(0, batchesWhenPaused)).toEqual([]);

    resume!();
    await waitFor(() => recorder.offsets(0, batchesWhenPaused).length >= 2, 'partition 0 after resume');
    expect(recorder.offsets(0, batchesWhenPaused)).toEqual(['2', '3']);
    // Resuming twice, or after the consumer is gone, is harmless.
    resume!();
    await consumers.pop()!.disconnect();
    resume!();
  });

  it('calls onGroupJoin on a rebalance, and fetches what was not committed again', async () => {
    const topic = await createTopic(2);
    await produce(topic, 0, 2);
    await produce(topic, 1, 2);
    const groupId = newGroup();
    const first = new Recorder();
    await startConsumer(groupId, topic, first);
    await waitFor(() => first.offsets(0).length >= 2 && first.offsets(1).length >= 2, 'the first member');
    const joinsBefore = first.joins;
    const batchesBefore = first.batches.length;

    const second = new Recorder();
    await startConsumer(groupId, topic, second);
    await waitFor(() => first.joins > joinsBefore && second.joins >= 1, 'both members in the new generation');
    // Nothing was committed: the partitions start again from their earliest messages, whoever owns them.
    const refetched = (partition: number) => [
      ...first.offsets(partition, batchesBefore),
      ...second.offsets(partition),
    ];
    await waitFor(
      () => refetched(0).includes('0') && refetched(1).includes('0'),
      'both partitions again from offset 0',
    );
    expect(first.failures).toEqual([]);
    expect(second.failures).toEqual([]);
  });

  // A rolling switch from one client to the other runs relays on both in one group for a while.
  it.skipIf(!nodeRunsPlatformatic())('shares its group with a member on the other client', async () => {
    const topic = await createTopic(2);
    await produce(topic, 0, 2);
    await produce(topic, 1, 2);
    const groupId = newGroup();
    const first = new Recorder();
    await startConsumer(groupId, topic, first);
    await waitFor(() => first.offsets(0).length >= 2 && first.offsets(1).length >= 2, 'the first member');
    const batchesBefore = first.batches.length;

    const otherClient = await loadClient(
      KAFKA_CLIENT === 'kafkajs' ? 'platformatic' : 'kafkajs',
      TEST_CONFIG,
    );
    const other = otherClient.groupConsumer({ groupId, topics: [topic], ...CONSUMER_OPTIONS });
    consumers.push(other);
    const second = new Recorder();
    await other.run(second.handlers);
    // Round robin over two members: each gets one partition, from its earliest message again.
    await waitFor(
      () => second.batches.length > 0 && first.batches.length > batchesBefore,
      'a partition for each member',
    );
    expect(new Set(second.batches.map((batch) => batch.partition)).size).toBe(1);
    expect(first.failures).toEqual([]);
    expect(second.failures).toEqual([]);
  });

  it("gives a partition's next batch only once onBatch settled", async () => {
    const topic = await createTopic(1);
    await produce(topic, 0, 1);
    const gate = opened();
    const recorder = new Recorder(async (batch) => {
      if (batch.messages[0]!.offset === '0') await gate.promise;
      resolveAll(batch);
    });
    await startConsumer(newGroup(), topic, recorder);
    await waitFor(() => recorder.offsets(0).length >= 1, 'the first batch');
    await produce(topic, 0, 2);
    // Many fetches' time: a consumer that did not wait for onBatch would have given the new messages.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(recorder.offsets(0)).toEqual(['0']);

    gate.open();
    await waitFor(() => recorder.offsets(0).length >= 3, 'the messages after the batch settled');
    expect(recorder.offsets(0)).toEqual(['0', '1', '2']);
  });

  it('stays in its group while idle longer than the session timeout', async () => {
    const topic = await createTopic(1);
    await produce(topic, 0, 1);
    const recorder = new Recorder();
    // The broker's least session timeout by default.
    const sessionTimeoutMs = 6_000;
    await startConsumer(newGroup(), topic, recorder, { sessionTimeoutMs });
    await waitFor(() => recorder.offsets(0).length >= 1, 'the first message');
    const joins = recorder.joins;

    await new Promise((resolve) => setTimeout(resolve, sessionTimeoutMs + 2_000));
    await produce(topic, 0, 1);
    await waitFor(() => recorder.offsets(0).length >= 2, 'a message after the idle time');
    expect(recorder.offsets(0)).toEqual(['0', '1']);
    expect(recorder.joins).toBe(joins);
  }, 60_000);

  it('lets the batch in hand finish before disconnecting, once however often it is called', async () => {
    const topic = await createTopic(1);
    await produce(topic, 0, 2);
    const gate = opened();
    const recorder = new Recorder(async (batch) => {
      await gate.promise;
      resolveAll(batch);
    });
    const consumer = await startConsumer(newGroup(), topic, recorder);
    await waitFor(() => recorder.batches.length >= 1, 'the first batch');
    const batch = recorder.batches[0]!;
    expect(batch.isCurrent()).toBe(true);

    let disconnected = false;
    const disconnecting = [consumer.disconnect(), consumer.disconnect()];
    void Promise.all(disconnecting).then(() => {
      disconnected = true;
    });
    await waitFor(() => !batch.isCurrent(), 'the batch no longer current');
    expect(disconnected).toBe(false);

    gate.open();
    await withDeadline(Promise.all(disconnecting), ARRIVAL_TIMEOUT_MS, 'disconnect');
    await withDeadline(consumer.disconnect(), ARRIVAL_TIMEOUT_MS, 'a disconnect after the first');
    expect(recorder.batches).toHaveLength(1);
    expect(recorder.failures).toEqual([]);
  });

  it('fails to run with a ClientFailure when no broker answers, and still disconnects', async () => {
    const unreachable = await loadClient(KAFKA_CLIENT, {
      clientId: 'ev-test-unreachable',
      // Nothing listens on port 1: every connection is refused at once.
      brokers: ['127.0.0.1:1'],
      tls: false,
      sasl: undefined,
      connectTimeoutMs: 1_000,
      requestTimeoutMs: 2_000,
      logger: silentLogger,
    });
    const consumer = unreachable.groupConsumer({
      groupId: newGroup(),
      topics: ['ev-test-none'],
      ...CONSUMER_OPTIONS,
    });
    const recorder = new Recorder();
    const running = consumer.run(recorder.handlers);
    await expect(running).rejects.toBeInstanceOf(ClientFailure);
    await withDeadline(Promise.all([consumer.disconnect(), consumer.disconnect()]), 10_000, 'disconnect');
    expect(recorder.batches).toEqual([]);
  });

  it('disconnects a consumer that never ran', async () => {
    const consumer = client.groupConsumer({
      groupId: newGroup(),
      topics: ['ev-test-none'],
      ...CONSUMER_OPTIONS,
    });
    await withDeadline(consumer.disconnect(), 10_000, 'disconnect');
    await withDeadline(consumer.disconnect(), 10_000, 'a second disconnect');
  });
});

/** A promise the test settles when it chooses, or else afterEach does. */
function opened(): { promise: Promise<void>; open: () => void } {
  let open: () => void = () => {};
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  openGates.push(open);
  return { promise, open };
}

async function withDeadline<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

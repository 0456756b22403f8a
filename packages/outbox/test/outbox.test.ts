import {
  consoleLogger,
  createOrderEvent,
  createUserEvent,
  decodeEvent,
  EvError,
  type EventTypeName,
  EventTypes,
  HEADER_EVENT_TYPE,
} from '@ev/core';
import { MemoryBroker, type StoredMessage } from '@ev/memory';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OUTBOX_LANES, type OutboxRelay, startOutboxRelay } from '../src/index.js';
import { type DatabaseKind, openTestDatabase, type TestDatabase } from './databases.js';

const KINDS: DatabaseKind[] = ['pg', 'pg-poll', 'mysql', 'kysely-pg', 'kysely-mysql', 'pglite'];
const bytes = (text: string) => new TextEncoder().encode(text);
const text = (payload: Uint8Array) => new TextDecoder().decode(payload);

async function waitUntil(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = 15_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe.each(KINDS)('outbox on %s', (kind) => {
  const broker = new MemoryBroker();
  let database: TestDatabase;
  let relay: OutboxRelay;
  let topicCount = 0;
  const newTopic = () => {
    const topic = `outbox-${kind}-${Date.now()}-${topicCount++}`;
    broker.createTopic(topic, 4);
    return topic;
  };
  const rowCount = async () =>
    Number((await database.sql(`SELECT COUNT(*) AS n FROM ${database.outbox.tables.outbox}`))[0]?.n);
  const startRelay = (relayId?: string) =>
    startOutboxRelay({
      store: database.outbox.relayStore(database.pool),
      broker: 'memory:',
      brokerOptions: { broker },
      leaseMs: 1_500,
      relayId,
      logger: process.env.EV_TEST_DEBUG ? consoleLogger({ debug: true }) : undefined,
    });

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    relay = await startRelay();
  });

  afterAll(async () => {
    await relay?.stop();
    await database?.close();
  });

  it('sends the events of a committed transaction, and none of a rolled-back one', async () => {
    const topic = newTopic();
    const committed = await database.transaction(async (tx) => {
      const users = createUserEvent(database.outbox.pusher(tx, topic), topic);
      const orders = createOrderEvent(database.outbox.pusher(tx, topic), topic);
      return Promise.all([
        users.sendSync(1n, 'login'),
        orders.sendNotify(7n, 1n, 'paid'),
        users.sendArchive(2n, 'x'),
      ]);
    });
    await database.transaction(async (tx) => {
      await createUserEvent(database.outbox.pusher(tx, topic), topic).sendSync(99n, 'rolled back');
    }, 'rollback');
    // A later commit on the same key: once it arrived, a rolled-back event would have too.
    const marker = await database.transaction((tx) =>
      createUserEvent(database.outbox.pusher(tx, topic), topic).sendSync(3n, 'marker'),
    );
    await waitUntil('the committed events arrive', () => broker.read(topic).length >= 4);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const received = broker.read(topic);
    expect(received.map((m) => m.messageId).sort()).toEqual(
      [...committed.map((receipt) => receipt.messageId), marker.messageId].sort(),
    );
    const decoded = received.map((m) =>
      decodeEvent(m.headers[HEADER_EVENT_TYPE] as EventTypeName, m.payload),
    );
    expect(decoded.map((event) => event.messageId)).toEqual(received.map((m) => m.messageId));
    expect(decoded.map((event) => event.type).sort()).toEqual(
      [
        EventTypes.OrderNotifyReq,
        EventTypes.UserArchiveReq,
        EventTypes.UserSyncReq,
        EventTypes.UserSyncReq,
      ].sort(),
    );
    expect(committed[0]?.partition).toBe(database.outbox.tables.outbox);
    await waitUntil('the forwarded rows are deleted', async () => (await rowCount()) === 0);
  });

  it('forwards each key in commit order across concurrent transactions', async () => {
    const topic = newTopic();
    const keys = ['a', 'b', 'c', 'd'];
    // Eight transactions at once, each writing 25 events per key, interleaved, not awaited one by one.
    await Promise.all(
      Array.from({ length: 8 }, (_, txIndex) =>
        database.transaction(async (tx) => {
          const pusher = database.outbox.pusher(tx, topic);
          const sends = [];
          for (let seq = 0; seq < 25; seq++) {
            for (const key of keys) sends.push(pusher.sendWithKey(key, bytes(`${txIndex}:${seq}`)));
          }
          await Promise.all(sends);
        }),
      ),
    );
    await waitUntil('800 events arrive', () => broker.read(topic).length >= 800, 30_000);
    for (const key of keys) {
      const sequence = broker
        .read(topic)
        .filter((m) => m.key === key)
        .map((m) => text(m.payload).split(':').map(Number) as [number, number]);
      // Each transaction's events are contiguous (a later transaction of the key waited for its commit)
      // and in call order.
      const transactions = sequence.map(([tx]) => tx).filter((tx, i, all) => i === 0 || all[i - 1] !== tx);
      expect(new Set(transactions).size, `key ${key}: one run per transaction`).toBe(transactions.length);
      for (const tx of transactions) {
        const seqs = sequence.filter(([t]) => t === tx).map(([, seq]) => seq);
        expect(seqs, `key ${key}, transaction ${tx}`).toEqual(Array.from({ length: 25 }, (_, i) => i));
      }
    }
  }, 60_000);

  it('holds a delayed event in the table until it is due', async () => {
    const topic = newTopic();
    const sentAt = Date.now();
    await database.transaction((tx) =>
      database.outbox.pusher(tx, topic).sendDelayAfter(bytes('later'), 1_200),
    );
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(broker.read(topic)).toEqual([]);
    expect(await rowCount()).toBe(1);
    await waitUntil('the delayed event arrives', () => broker.read(topic).length === 1);
    expect((broker.read(topic)[0] as StoredMessage).timestamp - sentAt).toBeGreaterThanOrEqual(1_200);
  });

  it('refuses bad input before writing anything to the table', async () => {
    const topic = newTopic();
    const outcomes = await database.transaction(async (tx) => {
      const pusher = database.outbox.pusher(tx, topic);
      return Promise.allSettled([
        pusher.sendDelayAfter(bytes('x'), -1),
        pusher.sendDelayAfter(bytes('x'), database.outbox.maxDelayMs + 1),
        pusher.sendWithKey('', bytes('x')),
        pusher.sendWithKey('k'.repeat(64), bytes('x')),
        pusher.send('text' as unknown as Uint8Array),
        pusher.send(new Uint8Array(database.outbox.limits.payload.maxBytes + 1)),
        pusher.send(bytes('x'), { headers: { 'ev-message-id': 'mine' } }),
        pusher.send(bytes('x'), { headers: { 'x-line': 'a\nb' } }),
        createUserEvent(pusher, topic).sendSync(2 ** 53 + 2, 'unsafe'),
      ]);
    });
    for (const outcome of outcomes) {
      expect(outcome.status).toBe('rejected');
      expect((outcome as PromiseRejectedResult).reason).toBeInstanceOf(EvError);
    }
    expect(() => database.outbox.pusher(database.pool, 'bad topic!')).toThrow(/invalid topic name/);
    expect(await rowCount()).toBe(0);
  });

  it('parks a row the broker refuses for good, with its error, and other rows still flow', async () => {
    const topic = newTopic();
    const { outbox } = database.outbox.tables;
    // A row no pusher would write (the memory broker refuses the topic name), as if an older version had.
    await database.sql(
      `INSERT INTO ${outbox} (lane, topic, message_id, headers, payload, available_at)
       VALUES (3, 'no such topic!', 'parked-1', '{}', ${kind.endsWith('mysql') ? "X'01'" : "'\\x01'"}, ${kind.endsWith('mysql') ? 'UTC_TIMESTAMP(3)' : 'now()'})`,
    );
    await database.transaction((tx) => database.outbox.pusher(tx, topic).sendWithKey('k', bytes('after')));
    await waitUntil('the good row arrives', () => broker.read(topic).length === 1);
    await waitUntil('the refused row is parked', () => relay.stats.parked >= 1);
    const parked = await database.sql(`SELECT message_id, last_error, parked_at FROM ${outbox}`);
    expect(parked).toHaveLength(1);
    expect(parked[0]?.message_id).toBe('parked-1');
    expect(String(parked[0]?.last_error)).toMatch(/topic/);
    expect(parked[0]?.parked_at).not.toBeNull();
    expect(relay.stats.parked).toBeGreaterThanOrEqual(1);
    await database.sql(`DELETE FROM ${outbox}`);
  });

  it('records message ids in the inbox: a duplicate is told, a rolled-back record is not kept', async () => {
    const inbox = database.outbox.inbox('billing');
    expect(await database.transaction((tx) => inbox.receive(tx, 'm-1'))).toBe(true);
    expect(await database.transaction((tx) => inbox.receive(tx, 'm-1'))).toBe(false);
    expect(await database.transaction((tx) => database.outbox.inbox('audit').receive(tx, 'm-1'))).toBe(true);
    await database.transaction((tx) => inbox.receive(tx, 'm-2'), 'rollback');
    expect(await database.transaction((tx) => inbox.receive(tx, 'm-2'))).toBe(true);
    await expect(inbox.receive(database.pool, '')).rejects.toThrow(/messageId/);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await inbox.prune(database.pool, { olderThanMs: 0 })).toBe(3);
    expect(await database.transaction((tx) => inbox.receive(tx, 'm-1'))).toBe(true);
  });

  it.runIf(kind === 'pg' || kind === 'pg-poll')('notifies relays at commit only when asked to', async () => {
    const triggers = await database.sql(
      `SELECT tgname FROM pg_trigger WHERE tgrelid = '${database.outbox.tables.outbox}'::regclass AND NOT tgisinternal`,
    );
    expect(triggers.map((row) => row.tgname)).toEqual(
      kind === 'pg' ? [`${database.outbox.tables.outbox}_notify`] : [],
    );
  });

  it.runIf(kind === 'pg')('forwards a key in commit order when a transaction commits late', async () => {
    // Tables and a relay of this test's own, whose first read that finds rows is held until the test
    // has committed more: the read saw B alone, while A-first (a lower id) committed after it.
    const own = await openTestDatabase('pg');
    const store = own.outbox.relayStore(own.pool);
    const fetchDue = store.fetchDue;
    let readSawRows = (): void => {};
    const readHeld = new Promise<void>((resolve) => (readSawRows = resolve));
    let release = (): void => {};
    const released = new Promise<void>((resolve) => (release = resolve));
    store.fetchDue = async (...args) => {
      const rows = await fetchDue(...args);
      if (rows.length > 0 && readSawRows) {
        readSawRows();
        readSawRows = () => {};
        await released;
      }
      return rows;
    };
    const heldRelay = await startOutboxRelay({ store, broker: 'memory:', brokerOptions: { broker } });
    const topic = newTopic();
    try {
      let commitFirst = (): void => {};
      const first = own.transaction(async (tx) => {
        await own.outbox.pusher(tx, topic).sendWithKey('A', bytes('A-first'));
        await new Promise<void>((resolve) => (commitFirst = resolve));
      });
      await new Promise((resolve) => setTimeout(resolve, 50));
      await own.transaction((tx) => own.outbox.pusher(tx, topic).sendWithKey('B', bytes('B')));
      await readHeld;
      commitFirst();
      await first;
      await own.transaction((tx) => own.outbox.pusher(tx, topic).sendWithKey('A', bytes('A-second')));
      release();
      await waitUntil('three events arrive', () => broker.read(topic).length === 3);
      const keyA = broker.read(topic).filter((m) => m.key === 'A');
      expect(keyA.map((m) => text(m.payload))).toEqual(['A-first', 'A-second']);
    } finally {
      release();
      await heldRelay.stop();
      await own.close();
    }
  });

  if (kind !== 'pg' && kind !== 'mysql') return;

  it('shares the lanes between relays, keeps key order across them, and takes a stopped one over', async () => {
    const second = await startRelay('second-relay');
    try {
      await waitUntil(
        'two relays split the lanes',
        () => relay.lanes.length === OUTBOX_LANES / 2 && second.lanes.length === OUTBOX_LANES / 2,
      );
      expect(new Set([...relay.lanes, ...second.lanes]).size).toBe(OUTBOX_LANES);
      const topic = newTopic();
      const keys = Array.from({ length: 16 }, (_, i) => `key-${i}`);
      const writing = (async () => {
        for (let round = 0; round < 10; round++) {
          await database.transaction(async (tx) => {
            const pusher = database.outbox.pusher(tx, topic);
            await Promise.all(keys.map((key) => pusher.sendWithKey(key, bytes(String(round)))));
          });
          // Both relays forward the first rounds; the rest goes through the first alone.
          if (round < 5)
            await waitUntil(`round ${round} arrives`, () => broker.read(topic).length === 16 * (round + 1));
          if (round === 5) await second.stop();
        }
      })();
      await writing;
      await waitUntil('160 events arrive', () => broker.read(topic).length >= 160, 30_000);
      expect(relay.lanes).toHaveLength(OUTBOX_LANES);
      for (const key of keys) {
        const rounds = broker
          .read(topic)
          .filter((m) => m.key === key)
          .map((m) => Number(text(m.payload)));
        expect(rounds, key).toEqual(Array.from({ length: 10 }, (_, i) => i));
      }
      expect(second.stats.forwarded).toBeGreaterThan(0);
    } finally {
      await second.stop();
    }
  }, 60_000);
});

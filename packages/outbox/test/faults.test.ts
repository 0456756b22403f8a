import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { connect } from '@ev/core';
import { runCommand } from '@ev/fault-kit';
import { type ProbeSubscription, type ReceivedMessage, uniqueTopic } from '@ev/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BROKER_TARGETS, type BrokerTarget, TEST_PARTITIONS } from './broker-targets.js';
import {
  type DatabaseKind,
  MYSQL_URL,
  openTestDatabase,
  POSTGRES_URL,
  type TestDatabase,
} from './databases.js';

const RELAY_BIN = fileURLToPath(new URL('../dist/bin/relay.js', import.meta.url));
const BROKERS_CLI = fileURLToPath(new URL('../../../scripts/brokers/cli.mjs', import.meta.url));
const KEYS = Array.from({ length: 10 }, (_, i) => `k${i}`);
const LEASE_MS = 3_000;
const bytes = (text: string) => new TextEncoder().encode(text);
const text = (payload: Uint8Array) => new TextDecoder().decode(payload);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type Fault = 'relay is SIGKILLed' | 'database crashes' | 'broker is SIGKILLed';

/** The relay as an application runs it: the `ev-outbox-relay` command, in a process of its own. */
function startRelayProcess(databaseUrl: string, brokerUrl: string, table: string): ChildProcess {
  const args = [RELAY_BIN, '--database', databaseUrl, '--broker', brokerUrl, '--table', table];
  args.push('--lease-ms', String(LEASE_MS), '--partitions', String(TEST_PARTITIONS));
  const relay = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  // Warnings while the fault lasts: expected, not asserted.
  relay.stderr?.on('data', (chunk) => {
    if (process.env.EV_TEST_DEBUG) process.stderr.write(chunk);
  });
  return relay;
}

async function stopRelayProcess(relay: ChildProcess): Promise<void> {
  if (relay.exitCode !== null || relay.signalCode !== null) return;
  const exited = new Promise((resolve) => relay.once('exit', resolve));
  relay.kill('SIGTERM');
  await Promise.race([exited, sleep(15_000).then(() => relay.kill('SIGKILL'))]);
}

/** Commits transactions of ten keyed events until stopped; a commit that failed is "uncertain". */
class Writer {
  readonly committed: string[] = [];
  readonly uncertain = new Set<string>();
  private stopped = false;
  private running: Promise<void> | undefined;

  constructor(
    private readonly database: TestDatabase,
    private readonly topic: string,
  ) {}

  start(): void {
    this.running = this.loop();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.running;
  }

  private async loop(): Promise<void> {
    for (let tx = 0; !this.stopped; tx++) {
      const ids: string[] = [];
      try {
        await this.database.transaction(async (db) => {
          const pusher = this.database.outbox.pusher(db, this.topic);
          const receipts = await Promise.all(KEYS.map((key) => pusher.sendWithKey(key, bytes(`${tx}`))));
          ids.push(...receipts.map((receipt) => receipt.messageId));
        });
        this.committed.push(...ids);
      } catch {
        // The database went away: rows written before the failure may or may not have committed.
        for (const id of ids) this.uncertain.add(id);
        await sleep(200);
      }
    }
  }
}

function idsOf(messages: readonly ReceivedMessage[]): Set<string> {
  return new Set(messages.map((m) => m.headers['ev-message-id'] as string));
}

/** Waits until every committed id arrived, or the time is up; resolves with the ids seen. */
async function waitForArrivals(
  probe: ProbeSubscription,
  committed: ReadonlySet<string>,
  timeoutMs: number,
): Promise<Set<string>> {
  const deadline = Date.now() + timeoutMs;
  let seen = idsOf(probe.messages);
  while ([...committed].some((id) => !seen.has(id)) && Date.now() < deadline) {
    await sleep(250);
    seen = idsOf(probe.messages);
  }
  return seen;
}

/** The consumer's side: each message through the inbox, in a transaction of its own; counts duplicates. */
async function duplicatesToldByInbox(
  database: TestDatabase,
  topic: string,
  messages: readonly ReceivedMessage[],
): Promise<number> {
  const inbox = database.outbox.inbox(`consumer-${topic}`);
  let duplicates = 0;
  for (const message of messages) {
    const id = message.headers['ev-message-id'] as string;
    if (!(await database.transaction((db) => inbox.receive(db, id)))) duplicates++;
  }
  return duplicates;
}

/** The transaction numbers of a key's messages, each id counted at its first arrival only. */
function firstArrivals(messages: readonly ReceivedMessage[]): number[] {
  const counted = new Set<string>();
  const firsts: number[] = [];
  for (const message of messages) {
    const id = message.headers['ev-message-id'] as string;
    if (counted.has(id)) continue;
    counted.add(id);
    firsts.push(Number(text(message.payload)));
  }
  return firsts;
}

const SCENARIOS: { kind: DatabaseKind; broker: string; faults: Fault[] }[] = [
  { kind: 'pg', broker: 'kafka', faults: ['relay is SIGKILLed', 'database crashes', 'broker is SIGKILLed'] },
  {
    kind: 'mysql',
    broker: 'rabbitmq',
    faults: ['relay is SIGKILLed', 'database crashes', 'broker is SIGKILLed'],
  },
];

describe.each(SCENARIOS)('outbox faults: $kind to $broker', ({ kind, broker, faults }) => {
  const target = BROKER_TARGETS.find((candidate) => candidate.name === broker) as BrokerTarget;
  const databaseUrl = kind === 'pg' ? POSTGRES_URL : MYSQL_URL;
  let database: TestDatabase;

  beforeAll(async () => {
    await target.assertReachable();
    database = await openTestDatabase(kind);
  }, 120_000);

  afterAll(async () => {
    await database?.close();
  });

  it.each(faults)(
    'loses no committed event when the %s, and the inbox tells the duplicates',
    async (fault) => {
      const topic = uniqueTopic(`outbox-fault-${kind}`);
      // The topic exists before the first row goes out, so the probe can read it from its start.
      const connection = await connect(target.url, target.connectOptions ?? {});
      await (await connection.pusher(topic, { partitions: TEST_PARTITIONS })).close();
      await connection.close();
      const table = database.outbox.tables.outbox;
      let relay = startRelayProcess(databaseUrl, target.url, table);
      const writer = new Writer(database, topic);
      let probe: ProbeSubscription | undefined;
      const faultStartedAt = Date.now();
      try {
        writer.start();
        await sleep(1_500);
        if (fault === 'relay is SIGKILLed') {
          relay.kill('SIGKILL');
          // A new relay takes the lanes over once the killed one's lease ran out.
          relay = startRelayProcess(databaseUrl, target.url, table);
        } else if (fault === 'database crashes') {
          await runCommand(process.execPath, [BROKERS_CLI, 'crash', kind === 'pg' ? 'postgres' : 'mariadb']);
        } else {
          await target.crash([topic]);
        }
        await sleep(2_000);
        await writer.stop();

        // Read from the topic's start only now: a reader connected during the fault would lose its
        // connection with the broker, not the broker its messages.
        probe = await target.probe.subscribe(topic);
        const committed = new Set(writer.committed);
        const seen = await waitForArrivals(probe, committed, 180_000);
        const allArrivedMs = Date.now() - faultStartedAt;
        await sleep(1_000);
        const duplicates = await duplicatesToldByInbox(database, topic, probe.messages);

        const lost = [...committed].filter((id) => !seen.has(id));
        const unexpected = [...seen].filter((id) => !committed.has(id) && !writer.uncertain.has(id));
        const figures = {
          committed: committed.size,
          lost: lost.length,
          received: probe.messages.length,
          duplicates,
          uncertainCommits: writer.uncertain.size,
          allArrivedMs,
        };
        console.log(`[reliability] outbox ${kind}→${broker} ${fault} ${JSON.stringify(figures)}`);
        expect(lost, 'committed events that never arrived').toEqual([]);
        expect(unexpected, 'events of no committed transaction').toEqual([]);
        expect(duplicates).toBe(probe.messages.length - idsOf(probe.messages).size);
        for (const key of KEYS) {
          const firsts = firstArrivals(probe.messages.filter((m) => m.key === key));
          const overtaken = firsts.findIndex((tx, i) => i > 0 && tx < (firsts[i - 1] as number));
          expect(
            overtaken < 0 ? [] : firsts.slice(Math.max(0, overtaken - 3), overtaken + 1),
            `key ${key}: an event arrived first after a later one (transactions around it)`,
          ).toEqual([]);
        }
      } finally {
        await writer.stop();
        await stopRelayProcess(relay);
        await probe?.close();
        await target.cleanUp([topic]);
      }
    },
    420_000,
  );
});

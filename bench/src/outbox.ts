// pnpm bench outbox: the transactional outbox on PostgreSQL and MariaDB, forwarding to Kafka and to
// RabbitMQ through a relay in this process, side by side with the broker's own pusher:
// - the direct pusher at 1000 callers (the reference, as in the broker's own bench);
// - the database alone: the same INSERT into a copy of the outbox table, as the ceiling for the next;
// - end to end, from COMMIT acknowledged to a plain consumer of the topic receiving the message, under a
//   light load (20 transactions a second), one transaction at a time, and with 100 callers, each
//   transaction writing one ~200-byte event;
// - the relay draining a backlog committed while it was stopped, timed from its start until it reports
//   every row forwarded, with where its time goes (its store wrapped with timers);
// - RabbitMQ only: the broker stalled while transactions keep committing (see outbox-stall.ts).
import { startOutboxRelay } from '@ev/outbox';
import { eventBody, type LoadResult, percentile, runLoad, withPeakRss } from './measure.js';
import { APP_CONNECTIONS, type BenchDatabase, openMariaDB, openPostgres } from './outbox-db.js';
import { RelayTimer, startRelay, TOPIC_OPTIONS, waitUntil } from './outbox-relay.js';
import type { OutboxDeleted, OutboxStallRun, RelayPhases } from './outbox-report.js';
import { brokerFaultAsync, measureOutboxStall, type StallFault } from './outbox-stall.js';
import { kafkaTarget, type OutboxTarget, rabbitmqTarget } from './outbox-targets.js';
import type { BrokerReport, Row } from './report.js';
import type { Scale } from './scale.js';

const progress = (line: string) => console.error(`[bench] outbox ${line}`);
/** Rows each transaction writes while the backlog is committed, and transactions at once. */
const BACKLOG_ROWS_PER_TRANSACTION = 500;
const BACKLOG_CALLERS = 20;
/** Transactions a second under light load. */
const LIGHT_LOAD_PER_SEC = 20;

/**
 * The outbox to Kafka, then to RabbitMQ with the stalled-broker stage unless `stall` is false (it freezes
 * a broker others may share for a minute). `done` gets each report as soon as it is made, so a failure in
 * a later stage keeps the earlier ones.
 */
export async function benchOutbox(
  scale: Scale,
  done: (report: BrokerReport) => void,
  stall = true,
): Promise<void> {
  const stamp = Date.now().toString(36);
  done(await benchTarget(await kafkaTarget(), scale, stamp));
  done(
    await benchTarget(
      await rabbitmqTarget(),
      scale,
      stamp,
      stall ? (what) => brokerFaultAsync('rabbitmq', what) : undefined,
    ),
  );
}

/** One broker's report; with `stall`, the stalled-broker stage on PostgreSQL, `stall` being the fault. */
export async function benchTarget(
  target: OutboxTarget,
  scale: Scale,
  stamp: string,
  stall?: StallFault,
): Promise<BrokerReport> {
  const rows: Row[] = [];
  const ratios: Record<string, number> = {};
  const deleted: OutboxDeleted[] = [];
  const phases: RelayPhases[] = [];
  let stallRuns: OutboxStallRun[] | undefined;
  const databases: string[] = [];
  try {
    progress(`→ ${target.name}: direct pusher at 1000 callers…`);
    const direct = await directReference(target, scale.concurrent);
    rows.push({ client: '@ev pusher', concurrency: 1000, load: direct, note: 'direct, the reference' });

    const e2eTopic = await target.newTopic('e2e');
    const drainTopic = await target.newTopic('drain');
    const probe = await target.probe(e2eTopic);
    try {
      for (const open of [openPostgres, openMariaDB]) {
        const db = await open(`bench_outbox_${target.name.slice(0, 2)}_${stamp}`);
        databases.push(`${db.name} ${db.version}`);
        try {
          // The database alone, as a ceiling for the transactions below.
          const alone1 = await runLoad(scale.outboxSequential, 1, (i) => db.insertAlone(i));
          const alone100 = await runLoad(scale.outboxConcurrent, 100, (i) => db.insertAlone(i));
          rows.push(
            { client: `${db.name} alone`, concurrency: 1, load: alone1, note: 'the same INSERT, no outbox' },
            {
              client: `${db.name} alone`,
              concurrency: 100,
              load: alone100,
              note: `the same INSERT, no outbox, ${APP_CONNECTIONS} connections`,
            },
          );
          for (const load of e2eLoads(scale)) {
            progress(`→ ${target.name}: ${db.name}, ${load.transactions} transactions, ${load.label}…`);
            const e2e = await endToEnd(db, target, e2eTopic, probe.arrivals, load);
            rows.push({
              client: `@ev outbox on ${db.name}`,
              concurrency: load.concurrency,
              load: e2e.load,
              note: load.note,
              ...(load.perSec && { paced: true }),
            });
            deleted.push({ database: db.name, concurrency: load.concurrency, ...e2e.deleted });
            if (load.concurrency === 100) {
              ratios[`commit → consumer@100 on ${db.name} / pusher@1000`] =
                e2e.load.msgsPerSec / direct.msgsPerSec;
              ratios[`commit → consumer@100 on ${db.name} / ${db.name} alone@100`] =
                e2e.load.msgsPerSec / alone100.msgsPerSec;
            }
          }
          progress(`→ ${target.name}: ${db.name}, relay drain of ${scale.outboxBacklog} rows…`);
          const drained = await drain(db, target, drainTopic, scale.outboxBacklog);
          rows.push({
            client: `@ev outbox relay on ${db.name}`,
            concurrency: `${scale.outboxBacklog} rows`,
            load: drained.load,
            note: 'drain, rows committed beforehand',
          });
          phases.push(drained.phases);
          ratios[`relay drain on ${db.name} / pusher@1000`] = drained.load.msgsPerSec / direct.msgsPerSec;
          progress(
            `→ ${target.name}: ${db.name}, drained at ${Math.round(drained.load.msgsPerSec)} rows/s, ${(drained.load.msgsPerSec / direct.msgsPerSec).toFixed(2)}× the direct pusher (${Math.round(direct.msgsPerSec)} msgs/s)`,
          );
          if (stall && db.name === 'PostgreSQL') {
            progress(`→ ${target.name}: ${db.name}, broker stalled for ${scale.outboxStallMs / 1000} s…`);
            const stallTopic = await target.newTopic('stall');
            const run = await measureOutboxStall(db, target, stallTopic, scale, stall);
            stallRuns = [run];
            progress(
              `→ ${target.name}: ${db.name}, stalled: RSS ${run.rssBeforeMb} → ${run.peakRssMb} MiB, ${run.rowsAtResume} rows piled up, drained ${run.drainAfterResumeMs} ms after resume`,
            );
          }
        } finally {
          await db.close();
        }
      }
    } finally {
      await probe.close();
    }
  } finally {
    await target.close();
  }
  return {
    bench: 'outbox',
    broker: `Outbox → ${target.title}, ${databases.join(' and ')}, Node ${process.versions.node.split('.')[0]}`,
    rows,
    ratios,
    outbox: { deleted, phases, ...(stallRuns && { stall: stallRuns }) },
  };
}

interface E2eLoad {
  label: string;
  transactions: number;
  /** Callers at once. */
  callers: number;
  /** When set, one transaction is started every 1/perSec s instead (light load). */
  perSec?: number;
  concurrency: number | string;
  note: string;
}

/** Light load (20 transactions a second), one transaction at a time, and 100 callers. */
function e2eLoads(scale: Scale): E2eLoad[] {
  return [
    {
      label: `${LIGHT_LOAD_PER_SEC} a second`,
      transactions: scale.outboxLight,
      callers: 1,
      perSec: LIGHT_LOAD_PER_SEC,
      concurrency: `${LIGHT_LOAD_PER_SEC}/s`,
      note: 'commit → consumer, light load',
    },
    {
      label: 'one at a time',
      transactions: scale.outboxSequential,
      callers: 1,
      concurrency: 1,
      note: 'commit → consumer',
    },
    {
      label: 'by 100 callers',
      transactions: scale.outboxConcurrent,
      callers: 100,
      concurrency: 100,
      note: `commit → consumer, ${APP_CONNECTIONS} connections`,
    },
  ];
}

/** The broker's own pusher at 1000 callers, the same event as the broker benches, after a warm-up. */
async function directReference(target: OutboxTarget, total: number): Promise<LoadResult> {
  const topic = await target.newTopic('direct');
  const pusher = await target.connection.pusher(topic, TOPIC_OPTIONS);
  const send = (i: number) => pusher.send(eventBody(i));
  await runLoad(Math.min(total, 5_000), 1000, send);
  const load = await runLoad(total, 1000, send);
  await pusher.close();
  return load;
}

/**
 * Transactions of one event each, by `load.callers` callers or paced, the relay running: rows/s from the
 * first BEGIN to the last message received by the consumer, and each message's latency from its COMMIT
 * acknowledged to its arrival (and to the relay deleting its row).
 */
async function endToEnd(
  db: BenchDatabase,
  target: OutboxTarget,
  topic: string,
  arrivals: Map<string, number>,
  load: E2eLoad,
): Promise<{ load: LoadResult; deleted: { rows: number; p50Ms: number; p99Ms: number } }> {
  const messageOfRow = new Map<string, string>();
  const deletedAt = new Map<string, number>();
  const timer = new RelayTimer((ids, at) => {
    for (const id of ids) {
      const messageId = messageOfRow.get(id);
      if (messageId) deletedAt.set(messageId, at);
    }
  });
  const store = timer.store(db.relayStore());
  const relay = await startRelay(store, target);
  try {
    let committed = new Map<string, number>();
    const commitOne = async (i: number) => {
      let messageId = '';
      await db.transaction(topic, async (pusher) => {
        const receipt = await pusher.send(eventBody(i));
        messageId = receipt.messageId;
        messageOfRow.set(String(receipt.offset), messageId);
      });
      committed.set(messageId, performance.now());
    };
    const allArrived = (timeoutMs: number) =>
      waitUntil(() => [...committed.keys()].every((id) => arrivals.has(id)), timeoutMs, 20);
    // Warm-up: the relay's pusher for the topic, the connections, the JIT.
    await runLoad(200, load.callers, commitOne);
    await allArrived(30_000);
    committed = new Map();
    const began = performance.now();
    const { result: failures, peakRssMb } = await withPeakRss(async () => {
      const failed = load.perSec
        ? await runPaced(load.transactions, load.perSec, commitOne)
        : (await runLoad(load.transactions, load.callers, commitOne)).failures;
      await allArrived(60_000);
      return failed;
    });
    const latencies: number[] = [];
    const toDelete: number[] = [];
    let last = began;
    for (const [id, at] of committed) {
      const arrived = arrivals.get(id);
      if (arrived !== undefined) {
        latencies.push(arrived - at);
        last = Math.max(last, arrived);
      }
      const gone = deletedAt.get(id);
      if (gone !== undefined) toDelete.push(gone - at);
    }
    latencies.sort((a, b) => a - b);
    toDelete.sort((a, b) => a - b);
    return {
      load: {
        messages: latencies.length,
        msgsPerSec: (latencies.length / (last - began)) * 1000,
        p50Ms: percentile(latencies, 50),
        p99Ms: percentile(latencies, 99),
        peakRssMb,
        // Transactions that failed, and committed rows the consumer never saw.
        failures: failures + committed.size - latencies.length,
      },
      deleted: { rows: toDelete.length, p50Ms: percentile(toDelete, 50), p99Ms: percentile(toDelete, 99) },
    };
  } finally {
    await relay.stop();
  }
}

/** Starts `send(i)` every 1/perSec s without waiting for the previous ones; resolves with the failures. */
async function runPaced(
  total: number,
  perSec: number,
  send: (i: number) => Promise<unknown>,
): Promise<number> {
  let failures = 0;
  const sent: Promise<unknown>[] = [];
  const began = performance.now();
  for (let i = 0; i < total; i += 1) {
    sent.push(send(i).catch(() => (failures += 1)));
    const nextAt = began + ((i + 1) * 1000) / perSec;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, nextAt - performance.now())));
  }
  await Promise.all(sent);
  return failures;
}

/**
 * Commits `backlog` rows with no relay running, then starts one and times it until it reports every row
 * forwarded (confirmed by the broker and deleted).
 */
async function drain(
  db: BenchDatabase,
  target: OutboxTarget,
  topic: string,
  backlog: number,
): Promise<{ load: LoadResult; phases: RelayPhases }> {
  const committing = await runLoad(
    Math.ceil(backlog / BACKLOG_ROWS_PER_TRANSACTION),
    BACKLOG_CALLERS,
    (t) => {
      const first = t * BACKLOG_ROWS_PER_TRANSACTION;
      const count = Math.min(BACKLOG_ROWS_PER_TRANSACTION, backlog - first);
      return db.transaction(topic, (pusher) =>
        Promise.all(Array.from({ length: count }, (_, j) => pusher.send(eventBody(first + j)))),
      );
    },
  );
  const waiting = await db.rows();
  if (committing.failures > 0 || waiting !== backlog) {
    throw new Error(`${db.name}: ${waiting} rows in the outbox, not ${backlog}`);
  }
  progress(
    `→ ${target.name}: ${db.name}, ${backlog} rows committed at ${Math.round(committing.msgsPerSec * BACKLOG_ROWS_PER_TRANSACTION)} rows/s; relay started…`,
  );
  (globalThis as { gc?: () => void }).gc?.();
  const timer = new RelayTimer();
  const store = timer.store(db.relayStore());
  const began = performance.now();
  const relay = await startOutboxRelay({
    store,
    broker: timer.connection(target.connection),
    topicOptions: TOPIC_OPTIONS,
  });
  let drained: { result: number; peakRssMb: number };
  try {
    drained = await withPeakRss(async () => {
      if (!(await waitUntil(() => relay.stats.forwarded >= backlog, 600_000))) {
        throw new Error(
          `${db.name}: the relay forwarded ${relay.stats.forwarded} of ${backlog} rows in 10 min`,
        );
      }
      return performance.now() - began;
    });
  } finally {
    await relay.stop();
  }
  const { result: totalMs, peakRssMb } = drained;
  const { anyMs, ...snapshot } = timer.phases;
  const forwarded = relay.stats.forwarded;
  return {
    load: {
      messages: forwarded,
      msgsPerSec: (forwarded / totalMs) * 1000,
      p50Ms: Number.NaN,
      p99Ms: Number.NaN,
      peakRssMb,
      failures: 0,
    },
    phases: {
      database: db.name,
      ...snapshot,
      totalMs,
      otherMs: totalMs - anyMs,
    },
  };
}

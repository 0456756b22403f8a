// The broker stalled under the outbox: transactions keep committing one row each at a steady rate while
// the relay forwards them; the broker is stalled (RabbitMQ: a memory alarm, which blocks publishers) for a
// while, then let go, always, even when the stage fails. The rows wait in the database, so the relay's
// memory should stay flat; what it costs is the time to drain the pile after the broker comes back.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { repoRoot } from './java-tools.js';
import { APP_CONNECTIONS, type BenchDatabase } from './outbox-db.js';
import { startRelay } from './outbox-relay.js';
import type { OutboxStallRun } from './outbox-report.js';
import type { OutboxTarget } from './outbox-targets.js';
import type { Scale } from './scale.js';

const run = promisify(execFile);
const mb = (bytes: number) => Math.round(bytes / 2 ** 20);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Steady load before the stall, so RSS "before" is that of a relay at work. */
const WARM_MS = 10_000;
const TICK_MS = 20;

/**
 * The broker fault through the repo's scripts, run asynchronously: `rabbitmqctl` takes a second or two,
 * and a synchronous call would stop the load and the samples meanwhile.
 */
export async function brokerFaultAsync(broker: string, fault: 'stall' | 'resume'): Promise<void> {
  await run('node', [`${repoRoot}scripts/brokers/cli.mjs`, fault, broker]);
}

/** Applies or lifts the stall. */
export type StallFault = (what: 'stall' | 'resume') => Promise<void>;

export async function measureOutboxStall(
  db: BenchDatabase,
  target: OutboxTarget,
  topic: string,
  scale: Scale,
  fault: StallFault,
): Promise<OutboxStallRun> {
  if ((await db.rows()) !== 0) throw new Error(`${db.name}: the outbox is not empty before the stall`);
  (globalThis as { gc?: () => void }).gc?.();
  const relay = await startRelay(db.relayStore(), target);
  let committed = 0;
  let failedTransactions = 0;
  let open = 0;
  const perTick = (scale.outboxStallRate * TICK_MS) / 1000;
  let owed = 0;
  const producer = setInterval(() => {
    owed += perTick;
    for (; owed >= 1; owed -= 1) {
      // A database that cannot keep up sheds load rather than queueing it in this process.
      if (open >= APP_CONNECTIONS) continue;
      open += 1;
      db.transaction(topic, (pusher) => pusher.send(Buffer.alloc(200, 0x61)))
        .then(
          () => {
            committed += 1;
          },
          () => {
            failedTransactions += 1;
          },
        )
        .finally(() => {
          open -= 1;
        });
    }
  }, TICK_MS);
  const startedAt = performance.now();
  const samples: [number, number, number][] = [];
  const sample = () =>
    samples.push([
      Math.round((performance.now() - startedAt) / 1000),
      mb(process.memoryUsage().rss),
      committed - relay.stats.forwarded,
    ]);
  const sampler = setInterval(sample, 1_000);
  try {
    await sleep(WARM_MS);
    const rssBefore = process.memoryUsage().rss;
    try {
      await fault('stall');
      await sleep(scale.outboxStallMs);
    } finally {
      await fault('resume');
    }
    const resumedAt = performance.now();
    const forwardedAtResume = relay.stats.forwarded;
    const committedAtResume = committed;
    const rowsAtResume = await db.rows();
    let firstForwardAfterResumeMs = Number.NaN;
    while (relay.stats.forwarded < committedAtResume) {
      if (Number.isNaN(firstForwardAfterResumeMs) && relay.stats.forwarded > forwardedAtResume) {
        firstForwardAfterResumeMs = Math.round(performance.now() - resumedAt);
      }
      if (performance.now() - resumedAt > 600_000) throw new Error(`${db.name}: not drained in 10 min`);
      await sleep(5);
    }
    if (Number.isNaN(firstForwardAfterResumeMs)) {
      firstForwardAfterResumeMs = Math.round(performance.now() - resumedAt);
    }
    const drainAfterResumeMs = Math.round(performance.now() - resumedAt);
    clearInterval(producer);
    while (open > 0) await sleep(10);
    while (relay.stats.forwarded < committed) {
      if (performance.now() - resumedAt > 660_000) throw new Error(`${db.name}: not drained in 11 min`);
      await sleep(10);
    }
    sample();
    return {
      database: db.name,
      broker: target.title.split(' (')[0]!,
      stallMs: scale.outboxStallMs,
      ratePerSec: scale.outboxStallRate,
      committed,
      failedTransactions,
      rssBeforeMb: mb(rssBefore),
      peakRssMb: Math.max(...samples.map(([, rss]) => rss)),
      rowsAtResume,
      peakPending: Math.max(...samples.map(([, , pending]) => pending)),
      drainAfterResumeMs,
      firstForwardAfterResumeMs,
      relayFailedAttempts: relay.stats.failedAttempts,
      samples,
    };
  } finally {
    clearInterval(producer);
    clearInterval(sampler);
    while (open > 0) await sleep(10);
    await relay.stop();
  }
}

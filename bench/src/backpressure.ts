// Memory under backpressure: the broker is frozen, and a caller fires sends as fast as it can, keeping
// none of the promises. With the pusher's caps (maxInFlight, maxQueued) the surplus is refused at once
// with OverloadedError and the rest time out with TimeoutError, so what the pusher holds is bounded;
// without maxQueued every send waits and the heap grows with their number. "Retained" is the heap after
// a forced GC while the broker is still frozen: what the waiting sends hold, not garbage.
import { isEvError } from '@ev/core';
import { brokerFault, countThenDelete, openConnection } from './broker-access.js';
import { eventBody } from './measure.js';

export interface BackpressureRun {
  maxQueued: number | 'unbounded';
  fired: number;
  /** Outcomes by error code; confirmed sends under `confirmed`. */
  outcomes: Record<string, number>;
  rssBeforeMb: number;
  peakRssMb: number;
  /** Heap held while the broker is frozen, after a GC (needs node --expose-gc). */
  heapRetainedMb: number;
  /** From the first send to the last one settled (timeouts are 5 s). */
  allSettledMs: number;
  firstConfirmAfterResumeMs: number;
}

const MAX_IN_FLIGHT = 1_000;
const SEND_TIMEOUT_MS = 5_000;
const mb = (bytes: number) => Math.round(bytes / 2 ** 20);

async function stalledRun(broker: string, fired: number, maxQueued: number): Promise<BackpressureRun> {
  const connection = await openConnection(broker);
  const topic = `ev-bench-stall-${Date.now()}`;
  const pusher = await connection.pusher(topic, {
    partitions: 4,
    maxInFlight: MAX_IN_FLIGHT,
    maxQueued,
    sendTimeoutMs: SEND_TIMEOUT_MS,
  });
  await pusher.send(eventBody(0));
  const outcomes: Record<string, number> = {};
  const count = (name: string) => {
    outcomes[name] = (outcomes[name] ?? 0) + 1;
  };
  const collect = (globalThis as { gc?: () => void }).gc ?? (() => {});
  collect();
  const heapBefore = process.memoryUsage().heapUsed;
  const rssBefore = process.memoryUsage().rss;
  let peak = rssBefore;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 10);
  brokerFault(broker, 'stall');
  let allSettledMs: number;
  let heapRetainedMb: number;
  try {
    const startedAt = performance.now();
    let outstanding = fired;
    let allSettled!: () => void;
    const settledAll = new Promise<void>((resolve) => {
      allSettled = resolve;
    });
    const settle = (outcome: string) => {
      count(outcome);
      outstanding -= 1;
      if (outstanding === 0) allSettled();
    };
    for (let index = 0; index < fired; index += 1) {
      pusher.send(eventBody(index)).then(
        () => settle('confirmed'),
        (error: unknown) => settle(isEvError(error) ? error.code : 'untyped'),
      );
    }
    peak = Math.max(peak, process.memoryUsage().rss);
    await new Promise((resolve) => setImmediate(resolve)); // refused sends settle
    collect();
    heapRetainedMb = mb(process.memoryUsage().heapUsed - heapBefore);
    await settledAll;
    allSettledMs = Math.round(performance.now() - startedAt);
  } finally {
    brokerFault(broker, 'resume');
    clearInterval(sampler);
  }
  const resumedAt = performance.now();
  for (;;) {
    try {
      await pusher.send(eventBody(-1), { timeoutMs: 5_000 });
      break;
    } catch {
      if (performance.now() - resumedAt > 120_000) throw new Error(`${broker} did not recover`);
    }
  }
  const firstConfirmAfterResumeMs = Math.round(performance.now() - resumedAt);
  await pusher.close();
  await countThenDelete(broker, topic);
  await connection.close();
  return {
    maxQueued: Number.isFinite(maxQueued) ? maxQueued : 'unbounded',
    fired,
    outcomes,
    rssBeforeMb: mb(rssBefore),
    peakRssMb: mb(peak),
    heapRetainedMb,
    allSettledMs,
    firstConfirmAfterResumeMs,
  };
}

/** The capped run first, then the same load without maxQueued. */
export async function measureBackpressure(broker: string, fired: number): Promise<BackpressureRun[]> {
  const capped = await stalledRun(broker, fired, 10_000);
  const unbounded = await stalledRun(broker, fired, Number.POSITIVE_INFINITY);
  return [capped, unbounded];
}

export function backpressureTable(runs: BackpressureRun[]): string {
  const lines = [
    `Broker frozen, ${runs[0]?.fired ?? 0} sends fired at once (maxInFlight ${MAX_IN_FLIGHT}, send timeout ${SEND_TIMEOUT_MS / 1000} s):`,
    '',
    '| maxQueued | outcomes | heap retained while frozen MiB | RSS before → peak MiB | all settled ms | first confirm after resume ms |',
    '|---|---|---:|---:|---:|---:|',
  ];
  for (const run of runs) {
    const outcomes = Object.entries(run.outcomes)
      .map(([name, n]) => `${name} ${n}`)
      .join(', ');
    lines.push(
      `| ${run.maxQueued} | ${outcomes} | ${run.heapRetainedMb} | ${run.rssBeforeMb} → ${run.peakRssMb} | ${run.allSettledMs} | ${run.firstConfirmAfterResumeMs} |`,
    );
  }
  lines.push('');
  return lines.join('\n');
}

// What the outbox bench reports beyond its rows: the relay's own side of the latency, where a drain's
// time goes, and the stalled-broker stage.

/** Commit → the relay deleted the row, after the broker confirmed it (the relay's side of the latency). */
export interface OutboxDeleted {
  database: string;
  concurrency: number | string;
  rows: number;
  p50Ms: number;
  p99Ms: number;
}

/**
 * Where a relay drain's time went, timed from outside the relay (its store and its broker connection
 * wrapped): the time a fetch query was running, sends were awaiting the broker, a delete was running, and
 * none of these (`otherMs`: start-up, the loop itself). They add up to `totalMs` when the relay does one
 * thing after another, to more when it overlaps them.
 */
export interface RelayPhases {
  database: string;
  rows: number;
  batches: number;
  totalMs: number;
  fetchMs: number;
  sendMs: number;
  removeMs: number;
  otherMs: number;
}

/** The broker stalled while transactions keep committing rows and the relay keeps forwarding them. */
export interface OutboxStallRun {
  database: string;
  broker: string;
  stallMs: number;
  /** Transactions (one row each) started per second; `committed` says how many did commit. */
  ratePerSec: number;
  committed: number;
  failedTransactions: number;
  rssBeforeMb: number;
  peakRssMb: number;
  /** Rows in the outbox table when the broker was let go. */
  rowsAtResume: number;
  /** Most rows committed and not yet forwarded, over the 1 s samples. */
  peakPending: number;
  /** From resume until every row committed before it was forwarded. */
  drainAfterResumeMs: number;
  /** From resume until the relay's first confirmed row. */
  firstForwardAfterResumeMs: number;
  /** Rows the broker did not confirm in time, counted once per attempt. */
  relayFailedAttempts: number;
  /** One sample a second from the start of the steady load: seconds, RSS MiB, rows pending. */
  samples: [number, number, number][];
}

export interface OutboxExtras {
  deleted: OutboxDeleted[];
  phases: RelayPhases[];
  stall?: OutboxStallRun[];
}

const fmt = (n: number | null | undefined, digits = 0) =>
  typeof n !== 'number' || Number.isNaN(n) ? '–' : n.toFixed(digits);
const pct = (part: number, whole: number) => `${Math.round((part / whole) * 100)} %`;

export function outboxLines(extras: OutboxExtras): string[] {
  const lines: string[] = [];
  if (extras.deleted.length > 0) {
    const parts = extras.deleted.map(
      (d) => `${d.database}@${d.concurrency} p50 ${fmt(d.p50Ms, 1)} ms, p99 ${fmt(d.p99Ms, 1)} ms`,
    );
    lines.push(`Commit → row deleted by the relay after the broker's confirmation: ${parts.join('; ')}.`, '');
  }
  for (const p of extras.phases) {
    const perBatch = (ms: number) => fmt(ms / Math.max(p.batches, 1), 1);
    const overlapped = p.fetchMs + p.sendMs + p.removeMs + p.otherMs > p.totalMs * 1.01;
    lines.push(
      `Relay drain on ${p.database}, ${p.rows} rows in ${p.batches} batches: a fetch query running ${perBatch(p.fetchMs)} ms a batch (${pct(p.fetchMs, p.totalMs)} of the drain), sends awaiting the broker ${perBatch(p.sendMs)} ms (${pct(p.sendMs, p.totalMs)}), a delete running ${perBatch(p.removeMs)} ms (${pct(p.removeMs, p.totalMs)}), none of these ${fmt(p.otherMs)} ms in all (${pct(p.otherMs, p.totalMs)})${overlapped ? '; the relay overlaps them' : ''}.`,
      '',
    );
  }
  if (extras.stall && extras.stall.length > 0) {
    const first = extras.stall[0]!;
    lines.push(
      `${first.broker} stalled for ${fmt(first.stallMs / 1000)} s while transactions kept committing one row each at ${first.ratePerSec}/s, the relay forwarding (RSS sampled every second):`,
      '',
      '| database | RSS before → peak MiB | rows piled up at resume | peak rows pending | first forward after resume ms | drained after resume ms | rows committed | failed transactions | relay attempts failed |',
      '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
      ...extras.stall.map(
        (s) =>
          `| ${s.database} | ${s.rssBeforeMb} → ${s.peakRssMb} | ${s.rowsAtResume} | ${s.peakPending} | ${s.firstForwardAfterResumeMs} | ${s.drainAfterResumeMs} | ${s.committed} | ${s.failedTransactions} | ${s.relayFailedAttempts} |`,
      ),
      '',
    );
  }
  return lines;
}

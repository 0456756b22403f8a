import { type BackpressureRun, backpressureTable } from './backpressure.js';
import type { LatenessResult, LoadResult } from './measure.js';
import { type OutboxExtras, outboxLines } from './outbox-report.js';

export interface Row {
  client: string;
  concurrency: number | string;
  load?: LoadResult;
  note?: string;
  /** The caller set the rate (a light load), so msgs/s is no capacity: left out of the chart. */
  paced?: boolean;
}

export type Lateness = LatenessResult & { note: string };

export interface BrokerReport {
  /** The `pnpm bench` selector that measured it (kafka, rabbitmq, rocketmq, outbox). */
  bench?: string;
  broker: string;
  rows: Row[];
  /** Delay lateness, one measurement per way of relaying (Kafka: per client). */
  delays?: Lateness[];
  ratios: Record<string, number>;
  backpressure?: BackpressureRun[];
  outbox?: OutboxExtras;
}

/** JSON turns NaN into null: both mean "not measured". */
const fmt = (n: number | null | undefined, digits = 0) =>
  typeof n !== 'number' || Number.isNaN(n) ? '–' : n.toFixed(digits);

export function markdownTable(report: BrokerReport): string {
  const lines = [
    `### ${report.broker}`,
    '',
    '| client | concurrency | msgs/s | p50 ms | p99 ms | peak RSS MiB | failed |',
    '|---|---:|---:|---:|---:|---:|---:|',
    ...report.rows.map(
      ({ client, concurrency, load, note }) =>
        `| ${client}${note ? ` (${note})` : ''} | ${concurrency} | ${fmt(load?.msgsPerSec)} | ${fmt(load?.p50Ms, 2)} | ${fmt(load?.p99Ms, 2)} | ${fmt(load?.peakRssMb)} | ${fmt(load?.failures)} |`,
    ),
    '',
  ];
  for (const d of report.delays ?? []) {
    lines.push(
      `Delay lateness (${d.note}): p50 ${fmt(d.p50Ms)} ms, p99 ${fmt(d.p99Ms)} ms, max ${fmt(d.maxMs)} ms, early ${d.early} of ${d.messages}.`,
      '',
    );
  }
  if (report.outbox) lines.push(...outboxLines(report.outbox));
  if (report.backpressure) lines.push(backpressureTable(report.backpressure));
  const ratios = Object.entries(report.ratios).map(([name, value]) => `${name}: **${fmt(value, 2)}×**`);
  if (ratios.length > 0) lines.push(`Ratios — ${ratios.join(', ')}.`, '');
  return lines.join('\n');
}

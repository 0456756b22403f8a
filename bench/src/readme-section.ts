// The README's bench section and the chart show, for each bench (kafka, rabbitmq, rocketmq, outbox), its
// latest full run: `pnpm bench outbox` alone replaces the outbox tables and leaves the brokers' tables as
// their last run measured them, read back from that run's JSON in bench-results/.
import { readdirSync, readFileSync } from 'node:fs';
import type { BrokerReport } from './report.js';

export interface BenchResults {
  command: string;
  machine: string;
  date: string;
  quick?: boolean;
  /** Benches that failed in this run; the reports they made before are kept, but not shown. */
  failed?: string[];
  reports: BrokerReport[];
}

/** Every bench, in the order a full run makes them and the README shows them. */
export const BENCHES = ['kafka', 'rabbitmq', 'rocketmq', 'outbox'] as const;
const NAMES: Record<string, string> = {
  kafka: 'Kafka',
  rabbitmq: 'RabbitMQ',
  rocketmq: 'RocketMQ',
  outbox: 'the outbox',
};

/** Which bench made a report; reports written before they said so are told by their title. */
export function benchOf(report: BrokerReport): string {
  if (report.bench) return report.bench;
  const title = report.broker.toLowerCase();
  return BENCHES.find((bench) => title.startsWith(bench)) ?? title;
}

/** One run's file name: its date with ':' as '-'. */
const RUN_FILE = /^\d{4}-\d\d-\d\dT[\d-]+(\.\d+)?Z\.json$/;

/** For each bench, the reports of the latest full run that measured it; runs oldest first. */
export function shownRuns(resultsDir: string): BenchResults[] {
  const files = readdirSync(resultsDir)
    .filter((name) => RUN_FILE.test(name))
    .sort()
    .reverse();
  const shown = new Map<string, BenchResults>();
  const pending = new Set<string>(BENCHES);
  for (const file of files) {
    if (pending.size === 0) break;
    const results = JSON.parse(readFileSync(`${resultsDir}/${file}`, 'utf8')) as BenchResults;
    if (results.quick || results.command.includes('--quick') || !Array.isArray(results.reports)) continue;
    if (results.failed && results.failed.length > 0) continue;
    for (const bench of BENCHES) {
      if (!pending.has(bench)) continue;
      const reports = results.reports.filter((report) => benchOf(report) === bench);
      if (reports.length === 0) continue;
      pending.delete(bench);
      const run = shown.get(results.date) ?? { ...results, reports: [] };
      run.reports.push(...reports);
      shown.set(results.date, run);
    }
  }
  return [...shown.values()].sort((a, b) => a.date.localeCompare(b.date));
}

/** The shown reports in the README's order. */
export function shownReports(runs: BenchResults[]): BrokerReport[] {
  const reports = runs.flatMap((run) => run.reports);
  return BENCHES.flatMap((bench) => reports.filter((report) => benchOf(report) === bench));
}

/** "2026-12-02 with `pnpm bench` on …", naming each run's benches when several runs are shown. */
export function describeRuns(runs: BenchResults[], quote = '`'): string {
  const [first] = runs;
  if (!first) return 'no run yet';
  const machines = new Set(runs.map((run) => run.machine));
  const one = (run: BenchResults) => {
    const benches = [...new Set(run.reports.map(benchOf))].map((bench) => NAMES[bench] ?? bench);
    const which = runs.length > 1 ? ` (${benches.join(', ')})` : '';
    const where = machines.size > 1 ? ` on ${run.machine}` : '';
    return `${run.date.slice(0, 10)} with ${quote}${run.command}${quote}${which}${where}`;
  };
  const parts = runs.map(one);
  const listed = parts.length > 1 ? `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}` : parts[0];
  return machines.size > 1 ? listed! : `${listed} on ${first.machine}`;
}

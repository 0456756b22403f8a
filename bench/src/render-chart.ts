// pnpm bench:chart [results.json]: draws docs/bench.svg from a `pnpm bench` results file (default: the
// latest), as `pnpm bench` itself does after a full run.
import { readFileSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { benchChart } from './chart.js';
import { repoRoot } from './java-tools.js';
import type { BrokerReport } from './report.js';

export interface BenchResults {
  command: string;
  machine: string;
  date: string;
  reports: BrokerReport[];
}

export const CHART_PATH = 'docs/bench.svg';

export function writeChart(results: BenchResults): void {
  const caption = `Messages per second (log scale), ${results.date.slice(0, 10)}, ${results.command} on ${results.machine}`;
  writeFileSync(`${repoRoot}${CHART_PATH}`, benchChart(results.reports, caption));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const path = process.argv[2] ?? `${repoRoot}bench-results/latest.json`;
  writeChart(JSON.parse(readFileSync(path, 'utf8')) as BenchResults);
  console.error(`[bench] ${CHART_PATH} drawn from ${relative(repoRoot, path)}`);
}

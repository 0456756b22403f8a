// pnpm bench:chart [results.json]: draws docs/bench.svg from a `pnpm bench` results file, or by default
// from what the README shows (each bench's latest full run), as `pnpm bench` itself does after a run.
import { readFileSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { benchChart } from './chart.js';
import { repoRoot } from './java-tools.js';
import { type BenchResults, shownReports, shownRuns } from './readme-section.js';

export type { BenchResults } from './readme-section.js';

export const CHART_PATH = 'docs/bench.svg';

/** Draws the reports of `runs` (one run, or each bench's latest), captioned with the runs. */
export function writeChart(runs: BenchResults[]): void {
  const [only] = runs;
  const caption =
    runs.length === 1 && only
      ? `Messages per second (log scale), ${only.date.slice(0, 10)}, ${only.command} on ${only.machine}`
      : `Messages per second (log scale), ${runs.map((run) => `${run.command} ${run.date.slice(0, 10)}`).join(', ')} on ${[...new Set(runs.map((run) => run.machine))].join(' / ')}`;
  writeFileSync(`${repoRoot}${CHART_PATH}`, benchChart(shownReports(runs), caption));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const path = process.argv[2];
  writeChart(
    path ? [JSON.parse(readFileSync(path, 'utf8')) as BenchResults] : shownRuns(`${repoRoot}bench-results`),
  );
  console.error(
    `[bench] ${CHART_PATH} drawn from ${path ? relative(repoRoot, path) : "each bench's latest run in bench-results/"}`,
  );
}

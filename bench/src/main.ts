// pnpm bench [kafka|rabbitmq|rocketmq|outbox ...] [--quick] [--no-stall]
// Starts the brokers it needs, runs each broker's benchmark in its own process (the pusher, the raw
// client used naively and at its best, and the broker's Java perf tool side by side), prints the
// table, writes JSON under bench-results/, and puts the latest table and chart in the README. Kafka
// runs twice: on this Node, then on the current LTS line, where @platformatic/kafka runs as well.
// `outbox` runs the transactional outbox on PostgreSQL and MariaDB through its relay to Kafka and
// RabbitMQ, in a process of its own; `--no-stall` leaves out its stage that freezes RabbitMQ for a minute.
// The README shows each bench's latest full run, so a run of some benches leaves the others' tables as
// they were. A bench that fails keeps the reports it made before: they are printed and saved, marked
// failed, and the README is left alone.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { repoRoot } from './java-tools.js';
import { describeRuns, shownReports, shownRuns } from './readme-section.js';
import { CHART_PATH, writeChart } from './render-chart.js';
import { type BrokerReport, markdownTable } from './report.js';
import { REPORT_MARK } from './scale.js';

const all = ['kafka', 'rabbitmq', 'rocketmq', 'outbox'];
/** What each bench needs running: the outbox forwards from both databases to Kafka and RabbitMQ. */
const services: Record<string, string[]> = { outbox: ['postgres', 'mariadb', 'kafka', 'rabbitmq'] };
const args = process.argv.slice(2).filter((arg) => arg !== '--');
const quick = args.includes('--quick');
const flags = args.filter((arg) => arg.startsWith('--'));
const brokers = args.filter((arg) => !arg.startsWith('--'));
const selected = brokers.length > 0 ? brokers : all;

/** The LTS line's node binary, installed into .tools/ on first use. */
const nodeLts = () =>
  `${execFileSync('node', [`${repoRoot}scripts/node-lts.mjs`], { encoding: 'utf8' }).trim()}/node`;
const runs = selected.flatMap((broker) =>
  broker === 'kafka'
    ? [
        { broker, node: 'node' },
        { broker, node: nodeLts() },
      ]
    : [{ broker, node: 'node' }],
);

const reports: BrokerReport[] = [];
const failed: string[] = [];
for (const { broker, node } of runs) {
  execFileSync('node', [`${repoRoot}scripts/brokers/cli.mjs`, 'up', ...(services[broker] ?? [broker])], {
    stdio: 'inherit',
  });
  console.error(
    `[bench] ${broker} on Node ${execFileSync(node, ['--version'], { encoding: 'utf8' }).trim()}…`,
  );
  let output: string;
  try {
    output = execFileSync(
      node,
      // --expose-gc: the backpressure stage measures the heap the waiting sends retain, after a GC.
      ['--expose-gc', fileURLToPath(new URL('./run-broker.js', import.meta.url)), broker, ...flags],
      {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'inherit'],
        maxBuffer: 64 * 1024 * 1024,
      },
    );
  } catch (error) {
    // What it reported before it failed is kept.
    output = String((error as { stdout?: unknown }).stdout ?? '');
    failed.push(broker);
    console.error(`[bench] ${broker} failed: ${(error as Error).message.split('\n')[0]}`);
  }
  const lines = output.split('\n').filter((l) => l.includes(REPORT_MARK));
  if (lines.length === 0) console.error(`[bench] ${broker}: the benchmark printed no report`);
  for (const line of lines) {
    const report = JSON.parse(line.slice(line.indexOf(REPORT_MARK) + REPORT_MARK.length)) as BrokerReport;
    report.bench ??= broker;
    reports.push(report);
    console.log(markdownTable(report));
  }
}

const command = ['pnpm bench', ...brokers, ...flags].join(' ');
const machine = `${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
const stamp = new Date().toISOString();
const resultsDir = `${repoRoot}bench-results`;
mkdirSync(resultsDir, { recursive: true });
const results = { command, machine, date: stamp, quick, ...(failed.length > 0 && { failed }), reports };
const json = JSON.stringify(results, null, 2);
writeFileSync(`${resultsDir}/${stamp.replaceAll(':', '-')}.json`, json);
writeFileSync(`${resultsDir}/latest.json`, json);

if (failed.length > 0) {
  console.error(`[bench] failed: ${failed.join(', ')}; the README is left as it was`);
  process.exit(1);
}
if (!quick) {
  // Each bench's latest full run, this one included.
  const shown = shownRuns(resultsDir);
  writeChart(shown);
  const section = [
    '<!-- bench:start -->',
    `Measured ${describeRuns(shown)}; JSON in \`bench-results/\`.`,
    '',
    `![Messages per second by client, log scale](${CHART_PATH})`,
    '',
    ...shownReports(shown).map(markdownTable),
    '<!-- bench:end -->',
  ].join('\n');
  const readmePath = `${repoRoot}README.md`;
  const readme = readFileSync(readmePath, 'utf8');
  writeFileSync(readmePath, readme.replace(/<!-- bench:start -->[\s\S]*<!-- bench:end -->/, section));
  // The tables as the repo's formatter lays them out, so `pnpm lint` stays green after a run.
  execFileSync(`${repoRoot}node_modules/.bin/biome`, ['format', '--write', readmePath], { stdio: 'ignore' });
}

// pnpm soak [kafka|rabbitmq|rocketmq ...] [--messages N]
// Sustained load: per broker, in a process of its own, N messages (default 1 000 000) of ~200 bytes
// through one pusher with 1000 sends in flight, RSS sampled every second. Shows that memory stays flat
// over time and that every confirmed message is on the broker. Writes bench-results/soak-latest.json.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { BrokerConnection } from '@ev/core';
import { countThenDelete, openConnection } from './broker-access.js';
import { repoRoot } from './java-tools.js';
import { eventBody } from './measure.js';
import { REPORT_MARK } from './scale.js';

interface Sample {
  seconds: number;
  confirmed: number;
  rssMb: number;
  heapMb: number;
}

export interface SoakReport {
  broker: string;
  messages: number;
  confirmed: number;
  failed: number;
  onBroker: number | undefined;
  seconds: number;
  msgsPerSec: number;
  /** RSS averaged over each quarter of the run, in MiB. */
  rssByQuarterMb: number[];
  peakRssMb: number;
  samples: Sample[];
}

const CONCURRENCY = 1000;
const mb = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10;

async function soak(broker: string, messages: number): Promise<SoakReport> {
  const connection: BrokerConnection = await openConnection(broker);
  const topic = `ev-soak-${broker}-${Date.now()}`;
  const pusher = await connection.pusher(topic, { partitions: 4 });
  const samples: Sample[] = [];
  let confirmed = 0;
  let failed = 0;
  let next = 0;
  const startedAt = performance.now();
  const sample = () =>
    samples.push({
      seconds: Math.round((performance.now() - startedAt) / 100) / 10,
      confirmed,
      rssMb: mb(process.memoryUsage().rss),
      heapMb: mb(process.memoryUsage().heapUsed),
    });
  const sampler = setInterval(sample, 1_000);
  const worker = async () => {
    while (next < messages) {
      const index = next++;
      try {
        await pusher.send(eventBody(index));
        confirmed += 1;
      } catch {
        failed += 1;
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  clearInterval(sampler);
  sample();
  const seconds = (performance.now() - startedAt) / 1000;
  await pusher.close();
  const onBroker = await countThenDelete(broker, topic);
  await connection.close();

  const quarter = (q: number) => {
    const inQuarter = samples.filter(
      (s) => s.confirmed > (q * messages) / 4 && s.confirmed <= ((q + 1) * messages) / 4,
    );
    const rss = inQuarter.map((s) => s.rssMb);
    return rss.length === 0 ? Number.NaN : Math.round(rss.reduce((a, b) => a + b, 0) / rss.length);
  };
  return {
    broker,
    messages,
    confirmed,
    failed,
    onBroker,
    seconds: Math.round(seconds),
    msgsPerSec: Math.round(confirmed / seconds),
    rssByQuarterMb: [0, 1, 2, 3].map(quarter),
    peakRssMb: Math.max(...samples.map((s) => s.rssMb)),
    samples,
  };
}

function table(reports: SoakReport[]): string {
  const lines = [
    '| broker | messages | confirmed | failed | on the broker | msgs/s | RSS by quarter (MiB) | peak RSS (MiB) |',
    '| --- | ---: | ---: | ---: | ---: | ---: | --- | ---: |',
  ];
  for (const r of reports) {
    lines.push(
      `| ${r.broker} | ${r.messages} | ${r.confirmed} | ${r.failed} | ${r.onBroker ?? 'not counted'} | ${r.msgsPerSec} | ${r.rssByQuarterMb.join(' → ')} | ${Math.round(r.peakRssMb)} |`,
    );
  }
  return lines.join('\n');
}

const args = process.argv.slice(2).filter((arg) => arg !== '--');
const messagesFlag = args.indexOf('--messages');
const messages = messagesFlag >= 0 ? Number(args[messagesFlag + 1]) : 1_000_000;
if (!Number.isSafeInteger(messages) || messages <= 0) throw new Error('--messages takes a positive integer');

if (args[0] === '--run') {
  const report = await soak(args[1] ?? '', messages);
  console.log(`${REPORT_MARK}${JSON.stringify(report)}`);
  process.exit(0);
}

const named = args.filter((arg, index) => !arg.startsWith('--') && args[index - 1] !== '--messages');
const selected = named.length > 0 ? named : ['kafka', 'rabbitmq', 'rocketmq'];
const reports: SoakReport[] = [];
for (const broker of selected) {
  execFileSync('node', [`${repoRoot}scripts/brokers/cli.mjs`, 'up', broker], { stdio: 'inherit' });
  console.error(`[soak] ${broker}: ${messages} messages…`);
  const output = execFileSync(
    'node',
    [fileURLToPath(import.meta.url), '--run', broker, '--messages', String(messages)],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 * 1024 * 1024 },
  );
  const line = output.split('\n').find((l) => l.includes(REPORT_MARK));
  if (!line) throw new Error(`${broker}: the soak printed no report`);
  reports.push(JSON.parse(line.slice(line.indexOf(REPORT_MARK) + REPORT_MARK.length)) as SoakReport);
  console.log(table(reports.slice(-1)));
}
const machine = `${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
mkdirSync(`${repoRoot}bench-results`, { recursive: true });
writeFileSync(
  `${repoRoot}bench-results/soak-latest.json`,
  JSON.stringify(
    { command: `pnpm soak ${args.join(' ')}`.trim(), machine, date: new Date().toISOString(), reports },
    null,
    2,
  ),
);
console.log(`\n${table(reports)}`);
const short = reports.filter(
  (r) => r.confirmed + r.failed !== r.messages || (r.onBroker !== undefined && r.onBroker < r.confirmed),
);
process.exit(short.length > 0 ? 1 : 0);

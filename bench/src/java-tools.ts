import { execFile, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { LoadResult } from './measure.js';

/**
 * Runs `mainClass` from the jars in `lib` and returns what it printed, without blocking this process:
 * its event loop keeps the connections of the other stages alive (AMQP heartbeats, Kafka sessions)
 * while the tool runs for tens of seconds.
 */
async function runJavaMain(lib: string, mainClass: string, args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)('java', ['-Xmx512m', '-cp', `${lib}/*`, mainClass, ...args], {
    encoding: 'utf8',
    timeout: 300_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  return stdout;
}

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Kafka's own ProducerPerformance (kafka-tools, fetched with the broker), with the same record size and
 * durability as the pusher: acks=all, idempotence on.
 */
export async function kafkaProducerPerformance(
  topic: string,
  records: number,
): Promise<LoadResult | undefined> {
  const lib = `${repoRoot}.brokers/kafka/lib`;
  if (!existsSync(lib)) return undefined;
  const output = await runJavaMain(lib, 'org.apache.kafka.tools.ProducerPerformance', [
    '--topic',
    topic,
    '--num-records',
    String(records),
    '--record-size',
    '200',
    '--throughput',
    '-1',
    '--producer-props',
    'bootstrap.servers=127.0.0.1:9092',
    'acks=all',
    'enable.idempotence=true',
  ]);
  const summary = output.trim().split('\n').pop() ?? '';
  const number = (pattern: RegExp) => Number(pattern.exec(summary)?.[1]);
  return {
    messages: number(/^(\d+) records sent/),
    msgsPerSec: number(/([\d.]+) records\/sec/),
    p50Ms: number(/(\d+) ms 50th/),
    p99Ms: number(/(\d+) ms 99th/),
    peakRssMb: Number.NaN,
    failures: 0,
  };
}

/** RabbitMQ's PerfTest from Maven Central, fetched on first use. */
function perfTestLib(): string | undefined {
  const lib = `${repoRoot}.brokers/perftest/lib`;
  if (!existsSync(lib)) {
    execFileSync(
      'mvn',
      [
        '-B',
        '-q',
        '-f',
        `${repoRoot}bench/java/pom.xml`,
        'org.apache.maven.plugins:maven-dependency-plugin:3.6.1:copy-dependencies',
        '-DincludeScope=runtime',
        `-DoutputDirectory=${lib}`,
      ],
      { stdio: 'inherit', timeout: 600_000 },
    );
  }
  return existsSync(lib) ? lib : undefined;
}

/**
 * PerfTest publishing `messages` persistent 200-byte messages to a quorum queue with up to 1000
 * unconfirmed publishes, the same durability the pusher waits for.
 */
export async function rabbitPerfTest(queue: string, messages: number): Promise<LoadResult | undefined> {
  const lib = perfTestLib();
  if (!lib) return undefined;
  const output = await runJavaMain(lib, 'com.rabbitmq.perf.PerfTest', [
    '--uri',
    'amqp://guest:guest@127.0.0.1:5672',
    '--producers',
    '1',
    '--consumers',
    '0',
    '--size',
    '200',
    '--pmessages',
    String(messages),
    '--confirm',
    '1000',
    '--flag',
    'persistent',
    '--queue',
    queue,
    '--quorum-queue',
    '--auto-delete',
    'true',
  ]);
  const rate = /sending rate avg: ([\d.]+) msg\/s/.exec(output);
  const latency =
    /confirm latency min\/median\/75th\/95th\/99th ([\d.]+)\/([\d.]+)\/([\d.]+)\/([\d.]+)\/([\d.]+) (µs|ms)/.exec(
      output,
    );
  const toMs = (value: string | undefined) => (latency?.[6] === 'µs' ? Number(value) / 1000 : Number(value));
  return {
    messages,
    msgsPerSec: Number(rate?.[1]),
    p50Ms: toMs(latency?.[2]),
    p99Ms: toMs(latency?.[5]),
    peakRssMb: Number.NaN,
    failures: 0,
  };
}

// Kafka 4.1 (KRaft, one node) from Maven Central jars, on 127.0.0.1:9092 (plaintext), 9094 (TLS) and
// 9095 (TLS + SASL/PLAIN, user ev-tester). Its files live in
// .brokers/kafka: lib/ (jars), data/, server.properties, kafka.log, kafka.pid.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureCertificates, KEYSTORE_PASSWORD } from './tls.mjs';
import {
  ensureDebianPackage,
  fetchJars,
  killDetached,
  log,
  mustRun,
  portOpen,
  run,
  runningPid,
  signalDetached,
  startDetached,
  stopDetached,
} from './util.mjs';

const here = join(dirname(fileURLToPath(import.meta.url)), 'kafka');
const home = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '.brokers', 'kafka');
const lib = join(home, 'lib');
const dataDir = join(home, 'data');
const logFile = join(home, 'kafka.log');
const pidFile = join(home, 'kafka.pid');
const PORT = 9092;

export const kafkaLib = lib;

function configure() {
  mkdirSync(home, { recursive: true });
  const properties = readFileSync(join(here, 'server.properties'), 'utf8')
    .replaceAll('@DATA_DIR@', dataDir)
    .replaceAll('@TLS_DIR@', ensureCertificates())
    .replaceAll('@KEYSTORE_PASSWORD@', KEYSTORE_PASSWORD);
  writeFileSync(join(home, 'server.properties'), properties);
  const log4j = readFileSync(join(here, 'log4j2.properties'), 'utf8').replaceAll('@LOG_FILE@', logFile);
  writeFileSync(join(home, 'log4j2.properties'), log4j);
  if (!existsSync(join(dataDir, 'meta.properties'))) {
    // A KRaft cluster id: 16 random bytes, base64url; it must not start with "-".
    let clusterId;
    do clusterId = randomBytes(16).toString('base64url');
    while (clusterId.startsWith('-'));
    mustRun('java', [
      ...jvmFlags(),
      'kafka.tools.StorageTool',
      'format',
      '-c',
      join(home, 'server.properties'),
      '-t',
      clusterId,
      '-g',
    ]);
  }
}

function jvmFlags() {
  return ['-cp', `${lib}/*`, `-Dlog4j2.configurationFile=${join(home, 'log4j2.properties')}`];
}

/** Ready means it answers a metadata request, not just that the port is open. */
async function serves() {
  if (!(await portOpen(PORT))) return false;
  return run('kcat', ['-b', `127.0.0.1:${PORT}`, '-L', '-m', '5'], { timeoutMs: 10_000 }).status === 0;
}

function start() {
  return startDetached({
    name: 'kafka',
    args: ['-Xms256m', '-Xmx1g', ...jvmFlags(), 'kafka.Kafka', join(home, 'server.properties')],
    cwd: home,
    pidFile,
    outFile: join(home, 'kafka.stdout'),
    readyFile: logFile,
    readyLine: 'Kafka Server started',
    check: serves,
  });
}

const stop = () => stopDetached('kafka', pidFile);

async function assertOwned() {
  if (!runningPid(pidFile) && (await serves())) {
    throw new Error(
      'the Kafka on 127.0.0.1:9092 was not started by this checkout (no pid file): restart it where it was started',
    );
  }
}

export const kafka = {
  name: 'kafka',
  async up() {
    ensureDebianPackage('kcat', 'kcat');
    if (await serves()) {
      log('kafka already serving on 127.0.0.1:9092');
      return;
    }
    fetchJars(join(here, 'pom.xml'), lib, 'kafka_2.13-', 'Kafka');
    configure();
    log('starting kafka');
    await start();
    log('kafka ready on 127.0.0.1:9092');
  },
  async status() {
    return serves();
  },
  /** SIGTERM, wait for a clean shutdown, start again on the same data. */
  async restart() {
    await assertOwned();
    await stop();
    configure();
    await start();
  },
  /** SIGKILL, then start again on the same data: recovery from a crash. */
  async crash() {
    await assertOwned();
    await killDetached('kafka', pidFile);
    configure();
    await start();
  },
  async stall() {
    signalDetached('kafka', pidFile, 'SIGSTOP');
  },
  async resume() {
    signalDetached('kafka', pidFile, 'SIGCONT');
  },
  async down() {
    await stop();
  },
  /** Deletes the topics the contract suites create (`ev-contract-*`), with Kafka's own topic tool. */
  async clean() {
    const result = run(
      'java',
      [
        ...jvmFlags(),
        'org.apache.kafka.tools.TopicCommand',
        '--bootstrap-server',
        `127.0.0.1:${PORT}`,
        '--delete',
        '--if-exists',
        '--topic',
        'ev-contract-.*',
      ],
      { timeoutMs: 120_000 },
    );
    if (result.status !== 0) log(`deleting test topics failed:\n${result.output}`);
  },
  /** Wipes the data directory (topics and messages). */
  async reset() {
    await stop();
    rmSync(dataDir, { recursive: true, force: true });
  },
};

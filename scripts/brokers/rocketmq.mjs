// RocketMQ 5.3 from Maven Central jars: a name server and a proxy in local mode (which embeds the
// broker), on loopback: gRPC 8081 (the Node client's endpoint), namesrv 9876, broker 10911. Files live
// in .brokers/rocketmq: lib/ (jars), store/, logs, pids.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  fetchJars,
  killDetached,
  log,
  portOpen,
  run,
  runningPid,
  signalDetached,
  startDetached,
  stopDetached,
} from './util.mjs';

const here = join(dirname(fileURLToPath(import.meta.url)), 'rocketmq');
const home = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '.brokers', 'rocketmq');
const lib = join(home, 'lib');
const storeDir = join(home, 'store');
const GRPC_PORT = 8081;
const NAMESRV_PORT = 9876;

// JDK 17 closes internals RocketMQ reaches into.
const OPENS = ['java.lang', 'java.nio', 'java.util', 'jdk.internal.ref', 'sun.nio.ch'].map(
  (pkg) => `--add-opens=java.base/${pkg}=ALL-UNNAMED`,
);

function jvm(heap, logName) {
  return [
    ...heap,
    ...OPENS,
    '-cp',
    `${lib}/*`,
    `-Drocketmq.home.dir=${home}`,
    `-Duser.home=${home}`,
    `-Drmq.logback.configurationFile=${join(home, `rmq.${logName}.logback.xml`)}`,
  ];
}

const processes = {
  namesrv: {
    args: () => [
      ...jvm(['-Xms256m', '-Xmx256m'], 'namesrv'),
      'org.apache.rocketmq.namesrv.NamesrvStartup',
      '-c',
      join(home, 'namesrv.conf'),
    ],
    ready: 'The Name Server boot success',
  },
  proxy: {
    args: () => [
      ...jvm(['-Xms1g', '-Xmx1g', '-XX:MaxDirectMemorySize=1g'], 'proxy'),
      'org.apache.rocketmq.proxy.ProxyStartup',
      '-pm',
      'local',
      '-pc',
      join(home, 'rmq-proxy.json'),
      '-bc',
      join(home, 'broker.conf'),
      '-n',
      `127.0.0.1:${NAMESRV_PORT}`,
    ],
    ready: 'rocketmq-proxy startup successfully',
  },
};

function configure() {
  mkdirSync(storeDir, { recursive: true });
  writeFileSync(
    join(home, 'broker.conf'),
    readFileSync(join(here, 'broker.conf'), 'utf8').replaceAll('@STORE_DIR@', storeDir),
  );
  writeFileSync(join(home, 'rmq-proxy.json'), readFileSync(join(here, 'rmq-proxy.json'), 'utf8'));
  writeFileSync(join(home, 'namesrv.conf'), readFileSync(join(here, 'namesrv.conf'), 'utf8'));
  for (const name of ['namesrv', 'proxy', 'tools']) {
    writeFileSync(join(home, `rmq.${name}.logback.xml`), logback(join(home, `${name}.log`)));
  }
}

/** Logs to one file per process, warnings and up, plus the lines the start-up waits for. */
function logback(file) {
  return `<configuration>
  <appender name="FILE" class="ch.qos.logback.core.FileAppender">
    <file>${file}</file>
    <encoder><pattern>%d{HH:mm:ss.SSS} %-5level %logger{20} - %msg%n</pattern></encoder>
  </appender>
  <root level="WARN"><appender-ref ref="FILE"/></root>
</configuration>
`;
}

const pidFile = (name) => join(home, `${name}.pid`);
const outFile = (name) => join(home, `${name}.stdout`);

function startProcess(name) {
  const { args, ready } = processes[name];
  return startDetached({
    name: `rocketmq ${name}`,
    args: args(),
    cwd: home,
    pidFile: pidFile(name),
    outFile: outFile(name),
    readyLine: ready,
  });
}

const stopProcess = (name) => stopDetached(`rocketmq ${name}`, pidFile(name));

async function assertOwned() {
  if (!runningPid(pidFile('proxy')) && (await serves())) {
    throw new Error(
      'the RocketMQ on 127.0.0.1:8081 was not started by this checkout (no pid file): restart it where it was started',
    );
  }
}

async function serves() {
  return (await portOpen(NAMESRV_PORT)) && (await portOpen(GRPC_PORT));
}

/** Runs RocketMQ's admin tool; it exits 0 even on failure, so its output is checked for "success". */
export function rocketmqAdmin(args) {
  const result = run(
    'java',
    [...jvm(['-Xms64m', '-Xmx256m'], 'tools'), 'org.apache.rocketmq.tools.command.MQAdminStartup', ...args],
    {
      timeoutMs: 120_000,
    },
  );
  if (!/success/i.test(result.output)) throw new Error(`mqadmin ${args[0]} failed:\n${result.output}`);
  return result.output;
}

export const rocketmq = {
  name: 'rocketmq',
  async up() {
    if (await serves()) {
      log('rocketmq already serving on 127.0.0.1:8081');
      return;
    }
    fetchJars(join(here, 'pom.xml'), lib, 'rocketmq-proxy-', 'RocketMQ');
    configure();
    log('starting rocketmq name server and proxy');
    if (!(await portOpen(NAMESRV_PORT))) await startProcess('namesrv');
    await startProcess('proxy');
    log('rocketmq ready on 127.0.0.1:8081 (gRPC), 127.0.0.1:9876 (name server)');
  },
  async status() {
    return serves();
  },
  /** Restarts the proxy and its embedded broker on the same store; the name server stays. */
  async restart() {
    await assertOwned();
    await stopProcess('proxy');
    configure();
    await startProcess('proxy');
  },
  /** SIGKILL the proxy and its embedded broker, then start them again on the same store. */
  async crash() {
    await assertOwned();
    await killDetached('rocketmq proxy', pidFile('proxy'));
    configure();
    await startProcess('proxy');
  },
  async stall() {
    signalDetached('rocketmq proxy', pidFile('proxy'), 'SIGSTOP');
  },
  async resume() {
    signalDetached('rocketmq proxy', pidFile('proxy'), 'SIGCONT');
  },
  async down() {
    await stopProcess('proxy');
    await stopProcess('namesrv');
  },
  async reset() {
    await this.down();
    rmSync(storeDir, { recursive: true, force: true });
  },
};

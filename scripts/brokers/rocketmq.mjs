// RocketMQ 5.3 from Maven Central jars: a name server and a proxy in local mode (which embeds the
// broker), on loopback: gRPC 8081 (the Node client's endpoint), namesrv 9876, broker 10911. Files live
// in .brokers/rocketmq: lib/ (jars), store/, logs, pids.
import { spawn } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { log, mustRun, portOpen, run, sleep, waitUntil } from './util.mjs';

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

function fetchJars() {
  if (existsSync(lib) && readdirSync(lib).some((name) => name.startsWith('rocketmq-proxy-'))) return;
  log('fetching RocketMQ from Maven Central');
  mkdirSync(lib, { recursive: true });
  mustRun(
    'mvn',
    [
      '-B',
      '-q',
      '-f',
      join(here, 'pom.xml'),
      'org.apache.maven.plugins:maven-dependency-plugin:3.6.1:copy-dependencies',
      '-DincludeScope=runtime',
      `-DoutputDirectory=${lib}`,
    ],
    { timeoutMs: 900_000 },
  );
}

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

function pidOf(name) {
  if (!existsSync(pidFile(name))) return undefined;
  const pid = Number(readFileSync(pidFile(name), 'utf8'));
  try {
    process.kill(pid, 0);
    return pid;
  } catch {
    return undefined;
  }
}

async function startProcess(name) {
  const { args, ready } = processes[name];
  const before = existsSync(outFile(name)) ? readFileSync(outFile(name), 'utf8').split(ready).length : 1;
  const out = openSync(outFile(name), 'a');
  const child = spawn('java', args(), { detached: true, stdio: ['ignore', out, out], cwd: home });
  closeSync(out);
  writeFileSync(pidFile(name), String(child.pid));
  child.unref();
  await waitUntil(
    `rocketmq ${name}`,
    async () => {
      if (!pidOf(name)) throw new Error(`rocketmq ${name} exited while starting; see ${outFile(name)}`);
      return readFileSync(outFile(name), 'utf8').split(ready).length > before;
    },
    180_000,
    500,
  );
}

async function stopProcess(name) {
  const pid = pidOf(name);
  if (!pid) return;
  process.kill(pid, 'SIGTERM');
  await waitUntil(`rocketmq ${name} shutdown`, async () => !pidOf(name), 60_000, 250).catch(() =>
    process.kill(pid, 'SIGKILL'),
  );
  await sleep(200);
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
    fetchJars();
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
    await stopProcess('proxy');
    configure();
    await startProcess('proxy');
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

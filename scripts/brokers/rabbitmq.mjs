// RabbitMQ from Debian's rabbitmq-server, on 127.0.0.1:5672 (guest/guest) and amqps on 127.0.0.1:5671
// (a test CA from .brokers/tls), with the consistent-hash exchange plugin that @ev/rabbitmq uses for
// partition queues.
import {
  chownSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { connect } from 'node:net';
import { dirname, join } from 'node:path';
import { ensureCertificates } from './tls.mjs';
import { ensureDebianPackage, log, mustRun, portOpen, run, waitUntil } from './util.mjs';

const MEMORY_ALARM = '{resource_limit, memory, node()}';

const PORT = 5672;
const TLS_PORT = 5671;
// RabbitMQ reads every file in conf.d after rabbitmq.conf; the node's user must be able to read the key.
const CONF_D = '/etc/rabbitmq/conf.d';
const CERT_DIR = '/etc/rabbitmq/ev-tls';

function awaitStartup() {
  return run('rabbitmqctl', ['await_startup', '--timeout', '60'], { timeoutMs: 90_000 }).status === 0;
}

/**
 * Whether the node answers the AMQP handshake. A node can accept TCP connections and pass
 * `await_startup` yet never answer a client (seen after a SIGKILL left its schema database damaged).
 */
function answersAmqp(timeoutMs = 5_000) {
  return new Promise((resolve) => {
    const socket = connect({ port: PORT, host: '127.0.0.1' });
    const done = (answered) => {
      socket.destroy();
      resolve(answered);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write(Buffer.from('AMQP\x00\x00\x09\x01', 'latin1')));
    socket.once('data', () => done(true));
  });
}

async function ready() {
  return (await portOpen(PORT)) && awaitStartup() && (await answersAmqp());
}

/** Every queue has recovered (quorum queues: elected a leader), so the broker serves what it stored. */
function queuesRunning() {
  const { status, output } = run('rabbitmqctl', [
    'list_queues',
    '--quiet',
    '--no-table-headers',
    'name',
    'state',
  ]);
  return (
    status === 0 && output.split('\n').every((line) => line.trim() === '' || /\trunning$/.test(line.trim()))
  );
}

/**
 * The amqps listener, as a conf.d file, with this checkout's certificates. RabbitMQ reads both at boot:
 * returns true when anything changed, so a running broker must restart to serve them.
 */
function writeTlsConfig() {
  const source = ensureCertificates();
  let changed = false;
  const write = (target, content) => {
    if (existsSync(target) && readFileSync(target, 'utf8') === content) return;
    writeFileSync(target, content);
    changed = true;
  };
  mkdirSync(CERT_DIR, { recursive: true });
  for (const name of ['ca.pem', 'server.pem', 'server.key']) {
    write(join(CERT_DIR, name), readFileSync(join(source, name), 'utf8'));
  }
  const owner = run('id', ['-u', 'rabbitmq']);
  if (owner.status === 0) {
    const uid = Number(owner.output.trim());
    const gid = Number(run('id', ['-g', 'rabbitmq']).output.trim());
    for (const name of ['', 'ca.pem', 'server.pem', 'server.key']) chownSync(join(CERT_DIR, name), uid, gid);
  }
  mkdirSync(CONF_D, { recursive: true });
  write(
    join(CONF_D, '90-ev-tls.conf'),
    [
      `listeners.ssl.local = 127.0.0.1:${TLS_PORT}`,
      `ssl_options.cacertfile = ${CERT_DIR}/ca.pem`,
      `ssl_options.certfile = ${CERT_DIR}/server.pem`,
      `ssl_options.keyfile = ${CERT_DIR}/server.key`,
      'ssl_options.verify = verify_none',
      'ssl_options.fail_if_no_peer_cert = false',
      '',
    ].join('\n'),
  );
  return changed;
}

/** The node's Erlang VM: the oldest of the user's VMs (each rabbitmqctl call runs one of its own). */
function nodePid() {
  const { status, output } = run('pgrep', ['-o', '-x', '-u', 'rabbitmq', 'beam.smp']);
  return status === 0 ? Number(output.trim()) : undefined;
}

/**
 * RabbitMQ sizes its file-handle budget from the open-file limit it starts with, and `su` starts the node
 * with the system default of 1 024 (a budget of 927). Every quorum queue holds a few handles of that
 * budget, sockets included: with some 300 queues on the node, a new connection waits for a handle that
 * never comes, and the broker looks hung (`file_handle_cache:info()` showed 936 used of 927). The limit
 * can only be raised to the hard limit this process has.
 */
const WANTED_FILE_LIMIT = 65_536;
const LIMITS_FILE = '/etc/security/limits.d/ev-rabbitmq.conf';

function fileLimit() {
  const hard = Number(run('sh', ['-c', 'ulimit -Hn']).output.trim());
  return Number.isFinite(hard) ? Math.min(hard, WANTED_FILE_LIMIT) : WANTED_FILE_LIMIT;
}

/** Gives the node's user the open-file limit, through PAM's limits (which `su` applies). */
function writeFileLimit(limit) {
  const content = `rabbitmq soft nofile ${limit}\nrabbitmq hard nofile ${limit}\n`;
  if (existsSync(LIMITS_FILE) && readFileSync(LIMITS_FILE, 'utf8') === content) return;
  mkdirSync(dirname(LIMITS_FILE), { recursive: true });
  writeFileSync(LIMITS_FILE, content);
}

/** The running node's open-file limit, or 0 when it cannot be read. */
function nodeFileLimit() {
  try {
    return Number(
      /^Max open files\s+(\d+)/m.exec(readFileSync(`/proc/${nodePid()}/limits`, 'utf8'))?.[1] ?? 0,
    );
  } catch {
    return 0;
  }
}

/**
 * What a node that stopped answering shows: its process state, open files, alarms and last log lines.
 * Printed before the node is killed, so a hang in CI leaves its traces.
 */
function diagnosis() {
  const attempt = (read) => {
    try {
      return read();
    } catch (error) {
      return `unknown (${error.message})`;
    }
  };
  const pid = nodePid();
  const state = attempt(() => /^State:\s+(.*)$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
  const openFiles = attempt(() => readdirSync(`/proc/${pid}/fd`).length);
  const alarms = run('rabbitmqctl', ['eval', 'rabbit_alarm:get_alarms().'], { timeoutMs: 15_000 });
  const handles = run('rabbitmqctl', ['eval', 'file_handle_cache:info().'], { timeoutMs: 15_000 });
  const lastLines = attempt(() => {
    const logs = readdirSync(LOG_DIR).filter(
      (name) => /^rabbit@.*\.log$/.test(name) && !name.includes('upgrade'),
    );
    const newest = logs.sort(
      (a, b) => statSync(join(LOG_DIR, b)).mtimeMs - statSync(join(LOG_DIR, a)).mtimeMs,
    )[0];
    return newest ? readFileSync(join(LOG_DIR, newest), 'utf8').trimEnd().split('\n').slice(-15) : [];
  });
  return [
    `pid ${pid ?? 'none'}, state ${state}, ${openFiles} open files, alarms: ${alarms.status === 0 ? alarms.output.trim() : 'no answer'}`,
    `file handles: ${handles.status === 0 ? handles.output.trim() : 'no answer'}`,
    'last log lines:',
    ...(Array.isArray(lastLines) ? lastLines : [lastLines]),
  ].join('\n  ');
}

const DATA_DIR = '/var/lib/rabbitmq/mnesia';
const LOG_DIR = '/var/log/rabbitmq';

/**
 * Starts the node and waits until it serves AMQP and amqps. A node that never answers is killed and
 * started again; if it still does not answer, its data is moved aside (kept, not deleted) and it starts
 * empty, so a damaged test broker never fails a whole run.
 */
async function start() {
  if (await startNode()) return;
  log(`rabbitmq does not answer AMQP (${diagnosis()})\nkilling it and starting it again`);
  killNode();
  if (await startNode()) return;
  const aside = `${DATA_DIR}.unresponsive-${Date.now()}`;
  log(`rabbitmq still does not answer: its data is moved to ${aside}, starting it empty`);
  killNode();
  renameSync(DATA_DIR, aside);
  if (!(await startNode())) throw new Error('rabbitmq: not serving after a start from empty data');
}

/** Starts the node; true once it serves AMQP and amqps, false if it does not within two minutes. */
async function startNode() {
  run('rabbitmq-server', ['-detached']);
  const serving = async () => (await ready()) && (await portOpen(TLS_PORT));
  return waitUntil('rabbitmq', serving, 120_000, 1_000).then(
    () => true,
    () => false,
  );
}

/** SIGKILL the node's Erlang VM and its port mapper, and wait until the port is free. */
function killNode() {
  run('pkill', ['-9', '-u', 'rabbitmq', 'beam.smp']);
  run('pkill', ['-9', '-u', 'rabbitmq', 'epmd']);
  run('sleep', ['2']);
}

export const rabbitmq = {
  name: 'rabbitmq',
  async up() {
    ensureDebianPackage('rabbitmq-server', 'rabbitmq-server');
    const tlsChanged = writeTlsConfig();
    const limit = fileLimit();
    writeFileLimit(limit);
    if (!(await ready())) {
      log('starting rabbitmq-server');
      if (await portOpen(PORT)) {
        log(`rabbitmq listens but does not answer AMQP (${diagnosis()})\nkilling it`);
        killNode();
      }
      await start();
    } else if (tlsChanged || !(await portOpen(TLS_PORT)) || nodeFileLimit() < limit) {
      log(`restarting rabbitmq to serve amqps with this checkout's certificate and ${limit} open files`);
      run('rabbitmqctl', ['stop'], { timeoutMs: 120_000 });
      await waitUntil('rabbitmq stopped', async () => !(await portOpen(PORT)), 60_000, 250);
      await start();
    }
    mustRun('rabbitmq-plugins', ['enable', '--online', 'rabbitmq_consistent_hash_exchange']);
    // A node that has just booted still elects leaders for the quorum queues it already has.
    await waitUntil('rabbitmq queues', queuesRunning, 120_000, 500);
    log('rabbitmq ready on 127.0.0.1:5672, amqps on 127.0.0.1:5671');
  },
  async status() {
    return ready();
  },
  /** A broker restart as a client sees it: every connection drops, durable state is recovered from disk. */
  async restart() {
    mustRun('rabbitmqctl', ['stop_app']);
    mustRun('rabbitmqctl', ['start_app'], { timeoutMs: 180_000 });
    await waitUntil('rabbitmq', ready, 120_000, 500);
    await waitUntil('rabbitmq queues', queuesRunning, 120_000, 500);
  },
  /** SIGKILL the Erlang VM (no clean shutdown), start it again and wait until every queue recovered. */
  async crash() {
    const pid = Number(mustRun('rabbitmqctl', ['eval', 'list_to_integer(os:getpid()).']).trim());
    process.kill(pid, 'SIGKILL');
    await waitUntil('rabbitmq killed', async () => !(await portOpen(PORT)), 30_000, 100);
    await start();
    await waitUntil('rabbitmq queues', queuesRunning, 120_000, 500);
  },
  /** Raises a memory alarm: RabbitMQ blocks every publishing connection until it is cleared. */
  async stall() {
    mustRun('rabbitmqctl', ['eval', `rabbit_alarm:set_alarm({${MEMORY_ALARM}, []}).`]);
  },
  async resume() {
    mustRun('rabbitmqctl', ['eval', `rabbit_alarm:clear_alarm(${MEMORY_ALARM}).`]);
  },
  async down() {
    run('rabbitmqctl', ['stop']);
  },
};

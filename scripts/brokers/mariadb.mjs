// MariaDB from Debian's packages, on 127.0.0.1:3306 (root, no password), with the database ev_test that
// the transactional-outbox tests use. A system service: started with start-stop-daemon when it is
// stopped, left running by `down` (it may hold other databases).
import { chownSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute } from 'node:path';
import {
  ensureDebianPackage,
  hasCommand,
  log,
  pointsElsewhere,
  portOpen,
  run,
  waitWithProgress,
} from './util.mjs';

const PORT = 3306;
const DATABASE = 'ev_test';
const URL_VARIABLE = 'EV_MYSQL_URL';
const SERVERS = ['/usr/sbin/mariadbd', '/usr/sbin/mysqld'];

/** The last answer the client gave when it could not run a query: what a failure message shows. */
let lastFailure = '';

/** The command-line client: MariaDB's, or MySQL's under its old name; Debian's when there is neither. */
function client() {
  if (hasCommand('mariadb')) return 'mariadb';
  if (hasCommand('mysql')) return 'mysql';
  ensureDebianPackage('mariadb', 'mariadb-client');
  return 'mariadb';
}

/** Runs one statement as root over TCP, ignoring option files (whose password is not the tests'). */
function sql(statement) {
  return run(
    client(),
    [
      '--no-defaults',
      '--protocol=TCP',
      '-h127.0.0.1',
      `-P${PORT}`,
      '-uroot',
      '--connect-timeout=5',
      '-NB',
      '-e',
      statement,
    ],
    { timeoutMs: 15_000 },
  );
}

/** Whether the server runs a query, not just accepts connections. */
async function answers() {
  if (!(await portOpen(PORT))) {
    lastFailure = `nothing listens on 127.0.0.1:${PORT}`;
    return false;
  }
  const result = sql('select 1');
  if (result.status === 0 && result.output.trim() === '1') return true;
  lastFailure = result.output.trim();
  return false;
}

/** A login the server refuses (root has a password, or logs in through the unix socket only). */
function refusedLogin() {
  return /Access denied/.test(lastFailure);
}

function refusedError() {
  return new Error(
    `mariadb: the server on 127.0.0.1:${PORT} refuses root without a password (${lastFailure}): allow it ` +
      `for 127.0.0.1, or point ${URL_VARIABLE} to a server the tests may use`,
  );
}

/** The server's settings from its option files (`--socket=...` lines), as { socket, 'pid-file', ... }. */
function serverOptions() {
  const options = {};
  if (!hasCommand('my_print_defaults')) return options;
  for (const line of run('my_print_defaults', ['--mysqld']).output.split('\n')) {
    const match = /^--([^=]+)=(.*)$/.exec(line.trim());
    if (match) options[match[1].replaceAll('_', '-')] = match[2];
  }
  return options;
}

/** The server's error log's last lines, for a server that exited while starting. */
function logTail(options) {
  const file = options['log-error'];
  if (!file || !isAbsolute(file)) return 'no log-error file configured';
  try {
    return `${file}:\n  ${readFileSync(file, 'utf8').trimEnd().split('\n').slice(-15).join('\n  ')}`;
  } catch (error) {
    return `${file}: ${error.message}`;
  }
}

/**
 * Starts Debian's server in the background. As root, mariadbd refuses to run unless told which user to
 * become (`--user=mysql`, which Debian's option files do not always set). Without systemd nothing
 * recreates its socket and pid directory (/run/mysqld) after a reboot, so it is made here, for mysql.
 */
function start(server, options) {
  if (process.getuid?.() !== 0) {
    throw new Error(
      `mariadb: nothing answers on 127.0.0.1:${PORT}, and starting the system service needs root`,
    );
  }
  const owner = run('id', ['-u', 'mysql']);
  if (owner.status !== 0)
    throw new Error('mariadb: the server is installed but there is no user mysql to run it');
  const uid = Number(owner.output.trim());
  const gid = Number(run('id', ['-g', 'mysql']).output.trim());
  for (const file of [options.socket ?? '/run/mysqld/mysqld.sock', options['pid-file']]) {
    if (!file || !isAbsolute(file) || existsSync(dirname(file))) continue;
    mkdirSync(dirname(file), { recursive: true, mode: 0o755 });
    chownSync(dirname(file), uid, gid);
  }
  log(`starting ${server}`);
  const result = run('start-stop-daemon', [
    '--start',
    '--oknodo',
    '--background',
    '--exec',
    server,
    '--',
    '--user=mysql',
  ]);
  if (result.status !== 0) {
    throw new Error(`mariadb: start-stop-daemon could not start ${server}:\n${result.output.trim()}`);
  }
}

/** Whether the server process is alive (start-stop-daemon's exit 0 for --status). */
function running(server) {
  return run('start-stop-daemon', ['--status', '--exec', server]).status === 0;
}

/** Waits until the server runs queries; fails early when it exited or refuses the login. */
async function waitForServer(server, options, timeoutMs) {
  let timedOut = true;
  // start-stop-daemon returns once it forked: the server process may take a moment to appear.
  const graceEnds = Date.now() + 5_000;
  const check = async () => {
    if (await answers()) return true;
    let failure;
    if (refusedLogin()) failure = refusedError();
    else if (Date.now() > graceEnds && !running(server))
      failure = new Error(`mariadb: ${server} exited while starting; ${logTail(options)}`);
    if (!failure) return false;
    timedOut = false;
    throw failure;
  };
  await waitWithProgress(`mariadb on 127.0.0.1:${PORT}`, check, timeoutMs, 1_000).catch((error) => {
    if (!timedOut) throw error;
    throw new Error(
      `mariadb: not answering on 127.0.0.1:${PORT} after ${timeoutMs / 1000} s: ${lastFailure}; ${logTail(options)}`,
    );
  });
}

export const mariadb = {
  name: 'mariadb',
  async up() {
    const other = pointsElsewhere(URL_VARIABLE, PORT);
    if (other) {
      log(`mariadb: ${URL_VARIABLE} points to ${other}, the local server is left alone`);
      return;
    }
    client();
    if (await answers()) {
      log(`mariadb already serving on 127.0.0.1:${PORT}`);
    } else {
      if (refusedLogin()) throw refusedError();
      const server = SERVERS.find((path) => existsSync(path));
      if (!server) {
        throw new Error(
          `mariadb: nothing answers on 127.0.0.1:${PORT} and no MariaDB server is installed to start: ` +
            "install Debian's mariadb-server, or run the databases from the repo's compose.yaml",
        );
      }
      const options = serverOptions();
      // A server that is running (recovering after a crash, say) is waited for, not started twice.
      if (!running(server)) start(server, options);
      // InnoDB's crash recovery can take a while on a large data directory.
      await waitForServer(server, options, 120_000);
    }
    const created = sql(`CREATE DATABASE IF NOT EXISTS ${DATABASE}`);
    if (created.status !== 0) {
      throw new Error(`mariadb: CREATE DATABASE ${DATABASE} failed:\n${created.output.trim()}`);
    }
    log(`mariadb ready on 127.0.0.1:${PORT}, database ${DATABASE}`);
  },
  async status() {
    return answers();
  },
  /** Left running: a system service that may hold other databases than the tests'. */
  async down() {
    log('mariadb is a system service and stays running');
  },
  /** For the outbox's fault tests: SIGKILL the server (InnoDB recovers on start), then start it. */
  async crash() {
    const server = SERVERS.find((path) => existsSync(path));
    if (!server) throw new Error('mariadb: no MariaDB server installed to crash');
    log(`crashing ${server} (SIGKILL)`);
    run('start-stop-daemon', ['--stop', '--signal', 'KILL', '--exec', server]);
    const deadline = Date.now() + 30_000;
    while (running(server) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
    await this.up();
  },
};

// PostgreSQL from Debian's packages, on 127.0.0.1:5432 (user postgres, trust auth on loopback), with the
// database ev_test that the transactional-outbox tests use. A system service: started with
// pg_ctlcluster when it is stopped, left running by `down` (it may hold other databases).
import {
  ensureDebianPackage,
  hasCommand,
  log,
  pointsElsewhere,
  portOpen,
  run,
  waitWithProgress,
} from './util.mjs';

const PORT = 5432;
const DATABASE = 'ev_test';
const URL_VARIABLE = 'EV_POSTGRES_URL';

/** The last answer psql gave when it could not run a query: what a failure message shows. */
let lastFailure = '';

/** Runs one statement as postgres over TCP; never prompts for a password, gives up after 5 s. */
function psql(sql, database = 'postgres') {
  return run(
    'psql',
    [
      '-X',
      '-w',
      '-qAt',
      '-v',
      'ON_ERROR_STOP=1',
      '-h',
      '127.0.0.1',
      '-p',
      `${PORT}`,
      '-U',
      'postgres',
      '-d',
      database,
      '-c',
      sql,
    ],
    { timeoutMs: 15_000, env: { ...process.env, PGCONNECT_TIMEOUT: '5' } },
  );
}

/** Whether the server runs a query, not just accepts connections. */
async function answers() {
  if (!(await portOpen(PORT))) {
    lastFailure = `nothing listens on 127.0.0.1:${PORT}`;
    return false;
  }
  const result = psql('select 1');
  if (result.status === 0 && result.output.trim() === '1') return true;
  lastFailure = result.output.trim();
  return false;
}

/** Debian's cluster on this port, from `pg_lsclusters`: version, name, status and log file. */
function cluster() {
  if (!hasCommand('pg_lsclusters')) return undefined;
  const { status, output } = run('pg_lsclusters', ['--no-header']);
  if (status !== 0) return undefined;
  for (const line of output.split('\n')) {
    const [version, name, port, state, , , logFile] = line.trim().split(/\s+/);
    if (Number(port) === PORT) return { version, name, state, logFile };
  }
  return undefined;
}

/** Starts Debian's cluster on 5432; pg_ctlcluster waits for the server itself and reports its failure. */
function start() {
  const found = cluster();
  if (!found) {
    throw new Error(
      `postgres: nothing answers on 127.0.0.1:${PORT} and no Debian PostgreSQL cluster uses that port to start: ` +
        "install Debian's postgresql, or run the databases from the repo's compose.yaml",
    );
  }
  log(`starting postgresql ${found.version}/${found.name}`);
  const result = run('pg_ctlcluster', ['--skip-systemctl-redirect', found.version, found.name, 'start'], {
    timeoutMs: 120_000,
  });
  // Exit code 2 is "already running": the server may be recovering and answer soon.
  if (result.status !== 0 && result.status !== 2) {
    const who =
      process.getuid?.() === 0 ? '' : ' (starting a system service needs root or the cluster owner)';
    throw new Error(
      `postgres: pg_ctlcluster ${found.version} ${found.name} start failed${who}:\n${result.output.trim()}\n` +
        `see ${found.logFile}`,
    );
  }
}

/** A login the server refuses (a password wanted, no pg_hba.conf entry) does not get better by waiting. */
function refusedLogin() {
  return /password|pg_hba\.conf|authentication|role "postgres" does not exist/.test(lastFailure);
}

function refusedError() {
  return new Error(
    `postgres: the server on 127.0.0.1:${PORT} refuses user postgres without a password (${lastFailure}): ` +
      `allow it for 127.0.0.1 (trust in pg_hba.conf), or point ${URL_VARIABLE} to a server the tests may use`,
  );
}

/** Waits until the server runs queries; fails with psql's last answer. */
async function waitForServer(timeoutMs) {
  let timedOut = true;
  const check = async () => {
    if (await answers()) return true;
    if (!refusedLogin()) return false;
    timedOut = false;
    throw refusedError();
  };
  await waitWithProgress(`postgres on 127.0.0.1:${PORT}`, check, timeoutMs, 1_000).catch((error) => {
    if (!timedOut) throw error;
    throw new Error(
      `postgres: not answering on 127.0.0.1:${PORT} after ${timeoutMs / 1000} s: ${lastFailure}`,
    );
  });
}

/** Creates ev_test unless it exists; a concurrent creation by another run counts as success. */
function ensureDatabase() {
  const exists = psql(`select 1 from pg_database where datname = '${DATABASE}'`);
  if (exists.status !== 0) throw new Error(`postgres: cannot list databases:\n${exists.output.trim()}`);
  if (exists.output.trim() === '1') return;
  log(`creating database ${DATABASE}`);
  const created = psql(`CREATE DATABASE ${DATABASE}`);
  if (created.status !== 0 && !/already exists/.test(created.output)) {
    throw new Error(`postgres: CREATE DATABASE ${DATABASE} failed:\n${created.output.trim()}`);
  }
}

export const postgres = {
  name: 'postgres',
  async up() {
    const other = pointsElsewhere(URL_VARIABLE, PORT);
    if (other) {
      log(`postgres: ${URL_VARIABLE} points to ${other}, the local server is left alone`);
      return;
    }
    ensureDebianPackage('psql', 'postgresql-client');
    if (await answers()) {
      log(`postgres already serving on 127.0.0.1:${PORT}`);
    } else if (await portOpen(PORT)) {
      // A server that listens but refuses queries may be starting up or recovering after a crash.
      log(`postgres listens on 127.0.0.1:${PORT} but does not answer yet (${lastFailure})`);
      await waitForServer(60_000);
    } else {
      start();
      await waitForServer(60_000);
    }
    ensureDatabase();
    log(`postgres ready on 127.0.0.1:${PORT}, database ${DATABASE}`);
  },
  async status() {
    return answers();
  },
  /** Left running: a system service that may hold other databases than the tests'. */
  async down() {
    log('postgres is a system service and stays running (pg_ctlcluster stops it)');
  },
  /**
   * For the outbox's fault tests: an immediate shutdown (no checkpoint, every connection cut, crash
   * recovery on start, as after a power loss), then start.
   */
  async crash() {
    const found = cluster();
    if (!found) throw new Error(`postgres: no Debian cluster on port ${PORT} to crash`);
    log(`crashing postgresql ${found.version}/${found.name} (immediate shutdown)`);
    const stopped = run(
      'pg_ctlcluster',
      ['--skip-systemctl-redirect', found.version, found.name, 'stop', '-m', 'immediate'],
      { timeoutMs: 60_000 },
    );
    if (stopped.status !== 0)
      throw new Error(`postgres: immediate shutdown failed:\n${stopped.output.trim()}`);
    await this.up();
  },
};

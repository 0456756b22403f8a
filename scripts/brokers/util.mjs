// Small process and network helpers shared by the broker scripts.
import { spawn, spawnSync } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { connect } from 'node:net';

export function log(message) {
  console.error(`[brokers] ${message}`);
}

/** Runs a command, returns { status, output }; never throws on a non-zero exit. */
export function run(command, args, options = {}) {
  const result = spawnSync(command, args, {
    encoding: 'utf8',
    timeout: options.timeoutMs ?? 120_000,
    ...options,
  });
  return { status: result.status ?? 1, output: `${result.stdout ?? ''}${result.stderr ?? ''}` };
}

/** Runs a command and fails loudly with its output when it exits non-zero. */
export function mustRun(command, args, options = {}) {
  const result = run(command, args, options);
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed:\n${result.output}`);
  return result.output;
}

export function hasCommand(name) {
  return run('sh', ['-c', `command -v ${name}`]).status === 0;
}

export function portOpen(port, host = '127.0.0.1', timeoutMs = 1_000) {
  return new Promise((resolve) => {
    const socket = connect({ port, host });
    const done = (open) => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` until it returns true or the deadline passes. */
export async function waitUntil(what, check, timeoutMs, intervalMs = 500) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await sleep(intervalMs);
  }
  throw new Error(`${what}: not ready after ${timeoutMs} ms`);
}

/**
 * Waits as `waitUntil` does, with progress: a line when the wait begins and one every 10 s while it lasts,
 * so a slow start (a database recovering after a crash) does not look like a hang.
 */
export async function waitWithProgress(what, check, timeoutMs, intervalMs = 500) {
  log(`waiting for ${what} (up to ${timeoutMs / 1000} s)`);
  const started = Date.now();
  let nextLine = started + 10_000;
  await waitUntil(
    what,
    async () => {
      if (Date.now() >= nextLine) {
        log(`still waiting for ${what} (${Math.round((Date.now() - started) / 1000)} s)`);
        nextLine += 10_000;
      }
      return check();
    },
    timeoutMs,
    intervalMs,
  );
}

/**
 * The server an `EV_*_URL` variable points the tests to, as `host:port`, when it is not this machine's
 * loopback on `port`; undefined when the variable is unset or names the local server. A script leaves the
 * local service alone when the tests use another one.
 */
export function pointsElsewhere(variable, port) {
  const value = process.env[variable];
  if (value === undefined || value === '') return undefined;
  let url;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`${variable} is not a URL`);
  }
  const urlPort = url.port === '' ? port : Number(url.port);
  const local = ['', '127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  return local && urlPort === port ? undefined : `${url.hostname || 'localhost'}:${urlPort}`;
}

/** Installs Debian packages when a command is missing (CI and fresh machines run as root). */
export function ensureDebianPackage(command, pkg) {
  if (hasCommand(command)) return;
  log(`installing ${pkg} from Debian's packages`);
  let result = run('apt-get', ['install', '-y', '-q', pkg], { timeoutMs: 600_000 });
  if (result.status !== 0) {
    mustRun('apt-get', ['update', '-q'], { timeoutMs: 600_000 });
    result = run('apt-get', ['install', '-y', '-q', pkg], { timeoutMs: 600_000 });
  }
  if (result.status !== 0) throw new Error(`could not install ${pkg}:\n${result.output}`);
}

/** Copies the runtime jars a dependency-list pom names from Maven Central, unless `marker` is there. */
export function fetchJars(pom, lib, marker, what) {
  if (existsSync(lib) && readdirSync(lib).some((name) => name.startsWith(marker))) return;
  log(`fetching ${what} from Maven Central`);
  mkdirSync(lib, { recursive: true });
  mustRun(
    'mvn',
    [
      '-B',
      '-q',
      '-f',
      pom,
      'org.apache.maven.plugins:maven-dependency-plugin:3.6.1:copy-dependencies',
      '-DincludeScope=runtime',
      `-DoutputDirectory=${lib}`,
    ],
    { timeoutMs: 900_000 },
  );
}

/** The pid in `pidFile` if that process is alive. */
export function runningPid(pidFile) {
  if (!existsSync(pidFile)) return undefined;
  const pid = Number(readFileSync(pidFile, 'utf8'));
  try {
    process.kill(pid, 0);
    return pid;
  } catch {
    return undefined;
  }
}

/**
 * Starts a long-running JVM detached from this process, its output appended to `outFile`, and waits
 * until `readyFile` shows `readyLine` once more than before (and `check`, if given, passes).
 */
export async function startDetached({
  name,
  args,
  cwd,
  pidFile,
  outFile,
  readyFile = outFile,
  readyLine,
  check,
}) {
  const count = () => (existsSync(readyFile) ? readFileSync(readyFile, 'utf8').split(readyLine).length : 1);
  const before = count();
  const out = openSync(outFile, 'a');
  const child = spawn('java', args, { detached: true, stdio: ['ignore', out, out], cwd });
  closeSync(out);
  writeFileSync(pidFile, String(child.pid));
  child.unref();
  await waitUntil(
    name,
    async () => {
      if (!runningPid(pidFile)) throw new Error(`${name} exited while starting; see ${outFile}`);
      return count() > before && (check ? await check() : true);
    },
    180_000,
    500,
  );
}

/** SIGKILL, as a crash or the kernel's OOM killer would: no clean shutdown. Waits until it is gone. */
export async function killDetached(name, pidFile) {
  const pid = runningPid(pidFile);
  if (!pid) throw new Error(`${name} is not running from this checkout`);
  process.kill(pid, 'SIGKILL');
  await waitUntil(`${name} killed`, async () => !runningPid(pidFile), 30_000, 100);
}

/**
 * SIGSTOP freezes the process: its sockets stay open but nothing is answered, like a broker stuck in a
 * long GC pause or on a full disk. SIGCONT lets it go on.
 */
export function signalDetached(name, pidFile, signal) {
  const pid = runningPid(pidFile);
  if (!pid) throw new Error(`${name} is not running from this checkout`);
  process.kill(pid, signal);
}

/** SIGTERM, then SIGKILL if it has not exited within a minute. */
export async function stopDetached(name, pidFile) {
  const pid = runningPid(pidFile);
  if (!pid) return;
  process.kill(pid, 'SIGTERM');
  await waitUntil(`${name} shutdown`, async () => !runningPid(pidFile), 60_000, 250).catch(() =>
    process.kill(pid, 'SIGKILL'),
  );
  await sleep(200);
}

// Small process and network helpers shared by the broker scripts.
import { spawnSync } from 'node:child_process';
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

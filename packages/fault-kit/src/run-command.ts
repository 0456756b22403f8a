import { spawn } from 'node:child_process';

/**
 * Runs a command with its output shown, without blocking the event loop — so pushers keep sending while
 * a broker script restarts or crashes the broker. Rejects on a non-zero exit or after `timeoutMs`.
 */
export function runCommand(command: string, args: readonly string[], timeoutMs = 300_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: 'inherit' });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new Error(`${command} ${args.join(' ')} ended with ${signal ?? `exit code ${code}`}`));
    });
  });
}

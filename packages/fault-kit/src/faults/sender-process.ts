import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { FaultHarness } from './types.js';

const script = fileURLToPath(new URL('./delayed-sender-process.js', import.meta.url));

/**
 * Runs a separate Node process that sends one delayed message and kills itself with SIGKILL as soon as
 * the send resolved. Resolves with what it printed: the message id and when it called sendDelayAfter.
 */
export function sendDelayedFromDyingProcess(
  harness: FaultHarness,
  topic: string,
  delayMs: number,
): Promise<{ messageId: string; sentAt: number }> {
  const order = JSON.stringify({ ...harness.sender, topic, delayMs });
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, order], { stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      const line = output.split('\n').find((candidate) => candidate.startsWith('{'));
      if (signal !== 'SIGKILL' || !line) {
        reject(
          new Error(`the sender process ended with ${signal ?? `exit code ${code}`} before its receipt`),
        );
        return;
      }
      resolve(JSON.parse(line) as { messageId: string; sentAt: number });
    });
  });
}

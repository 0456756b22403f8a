#!/usr/bin/env node
// The one entry point for local brokers: `pnpm brokers up [rabbitmq|kafka|rocketmq|all]`, `down`,
// `status`, `restart`, and faults for the reliability tests: `crash` (SIGKILL, then start), `stall` and
// `resume`. Reuses a broker that is already running; waits until each one really serves.
import { kafka } from './kafka.mjs';
import { rabbitmq } from './rabbitmq.mjs';
import { rocketmq } from './rocketmq.mjs';
import { log } from './util.mjs';

const brokers = { rabbitmq, kafka, rocketmq };

async function main() {
  const [command = 'status', ...names] = process.argv.slice(2);
  const selected = names.length === 0 || names.includes('all') ? Object.keys(brokers) : names;
  for (const name of selected) {
    const broker = brokers[name];
    if (!broker) throw new Error(`unknown broker "${name}": use ${Object.keys(brokers).join(', ')} or all`);
    if (command === 'status') {
      console.log(`${name}: ${(await broker.status()) ? 'up' : 'down'}`);
    } else if (typeof broker[command] === 'function') {
      await broker[command]();
    } else {
      throw new Error(
        `unknown command "${command}": use up, down, status, restart, crash, stall, resume, clean or reset`,
      );
    }
  }
}

main().catch((error) => {
  log(error instanceof Error ? error.message : String(error));
  process.exit(1);
});

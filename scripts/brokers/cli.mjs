#!/usr/bin/env node
// The one entry point for local brokers and databases:
// `pnpm brokers up [rabbitmq|kafka|rocketmq|postgres|mariadb|all]`, `down`, `status`, `restart`, and
// faults for the reliability tests: `crash` (SIGKILL, then start), `stall` and `resume`. Reuses a broker
// or database that is already running; waits until each one really serves.
import { kafka } from './kafka.mjs';
import { mariadb } from './mariadb.mjs';
import { postgres } from './postgres.mjs';
import { rabbitmq } from './rabbitmq.mjs';
import { rocketmq } from './rocketmq.mjs';
import { log } from './util.mjs';

const brokers = { rabbitmq, kafka, rocketmq, postgres, mariadb };

async function main() {
  const [command = 'status', ...names] = process.argv.slice(2);
  const all = names.length === 0 || names.includes('all');
  const selected = all ? Object.keys(brokers) : names;
  for (const name of selected) {
    const broker = brokers[name];
    if (!broker) throw new Error(`unknown broker "${name}": use ${Object.keys(brokers).join(', ')} or all`);
    if (command === 'status') {
      console.log(`${name}: ${(await broker.status()) ? 'up' : 'down'}`);
    } else if (typeof broker[command] === 'function') {
      await broker[command]();
    } else if (all && ['restart', 'crash', 'stall', 'resume', 'clean', 'reset'].includes(command)) {
      // A fault or clean-up that one of them does not have (the databases have none) skips it under `all`.
      log(`${name}: no ${command}, skipped`);
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

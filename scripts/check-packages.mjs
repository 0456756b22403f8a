#!/usr/bin/env node
// Checks every package as npm would ship it. Each packed tarball must pass publint and arethetypeswrong;
// then, installed into empty projects as a user would from npm: only the dependencies it should pull
// in, ESM import and require() both work, and the types resolve under moduleResolution node16 and
// bundler. Run after `pnpm build`.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'ev-packages-'));
const packs = join(work, 'packs');
mkdirSync(packs);

const heavy = [
  'amqplib',
  'kafkajs',
  'rocketmq-client-nodejs',
  '@grpc/grpc-js',
  'pg',
  'mysql2',
  'kysely',
  '@electric-sql/pglite',
];
const scenarios = [
  { name: 'core + memory', packages: ['core', 'memory'], allowed: [], module: '@ev/memory' },
  {
    name: 'core + testing',
    packages: ['core', 'testing'],
    allowed: [],
    module: '@ev/testing',
    entry: 'MockPusher',
  },
  { name: 'core + kafka', packages: ['core', 'kafka'], allowed: ['kafkajs'], module: '@ev/kafka' },
  { name: 'core + rabbitmq', packages: ['core', 'rabbitmq'], allowed: ['amqplib'], module: '@ev/rabbitmq' },
  {
    name: 'core + rocketmq',
    packages: ['core', 'rocketmq'],
    allowed: ['rocketmq-client-nodejs', '@grpc/grpc-js'],
    module: '@ev/rocketmq',
  },
  // The database drivers are the application's own: the outbox installs none of them.
  {
    name: 'core + outbox (pg)',
    packages: ['core', 'outbox'],
    allowed: [],
    module: '@ev/outbox/pg',
    entry: 'pgOutbox',
  },
  {
    name: 'core + outbox (mysql)',
    packages: ['core', 'outbox'],
    allowed: [],
    module: '@ev/outbox/mysql',
    entry: 'mysqlOutbox',
  },
];

function sh(command, args, cwd) {
  return execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

const tarball = {};
for (const name of ['core', 'memory', 'testing', 'kafka', 'rabbitmq', 'rocketmq', 'outbox']) {
  const out = sh('pnpm', ['pack', '--pack-destination', packs], join(root, 'packages', name));
  tarball[name] = out.trim().split('\n').pop();
}

let failures = 0;
const coreVersion = JSON.parse(readFileSync(join(root, 'packages/core/package.json'), 'utf8')).version;
for (const [name, file] of Object.entries(tarball)) {
  try {
    // pnpm rewrites workspace: ranges when it packs; npm users must see a real range on @ev/core.
    const manifest = JSON.parse(sh('tar', ['-xOzf', file, 'package/package.json'], root));
    if (JSON.stringify(manifest).includes('workspace:')) throw new Error('a workspace: range was packed');
    const coreRange = manifest.peerDependencies?.['@ev/core'];
    if (name !== 'core' && coreRange !== `^${coreVersion}`) throw new Error(`peer @ev/core is ${coreRange}`);
    sh('pnpm', ['exec', 'publint', '--strict', '--pack', 'pnpm'], join(root, 'packages', name));
    // The packages are ESM only: require() of them works from Node 20.19 (require(esm)), which
    // arethetypeswrong's node16-CJS view predates, so that one rule is ignored.
    sh('pnpm', ['exec', 'attw', file, '--ignore-rules', 'cjs-resolves-to-esm'], root);
    console.log(`ok   @ev/${name}: manifest, publint, arethetypeswrong`);
  } catch (error) {
    failures += 1;
    console.error(`FAIL @ev/${name}: ${error.stdout ?? ''}${error.stderr ?? ''}${error.message}`);
  }
}

for (const scenario of scenarios) {
  const entry = scenario.entry ?? 'connectBroker';
  const dir = join(work, scenario.name.replaceAll(/\W+/g, '-'));
  mkdirSync(dir);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'empty', private: true, type: 'module' }));
  try {
    sh(
      'npm',
      [
        'install',
        '--no-audit',
        '--no-fund',
        '--ignore-scripts',
        ...scenario.packages.map((p) => tarball[p]),
        'typescript@5.9.3',
        '@types/node@20',
      ],
      dir,
    );
    for (const dependency of heavy) {
      const present = existsSync(join(dir, 'node_modules', dependency));
      if (present && !scenario.allowed.includes(dependency)) throw new Error(`${dependency} was installed`);
    }
    writeFileSync(
      join(dir, 'esm.mjs'),
      `import * as core from '@ev/core';\nimport * as adapter from '${scenario.module}';\nif (typeof core.connect !== 'function' || typeof adapter.${entry} !== 'function') process.exit(1);\n`,
    );
    writeFileSync(
      join(dir, 'cjs.cjs'),
      `const core = require('@ev/core');\nconst adapter = require('${scenario.module}');\nif (typeof core.createUserEvent !== 'function' || typeof adapter.${entry} !== 'function') process.exit(1);\n`,
    );
    sh('node', ['esm.mjs'], dir);
    sh('node', ['cjs.cjs'], dir);
    writeFileSync(
      join(dir, 'types.ts'),
      `import { connect, createUserEvent, type Pusher } from '@ev/core';\nimport { ${entry} } from '${scenario.module}';\nexport const use = async (p: Pusher) => [connect, ${entry}, createUserEvent(p)];\n`,
    );
    for (const resolution of [
      ['--module', 'node16', '--moduleResolution', 'node16'],
      ['--module', 'esnext', '--moduleResolution', 'bundler'],
    ]) {
      sh('npx', ['tsc', '--noEmit', '--strict', ...resolution, 'types.ts'], dir);
    }
    console.log(`ok   ${scenario.name}`);
  } catch (error) {
    failures += 1;
    console.error(`FAIL ${scenario.name}: ${error.stdout ?? ''}${error.stderr ?? ''}${error.message}`);
  }
}
rmSync(work, { recursive: true, force: true });
process.exit(failures > 0 ? 1 : 0);

#!/usr/bin/env node
// Proves the release flow without publishing: in throwaway copies of the workspace manifests, adds a
// changeset, runs `changeset version` and checks the versions and CHANGELOGs it produced — in
// particular that adapters, which peer on @ev/core, are released again only when a core major leaves
// their peer range. Then runs a publish dry run of the real packages (after `pnpm build`).
import { execFileSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const changesetBin = join(root, 'node_modules', '.bin', 'changeset');
const published = ['core', 'memory', 'testing', 'kafka', 'rabbitmq', 'rocketmq', 'outbox'];
const base = JSON.parse(readFileSync(join(root, 'packages/core/package.json'), 'utf8')).version;
const [major, minor, patch] = base.split('.').map(Number);

const scenarios = [
  {
    name: 'core minor: adapters and testing stay, their peer range still holds',
    changes: { '@ev/core': 'minor' },
    expect: { core: `${major}.${minor + 1}.0` },
  },
  {
    name: 'core patch: only core',
    changes: { '@ev/core': 'patch' },
    expect: { core: `${major}.${minor}.${patch + 1}` },
  },
  {
    name: 'core major: every package peering on it is majored with it',
    changes: { '@ev/core': 'major' },
    expect: Object.fromEntries(published.map((name) => [name, `${major + 1}.0.0`])),
  },
  {
    name: 'adapter patch: only that adapter',
    changes: { '@ev/kafka': 'patch' },
    expect: { kafka: `${major}.${minor}.${patch + 1}` },
  },
];

function sh(command, args, cwd) {
  return execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function workspaceManifests() {
  const files = ['package.json', 'pnpm-workspace.yaml', '.changeset/config.json'];
  for (const folder of ['packages', 'examples']) {
    for (const name of readdirSync(join(root, folder))) files.push(`${folder}/${name}/package.json`);
  }
  files.push('bench/package.json');
  return files.filter((file) => existsSync(join(root, file)));
}

function versionIn(dir, name) {
  return JSON.parse(readFileSync(join(dir, 'packages', name, 'package.json'), 'utf8')).version;
}

let failures = 0;
for (const scenario of scenarios) {
  const dir = mkdtempSync(join(tmpdir(), 'ev-release-'));
  try {
    for (const file of workspaceManifests()) {
      mkdirSync(dirname(join(dir, file)), { recursive: true });
      cpSync(join(root, file), join(dir, file));
    }
    const summary = `Release check: ${scenario.name}.`;
    const front = Object.entries(scenario.changes)
      .map(([pkg, bump]) => `"${pkg}": ${bump}`)
      .join('\n');
    writeFileSync(join(dir, '.changeset', 'release-check.md'), `---\n${front}\n---\n\n${summary}\n`);
    sh(changesetBin, ['version'], dir);

    const problems = [];
    for (const name of published) {
      const want = scenario.expect[name] ?? base;
      const got = versionIn(dir, name);
      if (got !== want) problems.push(`@ev/${name} is ${got}, expected ${want}`);
      const changelog = join(dir, 'packages', name, 'CHANGELOG.md');
      const released = want !== base;
      if (released !== existsSync(changelog))
        problems.push(`@ev/${name} CHANGELOG.md should ${released ? '' : 'not '}exist`);
      const direct = Object.keys(scenario.changes).includes(`@ev/${name}`);
      if (direct && !readFileSync(changelog, 'utf8').includes(summary)) {
        problems.push(`@ev/${name} CHANGELOG.md lacks the changeset's summary`);
      }
    }
    for (const folder of ['examples', 'bench', 'packages/fault-kit']) {
      if (existsSync(join(dir, folder, 'CHANGELOG.md'))) problems.push(`private ${folder} was versioned`);
    }
    if (problems.length > 0) throw new Error(problems.join('; '));
    console.log(`ok   ${scenario.name}`);
  } catch (error) {
    failures += 1;
    console.error(`FAIL ${scenario.name}: ${error.stderr ?? ''}${error.message}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// A publish dry run of the real packages: what `changeset publish` hands to the registry.
try {
  const out = sh('pnpm', ['-r', 'publish', '--dry-run', '--no-git-checks'], root);
  const listed = [...out.matchAll(/^\+ (@ev\/[a-z]+)@(\S+)$/gm)].map((match) => `${match[1]}@${match[2]}`);
  const missing = published.map((name) => `@ev/${name}@${base}`).filter((entry) => !listed.includes(entry));
  if (missing.length > 0) throw new Error(`not in the publish dry run: ${missing.join(', ')}`);
  console.log(`ok   publish dry run: ${published.length} packages`);
} catch (error) {
  failures += 1;
  console.error(`FAIL publish dry run: ${error.stderr ?? ''}${error.message}`);
}
process.exit(failures > 0 ? 1 : 0);

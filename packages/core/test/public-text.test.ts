import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The public text speaks to users: READMEs, RELIABILITY.md, docs/*.md and the TSDoc in src (which
 * becomes the API reference) must not refer to where the project came from or to an internal design
 * document. Tests and their comments may.
 */
const FORBIDDEN = /\bthe seed\b|mockgen|DESIGN §/i;

const root = fileURLToPath(new URL('../../..', import.meta.url));

function dirsIn(dir: string): string[] {
  const path = join(root, dir);
  if (!existsSync(path)) return [];
  return readdirSync(path, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => join(dir, entry.name));
}

function tsFilesUnder(dir: string): string[] {
  const path = join(root, dir);
  if (!existsSync(path)) return [];
  return readdirSync(path, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.ts'))
    .map((name) => join(dir, name));
}

function publicTextFiles(): string[] {
  const files = ['README.md', 'RELIABILITY.md'];
  const docs = join(root, 'docs');
  if (existsSync(docs)) {
    for (const entry of readdirSync(docs, { withFileTypes: true })) {
      // docs/api is generated from the TSDoc, which is checked at its source.
      if (entry.isFile() && entry.name.endsWith('.md')) files.push(join('docs', entry.name));
    }
  }
  for (const pkg of dirsIn('packages')) {
    files.push(join(pkg, 'README.md'));
    files.push(...tsFilesUnder(join(pkg, 'src')));
  }
  for (const example of dirsIn('examples')) files.push(...tsFilesUnder(join(example, 'src')));
  return files.filter((file) => existsSync(join(root, file)));
}

describe('public text', () => {
  const files = publicTextFiles();

  it('finds the files it checks', () => {
    expect(files).toContain('README.md');
    expect(files).toContain(join('packages', 'core', 'README.md'));
    expect(files).toContain(join('packages', 'core', 'src', 'pusher.ts'));
    expect(files.some((file) => file.startsWith(join('examples', 'scheduled-job', 'src')))).toBe(true);
  });

  it('never mentions "the seed", mockgen or sections of a design document', () => {
    const offending: string[] = [];
    for (const file of files) {
      readFileSync(join(root, file), 'utf8')
        .split('\n')
        .forEach((line, index) => {
          if (FORBIDDEN.test(line)) offending.push(`${file}:${index + 1}: ${line.trim()}`);
        });
    }
    expect(offending).toEqual([]);
  });
});

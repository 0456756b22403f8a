import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const main = fileURLToPath(new URL('../dist/main.js', import.meta.url));

describe('the job started with a broker it cannot reach', () => {
  it('says so in one line and exits 1, without a stack trace or client library lines', () => {
    const run = spawnSync(
      process.execPath,
      [main, '--broker', 'kafka://svc:Hunter2@127.0.0.1:1', '--max-runs', '1'],
      { encoding: 'utf8', timeout: 60_000 },
    );
    const lines = `${run.stdout}${run.stderr}`.split('\n').filter((line) => line.trim() !== '');
    expect(run.status).toBe(1);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/ error +cannot start: \[ev\] \[kafka\] cannot reach Kafka at 127\.0\.0\.1:1/);
    expect(lines[0]).toContain('"code":"UNAVAILABLE"');
    expect(`${run.stdout}${run.stderr}`).not.toContain('Hunter2');
  }, 90_000);
});

describe('the job started with a database it cannot reach', () => {
  it('says so in one line and exits 1, without the database password', () => {
    const run = spawnSync(
      process.execPath,
      [main, '--database', 'postgres://job:Hunter2@127.0.0.1:1/ev_test', '--max-runs', '1'],
      { encoding: 'utf8', timeout: 60_000 },
    );
    const lines = `${run.stdout}${run.stderr}`.split('\n').filter((line) => line.trim() !== '');
    expect(run.status).toBe(1);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      / error +cannot start: cannot open the database postgres:\/\/\*\*\*@127\.0\.0\.1:1\/ev_test/,
    );
    expect(`${run.stdout}${run.stderr}`).not.toContain('Hunter2');
  }, 90_000);
});

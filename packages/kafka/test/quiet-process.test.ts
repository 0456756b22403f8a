import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { uniqueTopic } from '@ev/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { assertKafkaReachable, KAFKA_URL } from './broker.js';

const program = fileURLToPath(new URL('./fixtures/send-once.mjs', import.meta.url));

beforeAll(assertKafkaReachable);

describe('a program that sends through @ev/kafka', () => {
  // kafkajs arms negative timers, which Node 24 reports as a TimeoutNegativeWarning on stderr.
  it('prints nothing on a run that succeeds, not even a Node warning', () => {
    const run = spawnSync(process.execPath, [program, KAFKA_URL, uniqueTopic('quiet-process')], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.status).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe('');
  }, 90_000);
});

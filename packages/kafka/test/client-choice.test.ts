import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { InvalidArgumentError, NotSupportedError } from '@ev/core';
import { uniqueTopic } from '@ev/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { nodeRunsPlatformatic } from '../src/client/load.js';
import { connectBroker } from '../src/index.js';
import { assertKafkaReachable } from './broker.js';

const withoutPackage = fileURLToPath(new URL('./fixtures/without-package.mjs', import.meta.url));
const sendOnce = fileURLToPath(new URL('./fixtures/send-once.mjs', import.meta.url));
const PLATFORMATIC_URL = 'kafka://127.0.0.1:9092?client=platformatic';

beforeAll(assertKafkaReachable);

const platformatic1 = fileURLToPath(new URL('./fixtures/platformatic-1.x', import.meta.url));

/**
 * Runs send-once.mjs with a package hidden, as in an application that never installed it, or with
 * `<package>=<folder>`, installed from that folder.
 */
function sendOnceWithout(packageSpec: string, url: string) {
  return spawnSync(process.execPath, [withoutPackage, packageSpec, sendOnce, url, uniqueTopic('client')], {
    encoding: 'utf8',
    timeout: 60_000,
  });
}

describe('Kafka client choice', () => {
  it('refuses an unknown client, in the options or the URL, before contacting anyone', async () => {
    // @ts-expect-error not a client
    const fromOptions = await connectBroker('kafka://127.0.0.1:1', { client: 'rdkafka' }).catch((e) => e);
    expect(fromOptions).toBeInstanceOf(InvalidArgumentError);
    expect(fromOptions.message).toContain('option client must be one of "kafkajs", "platformatic"');
    const fromUrl = await connectBroker('kafka://127.0.0.1:1?client=rdkafka').catch((e: unknown) => e);
    expect(fromUrl).toBeInstanceOf(InvalidArgumentError);
    expect((fromUrl as Error).message).toContain('must be one of "kafkajs", "platformatic"');
  });

  it.skipIf(nodeRunsPlatformatic())('says which Node platformatic needs, on an older Node', async () => {
    const error = await connectBroker(PLATFORMATIC_URL).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotSupportedError);
    expect((error as Error).message).toContain(
      `needs Node 22.22 or later, and this is Node ${process.versions.node}`,
    );
  });

  it.skipIf(!nodeRunsPlatformatic())(
    'runs on platformatic with kafkajs not installed',
    () => {
      const run = sendOnceWithout('kafkajs', PLATFORMATIC_URL);
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
    },
    90_000,
  );

  it.skipIf(!nodeRunsPlatformatic())(
    'names the package to install when platformatic is missing',
    () => {
      const run = sendOnceWithout('@platformatic/kafka', PLATFORMATIC_URL);
      expect(run.status).not.toBe(0);
      expect(run.stderr).toContain('NotSupportedError');
      expect(run.stderr).toContain('npm install @platformatic/kafka@^2.12');
    },
    90_000,
  );

  it.skipIf(!nodeRunsPlatformatic())(
    'refuses platformatic 1.x, naming the version to install',
    () => {
      const run = sendOnceWithout(`@platformatic/kafka=${platformatic1}`, PLATFORMATIC_URL);
      expect(run.status).not.toBe(0);
      expect(run.stderr).toContain('NotSupportedError');
      expect(run.stderr).toContain('@platformatic/kafka 1.35.0 is installed');
      expect(run.stderr).toContain('npm install @platformatic/kafka@^2.12');
    },
    90_000,
  );

  it('runs on kafkajs without platformatic installed', () => {
    const run = sendOnceWithout('@platformatic/kafka', 'kafka://127.0.0.1:9092');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  }, 90_000);
});

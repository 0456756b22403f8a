import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { BrokerUnavailableError } from '@ev/core';
import { OutputRecorder } from '@ev/fault-kit';
import { uniqueTopic } from '@ev/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { connectBroker, type KafkaOptions } from '../src/index.js';
import { assertKafkaReachable, createKafkaProbe, withTestClient } from './broker.js';

// The repo's Kafka serves TLS on 9094 and TLS + SASL/PLAIN on 9095 with a certificate from a test CA
// that `pnpm brokers up kafka` generates (scripts/brokers/tls.mjs).
const caFile = fileURLToPath(new URL('../../../.brokers/tls/ca.pem', import.meta.url));
const TLS_URL = withTestClient('kafka+ssl://127.0.0.1:9094');
const SASL_TLS_URL = withTestClient('kafka+ssl://127.0.0.1:9095');
const SASL_USER = { mechanism: 'plain', username: 'ev-tester', password: 'ev-tester-secret' } as const;

let ca: Buffer;

beforeAll(async () => {
  await assertKafkaReachable();
  ca = readFileSync(caFile);
}, 60_000);

async function sendAndRead(url: string, options: KafkaOptions): Promise<void> {
  const connection = await connectBroker(url, { ...options, delay: { relay: false } });
  const topic = uniqueTopic('tls');
  try {
    const pusher = await connection.pusher(topic, { partitions: 1 });
    const receipt = await pusher.send(new TextEncoder().encode('over TLS'));
    const probe = await createKafkaProbe().subscribe(topic);
    try {
      const [message] = await probe.waitFor(1, 30_000);
      expect(message!.headers['ev-message-id']).toBe(receipt.messageId);
    } finally {
      await probe.close();
    }
  } finally {
    await connection.close();
  }
}

describe('Kafka over TLS', () => {
  it('sends through a TLS listener whose certificate the given CA signed', async () => {
    await sendAndRead(TLS_URL, { tls: { ca } });
  }, 60_000);

  it('sends through TLS with SASL/PLAIN credentials', async () => {
    await sendAndRead(SASL_TLS_URL, { tls: { ca }, credentials: SASL_USER });
  }, 60_000);

  it('refuses a certificate it does not trust, with a typed error within the connect timeout', async () => {
    const startedAt = Date.now();
    const error = await connectBroker(TLS_URL, { connectTimeoutMs: 3_000, delay: { relay: false } }).catch(
      (e: unknown) => e,
    );
    expect(Date.now() - startedAt).toBeLessThan(3_000 + 10_000);
    expect(error).toBeInstanceOf(BrokerUnavailableError);
  }, 60_000);

  // Spreads the credentials an earlier test logged in with: kafkajs caches an authenticator on the sasl
  // object it gets, so without the adapter's copy this "wrong" password would log in with the old one.
  it('rejects wrong SASL credentials with a typed error that says so, and reveals them nowhere', async () => {
    const secret = 'Wr0ng-But-Still-S3cret';
    const recorder = new OutputRecorder().start();
    try {
      const error = await connectBroker(SASL_TLS_URL, {
        tls: { ca },
        credentials: { ...SASL_USER, password: secret },
        logger: recorder.logger,
        delay: { relay: false },
      }).catch((e: unknown) => e);
      recorder.addError(error);
      expect(error).toBeInstanceOf(BrokerUnavailableError);
      // Told apart from a broker that cannot be reached: retrying will not help.
      expect((error as Error).message).toContain('refused the credentials');
    } finally {
      recorder.stop();
    }
    expect(recorder.text()).not.toContain(secret);
  }, 60_000);
});

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { BrokerUnavailableError } from '@ev/core';
import { OutputRecorder } from '@ev/fault-kit';
import { uniqueTopic } from '@ev/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { connectBroker } from '../src/index.js';
import { assertRabbitMQReachable, createRabbitMQProbe } from './broker.js';

// The repo's RabbitMQ serves amqps on 5671 with a certificate from a test CA that
// `pnpm brokers up rabbitmq` generates (scripts/brokers/tls.mjs).
const caFile = fileURLToPath(new URL('../../../.brokers/tls/ca.pem', import.meta.url));
const AMQPS_URL = 'amqps://guest:guest@127.0.0.1:5671';

let ca: Buffer;

beforeAll(async () => {
  await assertRabbitMQReachable();
  ca = readFileSync(caFile);
});

describe('RabbitMQ over TLS', () => {
  it('sends through the amqps listener whose certificate the given CA signed', async () => {
    const connection = await connectBroker(AMQPS_URL, { tls: { ca: [ca] }, defaultPartitions: 1 });
    const topic = uniqueTopic('tls');
    try {
      const pusher = await connection.pusher(topic);
      const receipt = await pusher.send(new TextEncoder().encode('over TLS'));
      const probe = await createRabbitMQProbe(() => 1).subscribe(topic);
      try {
        const [message] = await probe.waitFor(1, 15_000);
        expect(message!.headers['ev-message-id']).toBe(receipt.messageId);
      } finally {
        await probe.close();
      }
    } finally {
      await connection.close();
    }
  });

  it('refuses a certificate it does not trust, with a typed error', async () => {
    const error = await connectBroker(AMQPS_URL, { connectTimeoutMs: 3_000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BrokerUnavailableError);
  });

  it('rejects wrong credentials over TLS with a typed error and reveals them nowhere', async () => {
    const secret = 'Wr0ng-But-Still-S3cret';
    const recorder = new OutputRecorder().start();
    try {
      const error = await connectBroker(`amqps://guest:${secret}@127.0.0.1:5671`, {
        tls: { ca: [ca] },
        logger: recorder.logger,
      }).catch((e: unknown) => e);
      recorder.addError(error);
      expect(error).toBeInstanceOf(BrokerUnavailableError);
    } finally {
      recorder.stop();
    }
    expect(recorder.text()).not.toContain(secret);
  });
});

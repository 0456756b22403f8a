import { fileURLToPath } from 'node:url';
import { runCommand } from '@ev/fault-kit';
import { type BrokerProbe, ProbeCollector, type ReceivedMessage } from '@ev/testing';
import amqp, { type ConsumeMessage } from 'amqplib';
import { KEY_HEADER, partitionQueue } from '../src/index.js';

/** The broker the tests use: the repo's local RabbitMQ unless EV_RABBITMQ_URL points elsewhere. */
export const RABBITMQ_URL = process.env.EV_RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

const brokersCli = fileURLToPath(new URL('../../../scripts/brokers/cli.mjs', import.meta.url));

/**
 * Restarts RabbitMQ through the repo's broker script (stop_app / start_app: every connection drops), or
 * applies a fault: `crash` (SIGKILL the VM, then start), `stall` / `resume` (a memory alarm).
 */
export async function restartRabbitMQ(
  how: 'restart' | 'crash' | 'stall' | 'resume' = 'restart',
): Promise<void> {
  await runCommand(process.execPath, [brokersCli, how, 'rabbitmq']);
}

/** Whether RabbitMQ completes an AMQP handshake (and a login) within 5 s. */
async function answers(): Promise<Error | undefined> {
  try {
    const connection = await amqp.connect(RABBITMQ_URL, { timeout: 5_000 });
    await connection.close();
    return undefined;
  } catch (error) {
    return error as Error;
  }
}

/**
 * Fails loudly when RabbitMQ cannot be reached: a broker suite never skips. A local node that listens
 * but answers no handshake for half a minute is hung, not absent (a node out of file handles): the
 * broker script, which prints what such a node shows and starts it again, gets one try first.
 */
export async function assertRabbitMQReachable(): Promise<void> {
  const deadline = Date.now() + 30_000;
  let failure = await answers();
  while (failure && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    failure = await answers();
  }
  if (failure && process.env.EV_RABBITMQ_URL === undefined) {
    console.warn(`RabbitMQ has not answered for 30 s (${failure.message}): restarting it`);
    await runCommand(process.execPath, [brokersCli, 'up', 'rabbitmq'], 200_000).catch(() => {});
    failure = await answers();
  }
  if (failure) {
    throw new Error(
      `RabbitMQ is not reachable at 127.0.0.1:5672 (${failure.message}); start it with \`pnpm brokers up rabbitmq\``,
    );
  }
}

function stringHeaders(headers: Record<string, unknown> | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (typeof value === 'string') result[name] = value;
    else if (Buffer.isBuffer(value)) result[name] = value.toString('utf8');
  }
  return result;
}

/**
 * Reads a topic's partition queues with plain amqplib, as any consumer would. `partitionsOf` tells how
 * many partition queues the harness created for a topic.
 */
export function createRabbitMQProbe(partitionsOf: (topic: string) => number): BrokerProbe {
  return {
    async subscribe(topic) {
      const connection = await amqp.connect(RABBITMQ_URL, { timeout: 10_000 });
      const channel = await connection.createChannel();
      connection.on('error', () => {});
      channel.on('error', () => {});
      const collector = new ProbeCollector(async () => {
        await connection.close().catch(() => {});
      });
      for (let partition = 0; partition < partitionsOf(topic); partition += 1) {
        const queue = partitionQueue(topic, partition);
        await channel.consume(queue, (message: ConsumeMessage | null) => {
          if (!message) return;
          const headers = stringHeaders(message.properties.headers);
          const received: ReceivedMessage = {
            topic,
            partition: queue,
            key: headers[KEY_HEADER],
            payload: new Uint8Array(message.content),
            headers,
            receivedAt: Date.now(),
          };
          collector.push(received);
          channel.ack(message);
        });
      }
      return collector;
    },
  };
}

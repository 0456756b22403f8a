import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import amqp from 'amqplib';
import { RABBITMQ_URL } from './broker.js';

const execFileAsync = promisify(execFile);

/** Every topic the suites create starts with this (see `uniqueTopic` in @ev/testing). */
const TEST_TOPIC_PREFIX = 'ev-contract-';

async function namesOf(kind: 'list_queues' | 'list_exchanges'): Promise<string[]> {
  const { stdout } = await execFileAsync('rabbitmqctl', [kind, 'name', '--no-table-headers', '--quiet'], {
    timeout: 60_000,
  });
  return stdout.split('\n').filter((name) => name.startsWith(TEST_TOPIC_PREFIX));
}

/**
 * Vitest global teardown: deletes the queues and exchanges of every test topic on the local node, the
 * ones a suite left (a fault test, a crashed run) included. Each quorum queue holds some of the node's
 * file handles; left to pile up over many runs, they starve new connections.
 */
export async function teardown(): Promise<void> {
  if (process.env.EV_RABBITMQ_URL !== undefined) return; // not our node: leave its queues alone
  try {
    const queues = await namesOf('list_queues');
    const exchanges = await namesOf('list_exchanges');
    const connection = await amqp.connect(RABBITMQ_URL, { timeout: 10_000 });
    try {
      const channel = await connection.createChannel();
      for (const queue of queues) await channel.deleteQueue(queue);
      for (const exchange of exchanges) await channel.deleteExchange(exchange);
    } finally {
      await connection.close();
    }
  } catch (error) {
    console.warn(`could not delete the test topics from RabbitMQ: ${(error as Error).message}`);
  }
}

import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { runCommand } from '@ev/fault-kit';
import { type BrokerProbe, ProbeCollector } from '@ev/testing';
import { type MessageView, Producer, SimpleConsumer } from 'rocketmq-client-nodejs';
import { delayTopicOf, TopicAdmin } from '../src/index.js';

/** The broker the tests use: the repo's local RocketMQ unless EV_ROCKETMQ_URL points elsewhere. */
export const ROCKETMQ_URL = process.env.EV_ROCKETMQ_URL ?? 'rocketmq://127.0.0.1:8081';
const ENDPOINTS = ROCKETMQ_URL.replace(/^rocketmq:\/\//, '').replace(/\?.*$/, '');
export const admin = new TopicAdmin('127.0.0.1:9876', 30_000);

const brokersCli = fileURLToPath(new URL('../../../scripts/brokers/cli.mjs', import.meta.url));
const quiet = { info() {}, warn() {}, error() {}, debug() {}, close() {} };

/**
 * Restarts the proxy and its broker through the repo's broker script, then waits until the broker has
 * registered with the name server again and serves the routes of `topics` — what a client needs before
 * it can send again.
 */
export async function restartRocketMQ(
  topics: readonly string[],
  how: 'restart' | 'crash' = 'restart',
): Promise<void> {
  await runCommand(process.execPath, [brokersCli, how, 'rocketmq']);
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      await admin.masterBrokers();
      break;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  for (const topic of topics) {
    await admin.waitForRoute(topic, 60_000);
    await admin.waitForRoute(delayTopicOf(topic), 60_000);
  }
  for (const topic of topics) {
    await waitForProxyRoute(topic);
    await waitForProxyRoute(delayTopicOf(topic));
  }
}

/**
 * Waits until the proxy itself serves the route of `topic`: it caches routes, "not found" included, for
 * a while after the broker registered again, so the name server's answer alone does not prove it.
 */
async function waitForProxyRoute(topic: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    // A producer that names its topics fetches their routes from the proxy as it starts.
    const producer = new Producer({
      endpoints: ENDPOINTS,
      namespace: '',
      topics: [topic],
      logger: quiet,
      requestTimeout: 10_000,
    });
    try {
      await producer.startup();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 500));
    } finally {
      await producer.shutdown().catch(() => {});
    }
  }
}

/** The repo's broker runs timers at 100 ms precision (scripts/brokers/rocketmq/broker.conf). */
export const TEST_CONNECT_OPTIONS = { delay: { precisionMs: 100 } };

/** Deletes both typed topics of every logical topic a test file created. */
export async function deleteTopics(topics: readonly string[]): Promise<void> {
  for (const topic of topics) {
    await admin.deleteTopic(topic).catch(() => {});
    await admin.deleteTopic(delayTopicOf(topic)).catch(() => {});
  }
}

/** Freezes (SIGSTOP) or thaws (SIGCONT) the proxy and its embedded broker. */
export async function stallRocketMQ(how: 'stall' | 'resume'): Promise<void> {
  await runCommand(process.execPath, [brokersCli, how, 'rocketmq']);
}

/** Fails loudly when RocketMQ cannot be reached: a broker suite never skips. */
export async function assertRocketMQReachable(): Promise<void> {
  try {
    await admin.masterBrokers();
  } catch (error) {
    throw new Error(
      `RocketMQ is not reachable (${(error as Error).message}); start it with \`pnpm brokers up rocketmq\``,
    );
  }
}

/**
 * Reads both typed topics of a logical topic, each with a SimpleConsumer in a group of its own (one
 * consumer long-polls one topic at a time, so a shared one would sit on the empty topic). The queue a
 * message is stored in comes from its receipt handle:
 * `startOffset retrieveTime invisibleTime reviveQueueId topicType brokerName queueId offset commitLogOffset`.
 */
export function createRocketMQProbe(): BrokerProbe {
  return {
    async subscribe(topic) {
      const stops: Array<() => Promise<void>> = [];
      const collector = new ProbeCollector(async () => {
        await Promise.all(stops.map((stop) => stop()));
      });
      for (const physical of [topic, delayTopicOf(topic)]) {
        stops.push(
          await consume(physical, (message) => {
            const handle = message.receiptHandle.split(' ');
            collector.push({
              topic,
              partition: `${handle[5]}:${handle[6]}`,
              key: message.keys.length > 1 ? message.keys[0] : undefined,
              payload: new Uint8Array(message.body),
              headers: Object.fromEntries(message.properties),
              receivedAt: Date.now(),
            });
          }),
        );
      }
      return collector;
    },
  };
}

/** Receives and acks in a loop until the returned stop function is called. */
async function consume(
  topic: string,
  onMessage: (message: MessageView) => void,
): Promise<() => Promise<void>> {
  const consumer = await startProbeConsumer(topic);
  // A message whose ack was lost or late comes again once its invisible time is over: the stored message
  // is the same (same broker id), so it is reported once. Separate sends of equal content keep their ids.
  const seen = new Set<string>();
  let running = true;
  const loop = (async () => {
    while (running) {
      const messages = await consumer.receive(32, 60_000).catch(() => []);
      for (const message of messages) {
        if (!seen.has(message.messageId)) onMessage(message);
        seen.add(message.messageId);
        await consumer.ack(message).catch(() => {});
      }
    }
  })();
  return async () => {
    running = false;
    // Shutting down ends the pending long poll instead of waiting it out.
    await consumer.shutdown().catch(() => {});
    await loop;
  };
}

/**
 * A started consumer of `topic`. Right after a broker restart the name server may answer before the
 * proxy takes gRPC connections, and startup fails fetching routes: a new consumer tries again.
 */
async function startProbeConsumer(topic: string): Promise<SimpleConsumer> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const consumer = new SimpleConsumer({
      endpoints: ENDPOINTS,
      namespace: '',
      consumerGroup: `ev-probe-${randomUUID()}`,
      subscriptions: new Map([[topic, '*']]),
      awaitDuration: 5_000,
      requestTimeout: 20_000,
      logger: quiet,
    });
    try {
      await startConsumer(consumer);
      return consumer;
    } catch (error) {
      await consumer.shutdown().catch(() => {});
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  }
}

/**
 * rocketmq-client-nodejs 1.0.8 waits for the proxy's first settings command only after fetching routes;
 * when the command arrives earlier, startup() hangs until the next one (5 minutes later). Replaying the
 * command it already received releases it.
 */
async function startConsumer(consumer: SimpleConsumer): Promise<void> {
  const client = consumer as unknown as {
    onSettingsCommand: (endpoints: unknown, settings: unknown) => void;
  };
  const original = client.onSettingsCommand.bind(consumer);
  let received: [unknown, unknown] | undefined;
  client.onSettingsCommand = (endpoints, settings) => {
    received = [endpoints, settings];
    original(endpoints, settings);
  };
  let started = false;
  const startup = consumer.startup().finally(() => {
    started = true;
  });
  while (!started) {
    await Promise.race([startup, new Promise((resolve) => setTimeout(resolve, 200))]);
    if (!started && received) original(...received);
  }
  await startup;
}

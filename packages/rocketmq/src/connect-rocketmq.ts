import {
  assertCountOption,
  assertDurationOption,
  assertKnownOptions,
  assertPartitions,
  type BrokerConnection,
  createBrokerConnection,
  silentLogger,
} from '@ev/core';
import { Producer } from 'rocketmq-client-nodejs';
import { TopicAdmin } from './admin/topic-admin.js';
import { createClientLogger } from './client-logger.js';
import { KeySequencer } from './key-sequencer.js';
import { mapRocketMQError, scope } from './map-error.js';
import {
  DEFAULTS,
  ROCKETMQ_OPTION_NAMES,
  type RocketMQOptions,
  type RocketMQTopicOptions,
} from './options.js';
import { assertReachable } from './reachability.js';
import { createRocketMQPusherOn } from './rocketmq-pusher.js';
import { assertRocketMQTopic, delayTopicOf } from './typed-topics.js';
import { parseRocketMQUrl } from './url.js';

/** Queues per topic. */
const MAX_QUEUES = 1024;

export interface RocketMQConnection extends BrokerConnection {
  readonly provider: 'rocketmq';
}

/**
 * Connects to a RocketMQ 5 proxy over gRPC (`rocketmq://host:8081`). The pushers of one connection share
 * one producer. Each pusher's topic is provisioned first as a FIFO topic and a DELAY topic (see
 * typed-topics.ts) through the name server, unless `provisionTopics` is false.
 */
export async function connectBroker(url: string, options: RocketMQOptions = {}): Promise<RocketMQConnection> {
  assertRocketMQOptions(options);
  const parsed = parseRocketMQUrl(url);
  const endpoints = options.endpoints ?? parsed.endpoints;
  const credentials = options.credentials ?? parsed.credentials;
  const requestTimeoutMs = options.requestTimeoutMs ?? DEFAULTS.requestTimeoutMs;
  const logger = options.logger ?? silentLogger;
  await assertReachable(endpoints, requestTimeoutMs);
  const producer = new Producer({
    endpoints,
    namespace: options.namespace ?? parsed.namespace ?? '',
    sslEnabled: options.sslEnabled ?? parsed.sslEnabled,
    requestTimeout: requestTimeoutMs,
    logger: createClientLogger(logger, [credentials?.secretKey ?? '']),
    ...(credentials
      ? { sessionCredentials: { accessKey: credentials.accessKey, accessSecret: credentials.secretKey } }
      : {}),
  });
  try {
    await producer.startup();
  } catch (error) {
    await producer.shutdown().catch(() => {});
    throw mapRocketMQError(error, 'connect', endpoints);
  }
  const admin = new TopicAdmin(options.nameServer ?? parsed.nameServer, requestTimeoutMs);
  const sequencer = new KeySequencer();
  const provisioned = new Map<string, Promise<void>>();

  const provision = (topic: string, queues: number) => {
    let pending = provisioned.get(topic);
    if (!pending) {
      pending = (async () => {
        await admin.createTopic(topic, 'FIFO', queues);
        await admin.createTopic(delayTopicOf(topic), 'DELAY', queues);
        await admin.waitForRoute(topic);
        await admin.waitForRoute(delayTopicOf(topic));
      })();
      provisioned.set(topic, pending);
      pending.catch(() => provisioned.delete(topic));
    }
    return pending;
  };

  const connection = createBrokerConnection<RocketMQTopicOptions>({
    provider: scope.provider,
    async open(topic, topicOptions, release) {
      assertRocketMQTopic(topic);
      const partitions = topicOptions.partitions ?? options.defaultPartitions ?? DEFAULTS.partitions;
      assertPartitions(partitions, MAX_QUEUES, scope);
      if (options.provisionTopics !== false) await provision(topic, partitions);
      return createRocketMQPusherOn({
        logger: options.logger,
        ...topicOptions,
        topic,
        partitions,
        maxPayloadBytes: options.maxPayloadBytes ?? DEFAULTS.maxPayloadBytes,
        maxDelayMs: options.maxDelayMs ?? DEFAULTS.maxDelayMs,
        delayPrecisionMs: options.delayPrecisionMs ?? DEFAULTS.delayPrecisionMs,
        producer,
        sequencer,
        endpoint: endpoints,
        release,
      });
    },
    close: () => producer.shutdown().catch(() => {}),
  });
  return connection as RocketMQConnection;
}

/** The proxy's message size limit (maxMessageSize, 4 MiB). */
const MAX_PAYLOAD_OPTION = 4 * 1024 * 1024;

/** Checked at connect, so a bad setting is named there instead of failing every send. */
function assertRocketMQOptions(options: RocketMQOptions): void {
  assertKnownOptions(options, ROCKETMQ_OPTION_NAMES, scope);
  assertDurationOption('requestTimeoutMs', options.requestTimeoutMs, scope);
  assertDurationOption('maxDelayMs', options.maxDelayMs, scope);
  assertDurationOption('delayPrecisionMs', options.delayPrecisionMs, scope);
  assertCountOption('maxPayloadBytes', options.maxPayloadBytes, 1, scope, MAX_PAYLOAD_OPTION);
  assertCountOption('defaultPartitions', options.defaultPartitions, 1, scope, MAX_QUEUES);
}

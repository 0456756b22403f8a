import type { Logger } from '@ev/core';
import { assertReachable, type BrokerAdapter, clientLogLine, defineAdapter } from '@ev/core/adapter';
import { Producer } from 'rocketmq-client-nodejs';
import { TopicAdmin } from './admin/topic-admin.js';
import { KeySequencer } from './key-sequencer.js';
import { ROCKETMQ_TOPIC_NAMES, rocketmqLimits } from './limits.js';
import { mapRocketMQError } from './map-error.js';
import {
  DEFAULTS,
  MAX_PAYLOAD_BYTES,
  MAX_QUEUES,
  ROCKETMQ_OPTION_CHECKS,
  type RocketMQOptions,
} from './options.js';
import { rocketmqPublisher } from './publisher.js';
import { provisionTopic } from './topics.js';

/**
 * A RocketMQ 5 proxy over gRPC (`rocketmq://[accessKey:secretKey@]host:8081[?nameserver=host:9876]`).
 * The pushers of a connection share one producer. Each topic is provisioned as a FIFO topic and a DELAY
 * topic (see topics.ts) through the name server, unless `provisionTopics` is false.
 */
export const rocketmqAdapter: BrokerAdapter<RocketMQOptions> = {
  specificationVersion: 'v1',
  provider: 'rocketmq',
  schemes: { rocketmq: { defaultPort: 8081 } },
  url: { parameters: ['nameserver', 'namespace', 'tls'], ipv6: false },
  options: ROCKETMQ_OPTION_CHECKS,
  defaults: DEFAULTS,
  maxima: { partitions: MAX_QUEUES, maxPayloadBytes: MAX_PAYLOAD_BYTES },
  topicNames: ROCKETMQ_TOPIC_NAMES,
  limits: rocketmqLimits,
  async connect(url, { options, logger }) {
    const endpoints = url.hosts.join(';');
    const requestTimeoutMs = options.requestTimeoutMs ?? DEFAULTS.requestTimeoutMs;
    const credentials =
      options.credentials ??
      (url.username !== undefined ? { username: url.username, password: url.password ?? '' } : undefined);
    await assertReachable(url, requestTimeoutMs, { provider: 'rocketmq' });
    const producer = new Producer({
      endpoints,
      namespace: options.namespace ?? url.params.get('namespace') ?? '',
      sslEnabled: options.tls ?? url.params.get('tls') === 'true',
      requestTimeout: requestTimeoutMs,
      logger: clientLogger(logger, credentials?.password),
      ...(credentials
        ? { sessionCredentials: { accessKey: credentials.username, accessSecret: credentials.password } }
        : {}),
    });
    try {
      await producer.startup();
    } catch (error) {
      await producer.shutdown().catch(() => {});
      throw mapRocketMQError(error, 'connect', endpoints);
    }
    const proxyHost = url.addresses[0]!.host;
    const nameServer =
      options.nameServer ?? url.params.get('nameserver') ?? `${proxyHost}:${DEFAULTS.nameServerPort}`;
    const admin = new TopicAdmin(nameServer, requestTimeoutMs);
    const publishing = {
      producer,
      sequencer: new KeySequencer(),
      delayPrecisionMs: options.delay?.precisionMs ?? DEFAULTS.delayPrecisionMs,
      endpoint: endpoints,
    };
    return {
      capabilities: {
        keyOrdering: true,
        delay: {
          supported: true,
          precisionMs: publishing.delayPrecisionMs,
          durable: true,
          needsRelay: false,
        },
      },
      provision: async (topic, queues) =>
        options.provisionTopics === false ? queues : provisionTopic(admin, topic, queues),
      publisher: (topic) => rocketmqPublisher(topic, publishing),
      close: () => producer.shutdown().catch(() => {}),
    };
  },
};

/**
 * The client's logger interface, routed into ours at debug level. Without it the client writes files
 * under the home directory.
 */
function clientLogger(logger: Logger, secret: string | undefined) {
  const line = clientLogLine(logger, { provider: 'rocketmq', client: 'rocketmq-client-nodejs' }, [secret]);
  return { debug: line, info: line, warn: line, error: line, close: () => {} };
}

export const { connectBroker, connectPusher } = defineAdapter(rocketmqAdapter);

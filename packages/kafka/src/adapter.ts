import { BrokerUnavailableError } from '@ev/core';
import { type BrokerAdapter, defineAdapter } from '@ev/core/adapter';
import { clientConfig, libraryOf } from './client/config.js';
import { loadClient } from './client/load.js';
import { DELAY_LEVEL_TOPICS } from './delay/levels.js';
import { DelayRelay } from './delay/relay.js';
import { KAFKA_TOPIC_NAMES, kafkaLimits } from './limits.js';
import { mapKafkaError, scope } from './map-error.js';
import {
  DEFAULTS,
  KAFKA_OPTION_CHECKS,
  type KafkaOptions,
  MAX_PARTITIONS,
  MAX_PAYLOAD_BYTES,
} from './options.js';
import { ProduceBatcher } from './produce-batcher.js';
import { kafkaPublisher } from './publisher.js';
import { TopicProvisioner } from './topics.js';

/** Two producers let one request be encoded while the other is on the broker (see ProduceBatcher). */
const PUSHER_PRODUCERS = 2;

/**
 * Kafka (`kafka://host:9092[,host:9092]`, `kafka+ssl://` for TLS). The pushers of one connection share two
 * idempotent producers (acks=all; a partition always uses the same one); concurrent sends are coalesced
 * into few produce requests. Unless `delay.relay` is false, the connection also runs the delay relay in
 * this process.
 */
export const kafkaAdapter: BrokerAdapter<KafkaOptions> = {
  specificationVersion: 'v1',
  provider: 'kafka',
  schemes: { kafka: { defaultPort: 9092 }, 'kafka+ssl': { defaultPort: 9093 } },
  url: { parameters: ['client', 'clientId', 'mechanism', 'tls'], ipv6: false },
  options: KAFKA_OPTION_CHECKS,
  defaults: DEFAULTS,
  maxima: { partitions: MAX_PARTITIONS, maxPayloadBytes: MAX_PAYLOAD_BYTES },
  topicNames: KAFKA_TOPIC_NAMES,
  limits: kafkaLimits,
  async connect(url, { options, logger }) {
    const endpoint = url.hosts.join(',');
    const client = await loadClient(libraryOf(url, options), clientConfig(url, options, logger));
    const admin = client.admin();
    const batcher = new ProduceBatcher(() => client.producer(), endpoint, PUSHER_PRODUCERS);
    const connectTimeoutMs = options.connectTimeoutMs ?? DEFAULTS.connectTimeoutMs;
    try {
      await within(connectTimeoutMs, Promise.all([admin.connect(), batcher.connect()]));
    } catch (error) {
      await Promise.allSettled([batcher.disconnect(), admin.disconnect()]);
      if (error !== DEADLINE) throw mapKafkaError(error, 'connect', endpoint);
      throw new BrokerUnavailableError(
        `cannot reach Kafka at ${endpoint} within ${connectTimeoutMs} ms`,
        scope,
      );
    }
    const provisioner = new TopicProvisioner(admin, endpoint, connectTimeoutMs);
    const delayPartitions = options.delay?.partitions ?? DEFAULTS.delayPartitions;
    const relay =
      options.delay?.relay === false
        ? undefined
        : new DelayRelay(client, provisioner, endpoint, {
            groupId: options.delay?.group,
            partitions: delayPartitions,
            logger,
          });
    try {
      if (relay) await relay.start();
      else await provisioner.ensureAll([...DELAY_LEVEL_TOPICS], delayPartitions);
    } catch (error) {
      await Promise.allSettled([relay?.stop(), batcher.disconnect(), admin.disconnect()]);
      throw mapKafkaError(error, 'starting the delay relay', endpoint);
    }
    return {
      capabilities: {
        keyOrdering: true,
        // Delayed messages are stored on Kafka at once, but move only while a relay runs somewhere.
        delay: { supported: true, precisionMs: 1, durable: true, needsRelay: true },
      },
      provision: async (topic, partitions) => (await provisioner.ensureAll([topic], partitions))[0]!,
      publisher: (topic, partitions) => kafkaPublisher(topic, partitions, { batcher, delayPartitions }),
      async close() {
        await relay?.stop();
        await Promise.allSettled([batcher.disconnect(), admin.disconnect()]);
      },
    };
  },
};

export const { connectBroker, connectPusher } = defineAdapter(kafkaAdapter);

const DEADLINE = Symbol('deadline');

/**
 * Clients retry a failed connection several times, each attempt with its own timeout; the caller's
 * connect timeout bounds the whole, so an unreachable broker fails within it.
 */
async function within<T>(ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(DEADLINE), ms);
  });
  work.catch(() => {}); // settles after the deadline too: never an unhandled rejection
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

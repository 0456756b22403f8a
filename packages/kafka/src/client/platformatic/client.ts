import {
  Admin,
  compatibilityPartitioner,
  type MessageToProduce,
  ProduceAcks,
  Producer,
  type ProducerOptions,
  SASLMechanisms,
} from '@platformatic/kafka';
import { described } from '../failure.js';
import type { AdminPort, ClientConfig, KafkaClient, OutgoingRecord, ProducerPort } from '../port.js';
import { describePlatformaticError, isCredentialsFailure } from './failure.js';
import { PlatformaticGroupConsumer } from './group-consumer.js';

/**
 * Retries of one request after a passing failure (unset, the client would retry forever), 250 ms apart
 * at first, doubling up to 5 s: about 23 s in all, so a send outlives a broker restart within the send
 * timeout, as on kafkajs. The client resends a produce request with its own sequence numbers, so a retry
 * never stores a record twice. Refused credentials fail a connection, which the client retries too: those
 * retries go at once, so the refusal is reported in about a second.
 */
const RETRIES = 8;
const retryDelay = (_client: unknown, _operation: string, attempt: number, _retries: number, error: Error) =>
  isCredentialsFailure(error) ? 0 : Math.min(250 * 2 ** (attempt - 1), 5_000);

/**
 * The relay's consumer loop retries a failed step itself, with its own backoff and give-up time: the
 * client's own retries there would only make each failing step slower to report.
 */
const CONSUMER_RETRIES = 2;
const CONSUMER_RETRY_DELAY_MS = 250;

const MECHANISMS = {
  plain: SASLMechanisms.PLAIN,
  'scram-sha-256': SASLMechanisms.SCRAM_SHA_256,
  'scram-sha-512': SASLMechanisms.SCRAM_SHA_512,
} as const;

/** The adapter's client on @platformatic/kafka. */
export function createPlatformaticClient(config: ClientConfig): KafkaClient {
  const base = {
    clientId: config.clientId,
    bootstrapBrokers: config.brokers,
    connectTimeout: config.connectTimeoutMs,
    requestTimeout: config.requestTimeoutMs,
    retries: RETRIES,
    retryDelay,
    ...(config.tls === false ? {} : { tls: config.tls === true ? {} : config.tls }),
    ...(config.sasl
      ? {
          sasl: {
            mechanism: MECHANISMS[config.sasl.mechanism],
            username: config.sasl.username,
            password: config.sasl.password,
          },
        }
      : {}),
  };
  return {
    library: 'platformatic',
    producer: () =>
      platformaticProducer({
        ...base,
        idempotent: true,
        acks: ProduceAcks.ALL,
        // How long the broker may wait for the in-sync replicas before it answers (kafkajs: 30 s too).
        timeout: config.requestTimeoutMs,
        autocreateTopics: false,
        partitioner: javaPartitioner(),
      }),
    admin: () => platformaticAdmin(new Admin(base)),
    groupConsumer: (options) =>
      new PlatformaticGroupConsumer(
        { ...base, retries: CONSUMER_RETRIES, retryDelay: CONSUMER_RETRY_DELAY_MS },
        options,
      ),
  };
}

/**
 * The Java client's choice for a record without a partition: murmur2 of the key (the client's default
 * differs for partition counts that are not a power of two), round robin without a key.
 */
function javaPartitioner(): ProducerOptions<Buffer, Buffer, Buffer, Buffer>['partitioner'] {
  let roundRobin = 0;
  return (message, key) => (key ? compatibilityPartitioner(message, key) : roundRobin++ & 0x7fffffff);
}

function platformaticProducer(options: ProducerOptions<Buffer, Buffer, Buffer, Buffer>): ProducerPort {
  const producer = new Producer(options);
  return {
    // Getting a producer id is the producer's first request: it proves the broker reachable.
    connect: () =>
      described(describePlatformaticError, () => producer.initIdempotentProducer({}).then(() => {})),
    disconnect: () => described(describePlatformaticError, () => producer.close()),
    send: (records) =>
      described(describePlatformaticError, async () => {
        const result = await producer.send({ messages: records.map(toMessage) });
        return (result.offsets ?? []).map(({ topic, partition, offset }) => ({
          topic,
          partition,
          baseOffset: offset.toString(),
        }));
      }),
  };
}

/** The client takes keys and header names and values as bytes; a header given twice is sent twice. */
function toMessage(record: OutgoingRecord): MessageToProduce<Buffer, Buffer, Buffer, Buffer> {
  const headers = new Map<Buffer, Buffer>();
  for (const name in record.headers) {
    const value = record.headers[name];
    if (value === undefined) continue;
    for (const one of Array.isArray(value) ? value : [value]) {
      // One Buffer per occurrence: a Map keyed by distinct Buffers keeps repeated names apart.
      headers.set(Buffer.from(name), typeof one === 'string' ? Buffer.from(one) : one);
    }
  }
  return {
    topic: record.topic,
    ...(record.partition === undefined ? {} : { partition: record.partition }),
    ...(record.key === undefined ? {} : { key: Buffer.from(record.key) }),
    value: record.value,
    headers,
  };
}

function platformaticAdmin(admin: Admin): AdminPort {
  return {
    connect: () => described(describePlatformaticError, () => admin.metadata({ topics: [] }).then(() => {})),
    disconnect: () => described(describePlatformaticError, () => admin.close()),
    listTopics: () => described(describePlatformaticError, () => admin.listTopics()),
    createTopics: (topics, partitions) =>
      described(describePlatformaticError, async () => {
        try {
          await admin.createTopics({ topics: [...topics], partitions });
        } catch (error) {
          // Another client created them first: that is what was wanted.
          if (describePlatformaticError(error).type !== 'TOPIC_ALREADY_EXISTS') throw error;
        }
      }),
    partitionLeaders: (topics) =>
      described(describePlatformaticError, async () => {
        const metadata = await admin.metadata({ topics: [...topics], forceUpdate: true });
        const leaders = new Map<string, number[]>();
        for (const [name, topic] of metadata.topics) {
          leaders.set(
            name,
            topic.partitions.map((partition) => partition.leader),
          );
        }
        return leaders;
      }),
  };
}

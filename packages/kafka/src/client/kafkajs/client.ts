import { clientLogLine } from '@ev/core/adapter';
import { type Admin, Kafka, type KafkaConfig, logLevel, type Producer, type TopicMessages } from 'kafkajs';
import { described } from '../failure.js';
import type {
  AdminPort,
  ClientConfig,
  KafkaClient,
  OutgoingRecord,
  ProducerPort,
  StoredBatch,
} from '../port.js';
import { describeKafkajsError } from './failure.js';
import { KafkajsGroupConsumer } from './group-consumer.js';
import { patchKafkajsTimers } from './timers-patch.js';

patchKafkajsTimers();

/** The adapter's client on kafkajs. */
export function createKafkajsClient(config: ClientConfig): KafkaClient {
  const kafka = new Kafka({
    clientId: config.clientId,
    brokers: config.brokers,
    ssl: config.tls,
    // A copy of its own: kafkajs caches an authenticator, bound to the first password, on the object.
    ...(config.sasl ? { sasl: { ...config.sasl } as KafkaConfig['sasl'] } : {}),
    connectionTimeout: config.connectTimeoutMs,
    requestTimeout: config.requestTimeoutMs,
    logLevel: logLevel.WARN,
    logCreator:
      () =>
      ({ log: { message, broker, error, groupId, topic } }) =>
        clientLogLine(
          config.logger,
          { provider: 'kafka', client: 'kafkajs', broker, error, groupId, topic },
          [config.sasl?.password],
        )(message),
  });
  return {
    library: 'kafkajs',
    producer: () => kafkajsProducer(kafka.producer({ idempotent: true, allowAutoTopicCreation: false })),
    admin: () => kafkajsAdmin(kafka.admin()),
    groupConsumer: (options) => new KafkajsGroupConsumer(kafka, options),
  };
}

function kafkajsProducer(producer: Producer): ProducerPort {
  return {
    connect: () => described(describeKafkajsError, () => producer.connect()),
    disconnect: () => described(describeKafkajsError, () => producer.disconnect()),
    send: (records) =>
      described(describeKafkajsError, async () => {
        const results = await producer.sendBatch({ acks: -1, topicMessages: toTopicMessages(records) });
        return results.map(
          (result): StoredBatch => ({
            topic: result.topicName,
            partition: result.partition,
            baseOffset: result.baseOffset ?? result.offset ?? '-1',
          }),
        );
      }),
  };
}

/**
 * The request as kafkajs takes it. No timestamp: kafkajs then stamps the whole batch once, instead of
 * sorting one per record. A request rarely spans more than one or two topics, hence the linear search.
 */
function toTopicMessages(records: readonly OutgoingRecord[]): TopicMessages[] {
  const byTopic: TopicMessages[] = [];
  let current: TopicMessages | undefined;
  for (const record of records) {
    if (current?.topic !== record.topic) {
      current = byTopic.find((entry) => entry.topic === record.topic);
      if (!current) {
        current = { topic: record.topic, messages: [] };
        byTopic.push(current);
      }
    }
    current.messages.push({
      partition: record.partition,
      key: record.key ?? null,
      value: record.value,
      headers: record.headers,
    });
  }
  return byTopic;
}

function kafkajsAdmin(admin: Admin): AdminPort {
  return {
    connect: () => described(describeKafkajsError, () => admin.connect()),
    disconnect: () => described(describeKafkajsError, () => admin.disconnect()),
    listTopics: () => described(describeKafkajsError, () => admin.listTopics()),
    createTopics: (topics, partitions) =>
      described(describeKafkajsError, async () => {
        // kafkajs's `waitForLeaders` retries only some of the errors a just-started broker answers: the
        // provisioner waits for leaders itself. Resolves false when the topics existed already.
        await admin.createTopics({
          topics: topics.map((topic) => ({ topic, numPartitions: partitions })),
          waitForLeaders: false,
        });
      }),
    partitionLeaders: (topics) =>
      described(describeKafkajsError, async () => {
        const metadata = await admin.fetchTopicMetadata({ topics: [...topics] });
        return new Map(
          metadata.topics.map((topic) => [
            topic.name,
            [...topic.partitions].sort((a, b) => a.partitionId - b.partitionId).map((p) => p.leader),
          ]),
        );
      }),
  };
}

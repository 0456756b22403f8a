import type { BrokerProbe } from '@ev/testing';
import { assertKafkaReachable, createKafkaProbe, KAFKA_URL, restartKafka } from '../../kafka/test/broker.js';
import {
  assertRabbitMQReachable,
  createRabbitMQProbe,
  RABBITMQ_URL,
  restartRabbitMQ,
} from '../../rabbitmq/test/broker.js';
import {
  assertRocketMQReachable,
  createRocketMQProbe,
  deleteTopics,
  ROCKETMQ_URL,
  restartRocketMQ,
  TEST_CONNECT_OPTIONS,
} from '../../rocketmq/test/broker.js';

/** Partitions (partition queues, queues) of every topic the relay creates in these tests. */
export const TEST_PARTITIONS = 4;

/** A real broker the relay forwards to, with the adapter's own test probe and fault hooks. */
export interface BrokerTarget {
  readonly name: string;
  readonly url: string;
  readonly connectOptions?: Record<string, unknown>;
  readonly probe: BrokerProbe;
  assertReachable(): Promise<void>;
  /** SIGKILL the broker, start it again; resolves when it serves these topics again. */
  crash(topics: readonly string[]): Promise<void>;
  /** Removes the topics a test created, where the broker would keep them. */
  cleanUp(topics: readonly string[]): Promise<void>;
}

export const BROKER_TARGETS: readonly BrokerTarget[] = [
  {
    name: 'kafka',
    url: KAFKA_URL,
    probe: createKafkaProbe(),
    assertReachable: assertKafkaReachable,
    crash: () => restartKafka('crash'),
    cleanUp: async () => {}, // Kafka's own suite deletes every test topic when it runs
  },
  {
    name: 'rabbitmq',
    url: RABBITMQ_URL,
    probe: createRabbitMQProbe(() => TEST_PARTITIONS),
    assertReachable: assertRabbitMQReachable,
    crash: () => restartRabbitMQ('crash'),
    cleanUp: async () => {}, // the global teardown deletes every test topic's queues
  },
  {
    name: 'rocketmq',
    url: ROCKETMQ_URL,
    connectOptions: TEST_CONNECT_OPTIONS,
    probe: createRocketMQProbe(),
    assertReachable: assertRocketMQReachable,
    crash: (topics) => restartRocketMQ(topics, 'crash'),
    cleanUp: deleteTopics,
  },
];

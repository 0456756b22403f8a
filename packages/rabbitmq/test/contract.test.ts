import { type ContractHarness, runPusherContract } from '@ev/testing';
import { beforeAll, describe, it } from 'vitest';
import { connectBroker, connectPusher } from '../src/index.js';
import { assertRabbitMQReachable, createRabbitMQProbe, RABBITMQ_URL, restartRabbitMQ } from './broker.js';

const partitions = new Map<string, number>();

const harness: ContractHarness = {
  name: 'rabbitmq',
  async createPusher(topic, options) {
    const pusher = await connectPusher(RABBITMQ_URL, topic, { partitions: options?.partitions ?? 1 });
    partitions.set(topic, pusher.capabilities.partitions);
    return pusher;
  },
  connect: (options) => connectBroker(RABBITMQ_URL, options),
  probe: createRabbitMQProbe((topic) => partitions.get(topic) ?? 1),
  restartBroker: restartRabbitMQ,
};

beforeAll(assertRabbitMQReachable);

runPusherContract({ describe, it }, harness);

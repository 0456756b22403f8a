import { type BrokerAdapter, defineAdapter } from '@ev/core/adapter';
import { ConfirmPublisher } from './confirm-publisher.js';
import { Connector } from './connector.js';
import { declareDelayRoute } from './delay-route.js';
import { RABBITMQ_TOPIC_NAMES, rabbitmqLimits } from './limits.js';
import {
  DEFAULTS,
  MAX_PARTITIONS,
  MAX_PAYLOAD_BYTES,
  RABBITMQ_OPTION_CHECKS,
  type RabbitMQOptions,
} from './options.js';
import { rabbitmqPublisher } from './publisher.js';
import { provisionTopic } from './topics.js';

/**
 * RabbitMQ (`amqp://user:password@host:5672/vhost`, or `amqps://`). Every pusher of a connection shares
 * its one AMQP connection and confirm channel; a topic is a consistent-hash exchange over quorum queues.
 */
export const rabbitmqAdapter: BrokerAdapter<RabbitMQOptions> = {
  specificationVersion: 'v1',
  provider: 'rabbitmq',
  schemes: { amqp: { defaultPort: 5672, maxHosts: 1 }, amqps: { defaultPort: 5671, maxHosts: 1 } },
  url: { parameters: ['heartbeat'], path: 'virtual host' },
  options: RABBITMQ_OPTION_CHECKS,
  defaults: DEFAULTS,
  maxima: { partitions: MAX_PARTITIONS, maxPayloadBytes: MAX_PAYLOAD_BYTES },
  topicNames: RABBITMQ_TOPIC_NAMES,
  limits: rabbitmqLimits,
  async connect(url, { options, logger }) {
    const connector = new Connector(url, options, logger);
    try {
      await connector.ready();
      // The delay route is shared by every topic; declared once, up front, like the topics themselves.
      await connector.declare('delay route', declareDelayRoute);
    } catch (error) {
      await connector.close();
      throw error;
    }
    const publisher = new ConfirmPublisher(connector);
    return {
      capabilities: {
        keyOrdering: true,
        delay: { supported: true, precisionMs: 1, durable: true, needsRelay: false },
      },
      provision: (topic, partitions) => provisionTopic(connector, topic, partitions),
      publisher: (topic) => rabbitmqPublisher(publisher, topic),
      close: () => connector.close(),
    };
  },
};

export const { connectBroker, connectPusher } = defineAdapter(rabbitmqAdapter);

import {
  assertCountOption,
  assertDurationOption,
  assertKnownOptions,
  assertPartitions,
  type BrokerConnection,
  createBrokerConnection,
  type Pusher,
} from '@ev/core';
import { ConfirmPublisher } from './confirm-publisher.js';
import { Connector } from './connector.js';
import { declareDelayDelivery, declareDelayRoute } from './delay-route.js';
import { scope } from './map-error.js';
import {
  DEFAULTS,
  RABBITMQ_OPTION_NAMES,
  type RabbitMQOptions,
  type RabbitMQTopicOptions,
} from './options.js';
import { assertRabbitTopic, createRabbitMQPusherOn } from './rabbitmq-pusher.js';
import { declareTopic } from './topology.js';

/** Partition queues per topic: more would only spread keys thinner than consumers can use. */
const MAX_PARTITIONS = 1024;

export interface RabbitMQConnection extends BrokerConnection {
  readonly provider: 'rabbitmq';
}

/**
 * Connects to RabbitMQ (`amqp://user:password@host:5672/vhost`, or `amqps://` with `options.tls`). Every
 * pusher made from the connection shares its one AMQP connection and confirm channel.
 */
export async function connectBroker(url: string, options: RabbitMQOptions = {}): Promise<RabbitMQConnection> {
  assertRabbitMQOptions(options);
  const connector = new Connector(url, options);
  await connector.ready();
  // The delay route is shared by every topic; declared once, up front, like the topics themselves.
  await connector.declare('delay route', declareDelayRoute);
  const publisher = new ConfirmPublisher(connector);
  const connection = createBrokerConnection<RabbitMQTopicOptions>({
    provider: scope.provider,
    async open(topic, topicOptions, release) {
      assertRabbitTopic(topic);
      const partitions = topicOptions.partitions ?? options.defaultPartitions ?? DEFAULTS.partitions;
      assertPartitions(partitions, MAX_PARTITIONS, scope);
      await connector.declare(topic, async (channel) => {
        await declareTopic(channel, topic, partitions);
        await declareDelayDelivery(channel, topic);
      });
      return createRabbitMQPusherOn({
        logger: options.logger,
        ...topicOptions,
        topic,
        partitions,
        maxPayloadBytes: options.maxPayloadBytes ?? DEFAULTS.maxPayloadBytes,
        publisher,
        release,
      });
    },
    close: () => connector.close(),
  });
  return connection as RabbitMQConnection;
}

/** A pusher with a connection of its own, closed with it. */
export async function createRabbitMQPusher(
  url: string,
  topic: string,
  options: RabbitMQOptions & RabbitMQTopicOptions = {},
): Promise<Pusher> {
  assertRabbitTopic(topic);
  // One object carries both: the connection takes its own options, the pusher the rest (and the logger).
  const connectionOptions: Record<string, unknown> = {};
  const topicOptions: Record<string, unknown> = { logger: options.logger };
  for (const [name, value] of Object.entries(options)) {
    if (RABBITMQ_OPTION_NAMES.includes(name)) connectionOptions[name] = value;
    else topicOptions[name] = value;
  }
  const connection = await connectBroker(url, connectionOptions as RabbitMQOptions);
  try {
    const pusher = await connection.pusher(topic, topicOptions as RabbitMQTopicOptions);
    return {
      specificationVersion: pusher.specificationVersion,
      provider: pusher.provider,
      topic: pusher.topic,
      capabilities: pusher.capabilities,
      limits: pusher.limits,
      send: (payload, sendOptions) => pusher.send(payload, sendOptions),
      sendWithKey: (key, payload, sendOptions) => pusher.sendWithKey(key, payload, sendOptions),
      sendDelayAfter: (payload, delayMs, sendOptions) => pusher.sendDelayAfter(payload, delayMs, sendOptions),
      // Closing the connection closes the pusher first, settling its in-flight sends.
      close: () => connection.close(),
    };
  } catch (error) {
    await connection.close();
    throw error;
  }
}

/** RabbitMQ refuses bodies over 512 MiB whatever its max_message_size says. */
const MAX_PAYLOAD_OPTION = 512 * 1024 * 1024;

/** Checked at connect, so a bad setting is named there instead of failing every send. */
function assertRabbitMQOptions(options: RabbitMQOptions): void {
  assertKnownOptions(options, RABBITMQ_OPTION_NAMES, scope);
  assertDurationOption('connectTimeoutMs', options.connectTimeoutMs, scope);
  assertCountOption('maxPayloadBytes', options.maxPayloadBytes, 1, scope, MAX_PAYLOAD_OPTION);
  assertCountOption('defaultPartitions', options.defaultPartitions, 1, scope, MAX_PARTITIONS);
}

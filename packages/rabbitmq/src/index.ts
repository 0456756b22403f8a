export { connectBroker, createRabbitMQPusher, type RabbitMQConnection } from './connect-rabbitmq.js';
export {
  DELAY_DELIVERY_EXCHANGE,
  DELAY_LEVELS,
  DELAY_TOPIC_HEADER,
  delayRoutingKey,
  MAX_DELAY_MS,
} from './delay-route.js';
export type { RabbitMQOptions, RabbitMQTopicOptions } from './options.js';
export { KEY_HEADER } from './rabbitmq-pusher.js';
export { partitionQueue } from './topology.js';

export { connectBroker, connectPusher, rabbitmqAdapter } from './adapter.js';
export {
  DELAY_DELIVERY_EXCHANGE,
  DELAY_LEVELS,
  DELAY_TOPIC_HEADER,
  delayRoutingKey,
  MAX_DELAY_MS,
} from './delay-route.js';
export type { RabbitMQOptions } from './options.js';
export { KEY_HEADER } from './publisher.js';
export { partitionQueue } from './topics.js';

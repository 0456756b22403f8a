export { connectBroker, type KafkaConnection } from './connect-kafka.js';
export type { KafkaDelayOptions, KafkaOptions, KafkaSasl, KafkaTopicOptions } from './options.js';
export type { KafkaClient, KafkaLibrary } from './client.js';
export { createKafkaClient } from './client.js';
export { DEFAULT_RELAY_GROUP, DelayRelay, type DelayRelayOptions } from './delay/relay.js';
export {
  DELAY_LEVEL_TOPICS,
  DELAY_LEVELS_MS,
  DELAY_TARGET_HEADER,
  DELIVER_AT_HEADER,
  HOP_DUE_HEADER,
  MAX_SUPPORTED_DELAY_MS,
} from './delay/levels.js';
export { TopicProvisioner } from './topics.js';

export { connectBroker, connectPusher, kafkaAdapter } from './adapter.js';
export {
  DELAY_LEVEL_TOPICS,
  DELAY_LEVELS_MS,
  DELAY_TARGET_HEADER,
  DELAY_UNROUTABLE_TOPIC,
  DELIVER_AT_HEADER,
  HOP_DUE_HEADER,
  MAX_SUPPORTED_DELAY_MS,
} from './delay/levels.js';
export { DEFAULT_RELAY_GROUP } from './delay/relay.js';
export { type RunningRelay, startDelayRelay } from './delay/start-relay.js';
export type { KafkaCredentials, KafkaDelayOptions, KafkaOptions } from './options.js';

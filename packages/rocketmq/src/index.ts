export { connectBroker, connectPusher, rocketmqAdapter } from './adapter.js';
export { TopicAdmin, type TopicMessageType } from './admin/topic-admin.js';
export type { RocketMQDelayOptions, RocketMQOptions } from './options.js';
export { DELAY_TOPIC_SUFFIX, delayTopicOf } from './topics.js';

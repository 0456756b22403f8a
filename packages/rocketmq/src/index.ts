export { TopicAdmin, type TopicMessageType } from './admin/topic-admin.js';
export { connectBroker, type RocketMQConnection } from './connect-rocketmq.js';
export type { RocketMQOptions, RocketMQTopicOptions } from './options.js';
export { DELAY_TOPIC_SUFFIX, delayTopicOf } from './typed-topics.js';

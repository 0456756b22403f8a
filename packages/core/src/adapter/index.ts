/**
 * `@ev/core/adapter`: what an adapter author needs, apart from the user-facing API of `@ev/core`. An
 * adapter describes its broker in a `BrokerAdapter` (specification v1) and exports what `defineAdapter`
 * builds from it; see the "Writing an adapter" guide.
 */

export type { MessageLimits, TextLimit } from '../limits.js';
export type { SendSignal } from '../pusher-driver.js';
export {
  type DriverReceipt,
  type OutgoingMessage,
  type PusherDriver,
  payloadBuffer,
} from '../pusher-driver.js';
export { PUSHER_OPTION_CHECKS } from '../pusher-options.js';
export { createPusher } from '../send/create-pusher.js';
export { FifoQueue } from '../send/fifo-queue.js';
export {
  assertTopicName,
  DEFAULT_TOPIC_RULE,
  type TopicNameRule,
  type ValidationScope,
} from '../validation.js';
export { type BrokerAddress, type BrokerUrl, parseBrokerUrl } from './broker-url.js';
export { clientLogLine } from './client-log.js';
export { type DefinedAdapter, defineAdapter } from './define-adapter.js';
export { assertOptions, check, type OptionCheck, type OptionChecks } from './option-checks.js';
export { assertReachable } from './reachability.js';
export type { AdapterSession, AdapterSettings, BrokerAdapter, CommonOptionName, Publish } from './spec.js';

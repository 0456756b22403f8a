export {
  type BrokerConnection,
  type BrokerOptionsByScheme,
  type ConnectBroker,
  type ConnectOptions,
  type ConnectOptionsFor,
  type Credentials,
  connect,
  type DelayOptions,
  type SchemeOf,
  type TlsOption,
  type TopicOptions,
  type UntypedConnectOptions,
} from './connect.js';
export {
  AbortError,
  AdapterNotInstalledError,
  BrokerRejectedError,
  BrokerUnavailableError,
  DelayOutOfRangeError,
  EvError,
  type EvErrorCode,
  type EvErrorOptions,
  InvalidArgumentError,
  isEvError,
  NotSupportedError,
  OverloadedError,
  PayloadTooLargeError,
  PusherClosedError,
  SerializationError,
  TimeoutError,
} from './errors.js';
export type { EventSendOptions } from './events/event-encoder.js';
export {
  createOrderEvent,
  ORDER_NOTIFY_KEY,
  ORDER_SYNC_KEY,
  ORDER_TOPIC,
  type OrderEvent,
} from './events/order-event.js';
export {
  createUserEvent,
  type EventOptions,
  USER_ARCHIVE_KEY,
  USER_SYNC_KEY,
  USER_TOPIC,
  type UserEvent,
} from './events/user-event.js';
export { type DecodedEvent, decodeEvent, type EventTypeName, EventTypes } from './events/wire.js';
export {
  HEADER_CONTENT_TYPE,
  HEADER_EVENT_TYPE,
  HEADER_MESSAGE_ID,
  PROTOBUF_CONTENT_TYPE,
} from './headers.js';
export { type Int64, toInt64 } from './int64.js';
export {
  LimitExceededError,
  type MessageLimits,
  PORTABLE_LIMITS,
  type TextLimit,
} from './limits.js';
export { consoleLogger, type Logger, silentLogger } from './logger.js';
export { newMessageId } from './message-id.js';
export { murmur2, partitionForKey } from './partition.js';
export type {
  DelayCapabilities,
  Pusher,
  PusherCapabilities,
  PusherOptions,
  SendOptions,
  SendReceipt,
} from './pusher.js';
export { redactUrl } from './redact.js';

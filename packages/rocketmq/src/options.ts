import type { ConnectOptions, Logger, TopicOptions } from '@ev/core';

export interface RocketMQOptions extends ConnectOptions {
  /** gRPC endpoints of the proxy (`host:port[;host:port]`); overrides the URL's. */
  endpoints?: string;
  /** Name server for topic provisioning; default: the proxy's host on port 9876, or `?nameserver=`. */
  nameServer?: string;
  /** Create the typed topics when a pusher is made (default true). Turn off where ACL forbids it. */
  provisionTopics?: boolean;
  /** RocketMQ namespace (default none). */
  namespace?: string;
  /** Access key and secret; from `rocketmq://accessKey:secretKey@host` too. Never logged or echoed. */
  credentials?: { accessKey: string; secretKey: string };
  sslEnabled?: boolean;
  /** One gRPC request. Default 10 000 ms. */
  requestTimeoutMs?: number;
  /** Largest payload accepted. Default 4 000 000 bytes (under the proxy's 4 MiB message limit). */
  maxPayloadBytes?: number;
  /** Queues of new topics whose pusher does not say. Default 4. */
  defaultPartitions?: number;
  /** The proxy's `maxDelayTimeMills` (default 1 day); longer delays are a DelayOutOfRangeError. */
  maxDelayMs?: number;
  /**
   * Set to your broker's `timerPrecisionMs`: delivery times are rounded up to a multiple of it, so no
   * delay fires early. Default 1 000, the precision of a stock broker; a broker configured finer (this
   * repository's test broker runs at 100 ms) needs its own value here, or delays arrive up to a second
   * later than needed.
   */
  delayPrecisionMs?: number;
  logger?: Logger;
}

export type RocketMQTopicOptions = TopicOptions;

export const DEFAULTS = {
  requestTimeoutMs: 10_000,
  maxPayloadBytes: 4_000_000,
  partitions: 4,
  maxDelayMs: 24 * 60 * 60 * 1000,
  delayPrecisionMs: 1_000,
  nameServerPort: 9876,
} as const;

/** Every option by name: a Record over the keys, so an option added to the type must be added here. */
const ROCKETMQ_OPTIONS: Record<keyof RocketMQOptions, true> = {
  endpoints: true,
  nameServer: true,
  provisionTopics: true,
  namespace: true,
  credentials: true,
  sslEnabled: true,
  requestTimeoutMs: true,
  maxPayloadBytes: true,
  defaultPartitions: true,
  maxDelayMs: true,
  delayPrecisionMs: true,
  logger: true,
};
export const ROCKETMQ_OPTION_NAMES = Object.keys(ROCKETMQ_OPTIONS);

declare module '@ev/core' {
  interface BrokerOptionsByScheme {
    rocketmq: RocketMQOptions;
  }
}

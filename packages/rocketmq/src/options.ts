import type { ConnectOptions, Credentials } from '@ev/core';
import { type CommonOptionName, check, type OptionChecks } from '@ev/core/adapter';

export interface RocketMQDelayOptions {
  /** The proxy's `maxDelayTimeMills` (default 1 day); longer delays are a DelayOutOfRangeError. */
  maxDelayMs?: number;
  /**
   * Set to your broker's `timerPrecisionMs`: delivery times are rounded up to a multiple of it, so no
   * delay fires early. Default 1 000, the precision of a stock broker; a broker configured finer needs its
   * own value here, or delays arrive up to a second later than needed.
   */
  precisionMs?: number;
}

export interface RocketMQOptions extends ConnectOptions {
  /** Name server for topic provisioning; default: the proxy's host on port 9876, or `?nameserver=`. */
  nameServer?: string;
  /** Create the typed topics when a pusher is made (default true). Turn off where ACL forbids it. */
  provisionTopics?: boolean;
  /** RocketMQ namespace (default none, or `?namespace=`). */
  namespace?: string;
  /** Access key (`username`) and secret key (`password`); from `rocketmq://accessKey:secretKey@host` too. */
  credentials?: Credentials;
  /** TLS to the proxy (`?tls=true` too). The client takes no certificate options: the system's CAs apply. */
  tls?: boolean;
  /** One gRPC request, and the reachability check at connect. Default 10 000 ms. */
  requestTimeoutMs?: number;
  delay?: RocketMQDelayOptions;
}

export const DEFAULTS = {
  requestTimeoutMs: 10_000,
  /** Under the proxy's 4 MiB message limit. */
  maxPayloadBytes: 4_000_000,
  partitions: 4,
  maxDelayMs: 24 * 60 * 60 * 1000,
  delayPrecisionMs: 1_000,
  nameServerPort: 9876,
} as const;

/** Queues per topic. */
export const MAX_QUEUES = 1024;
/** The proxy's message size limit (maxMessageSize, 4 MiB). */
export const MAX_PAYLOAD_BYTES = 4 * 1024 * 1024;

export const ROCKETMQ_OPTION_CHECKS: OptionChecks<Omit<RocketMQOptions, CommonOptionName>> = {
  nameServer: check.text,
  provisionTopics: check.boolean,
  namespace: check.text,
  credentials: check.credentials(['username', 'password']),
  tls: check.boolean,
  requestTimeoutMs: check.duration(),
  delay: check.object<RocketMQDelayOptions>({ maxDelayMs: check.count(1), precisionMs: check.count(1) }),
};

declare module '@ev/core' {
  interface BrokerOptionsByScheme {
    rocketmq: RocketMQOptions;
  }
}

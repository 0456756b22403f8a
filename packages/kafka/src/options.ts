import { type ConnectOptions, type Credentials, InvalidArgumentError, type TlsOption } from '@ev/core';
import { type CommonOptionName, check, type OptionChecks } from '@ev/core/adapter';
import { KAFKA_LIBRARIES, type KafkaLibraryName } from './client/port.js';
import { MAX_SUPPORTED_DELAY_MS } from './delay/levels.js';

export const SASL_MECHANISMS = ['plain', 'scram-sha-256', 'scram-sha-512'] as const;

/** SASL credentials; `mechanism` defaults to `plain` (or the URL's `?mechanism=`). */
export interface KafkaCredentials extends Credentials {
  mechanism?: (typeof SASL_MECHANISMS)[number];
}

export interface KafkaDelayOptions {
  /**
   * The longest delay accepted. Default 7 days; at most `MAX_SUPPORTED_DELAY_MS`, twice the highest delay
   * level: 2 147 483 648 ms (≈ 24.9 days).
   */
  maxDelayMs?: number;
  /** Partitions of each delay-level topic. Default 4. */
  partitions?: number;
  /**
   * Run the delay relay inside this process (default true). Set false when a separate
   * `ev-kafka-delay-relay` process runs it: then delayed messages move only while that process runs.
   */
  relay?: boolean;
  /** The consumer group the relays share (default `ev-delay-relay`); one per environment on a cluster. */
  group?: string;
}

export interface KafkaOptions extends ConnectOptions {
  /**
   * The client library (or the URL's `?client=`): `kafkajs` (default), or `platformatic`, which is faster
   * and maintained and needs `@platformatic/kafka` 2.12 or later installed, on Node 22.22 or later.
   */
  client?: KafkaLibraryName;
  clientId?: string;
  /** TLS: `true`, or Node TLS options (CA, client certificate). `kafka+ssl://` URLs imply `true`. */
  tls?: TlsOption;
  /** SASL credentials, when not in the URL (a URL's user info means SASL/PLAIN unless `?mechanism=`). */
  credentials?: KafkaCredentials;
  /**
   * Connecting, retries included: an unreachable broker fails `connectBroker` with a
   * BrokerUnavailableError within this. Default 10 000 ms.
   */
  connectTimeoutMs?: number;
  /** One request to a broker. Default 30 000 ms. */
  requestTimeoutMs?: number;
  delay?: KafkaDelayOptions;
}

export const DEFAULTS = {
  client: 'kafkajs',
  clientId: 'ev',
  connectTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  /** Under Kafka's default `message.max.bytes`. */
  maxPayloadBytes: 1_000_000,
  partitions: 4,
  maxDelayMs: 7 * 24 * 60 * 60 * 1000,
  delayPartitions: 4,
} as const;

/** Partitions per topic accepted from the options. */
export const MAX_PARTITIONS = 10_000;
/** Kafka itself takes requests up to 100 MiB (socket.request.max.bytes). */
export const MAX_PAYLOAD_BYTES = 100 * 1024 * 1024;

/** A SASL mechanism from the options or the URL: one both clients implement. */
export function assertMechanism(
  value: unknown,
  what: string,
): asserts value is KafkaCredentials['mechanism'] {
  if (!(SASL_MECHANISMS as readonly unknown[]).includes(value)) {
    throw new InvalidArgumentError(`${what} must be one of ${SASL_MECHANISMS.join(', ')}`, {
      provider: 'kafka',
    });
  }
}

export const KAFKA_OPTION_CHECKS: OptionChecks<Omit<KafkaOptions, CommonOptionName>> = {
  client: check.oneOf(KAFKA_LIBRARIES),
  clientId: check.text,
  tls: check.tls,
  credentials: (value, name, scope) => {
    check.credentials(['username', 'password'], ['mechanism'])(value, name, scope);
    const given = (value as KafkaCredentials).mechanism;
    if (given !== undefined) assertMechanism(given, `option ${name}.mechanism`);
  },
  connectTimeoutMs: check.duration(),
  requestTimeoutMs: check.duration(),
  delay: check.object<KafkaDelayOptions>({
    maxDelayMs: check.count(1, MAX_SUPPORTED_DELAY_MS),
    partitions: check.count(1, MAX_PARTITIONS),
    relay: check.boolean,
    group: check.text,
  }),
};

declare module '@ev/core' {
  interface BrokerOptionsByScheme {
    kafka: KafkaOptions;
    'kafka+ssl': KafkaOptions;
  }
}

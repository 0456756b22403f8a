import type { ConnectionOptions as TlsOptions } from 'node:tls';
import type { ConnectOptions, Logger, TopicOptions } from '@ev/core';
import type { KafkaLibrary } from './client.js';

export interface KafkaSasl {
  mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512';
  username: string;
  password: string;
}

export interface KafkaDelayOptions {
  /**
   * The longest delay accepted. Default 7 days; at most `MAX_SUPPORTED_DELAY_MS`, twice the highest delay
   * level: 2 147 483 648 ms (≈ 24.9 days); a larger value makes `connectBroker` reject.
   */
  maxDelayMs?: number;
  /** Partitions of each delay-level topic. Default 4. */
  partitions?: number;
  /**
   * Run the delay relay inside this process (default true). Set false when a separate
   * `ev-kafka-delay-relay` process runs it: then delayed messages move only while that process runs.
   */
  relay?: boolean;
}

export interface KafkaOptions extends ConnectOptions {
  /** `host:port` list; overrides the URL's hosts. */
  brokers?: string[];
  clientId?: string;
  /** TLS: `true`, or Node TLS options (CA, client certificate). `kafka+ssl://` URLs imply `true`. */
  ssl?: boolean | TlsOptions;
  /** SASL credentials; a URL's user info means SASL/PLAIN. Never logged or echoed in errors. */
  sasl?: KafkaSasl;
  /**
   * Connecting, retries included: an unreachable broker fails `connectBroker` with a
   * BrokerUnavailableError within this. Default 10 000 ms.
   */
  connectTimeoutMs?: number;
  /** One request to a broker. Default 30 000 ms. */
  requestTimeoutMs?: number;
  /** Largest payload accepted. Default 1 000 000 bytes (under Kafka's default `message.max.bytes`). */
  maxPayloadBytes?: number;
  /** Partitions of topics whose pusher does not say. Default 4. */
  defaultPartitions?: number;
  delay?: KafkaDelayOptions;
  /** The client library; kafkajs unless given (a test double, or a wire-compatible replacement). */
  kafkajs?: KafkaLibrary;
  logger?: Logger;
}

export type KafkaTopicOptions = TopicOptions;

export const DEFAULTS = {
  clientId: 'ev',
  connectTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  maxPayloadBytes: 1_000_000,
  partitions: 4,
  maxDelayMs: 7 * 24 * 60 * 60 * 1000,
  delayPartitions: 4,
} as const;

/** Every option by name: a Record over the keys, so an option added to the type must be added here. */
const KAFKA_OPTIONS: Record<keyof KafkaOptions, true> = {
  brokers: true,
  clientId: true,
  ssl: true,
  sasl: true,
  connectTimeoutMs: true,
  requestTimeoutMs: true,
  maxPayloadBytes: true,
  defaultPartitions: true,
  delay: true,
  kafkajs: true,
  logger: true,
};
export const KAFKA_OPTION_NAMES = Object.keys(KAFKA_OPTIONS);

const DELAY_OPTIONS: Record<keyof KafkaDelayOptions, true> = {
  maxDelayMs: true,
  partitions: true,
  relay: true,
};
export const KAFKA_DELAY_OPTION_NAMES = Object.keys(DELAY_OPTIONS);

declare module '@ev/core' {
  interface BrokerOptionsByScheme {
    kafka: KafkaOptions;
    'kafka+ssl': KafkaOptions;
  }
}

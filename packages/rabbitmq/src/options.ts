import type { ConnectionOptions as TlsOptions } from 'node:tls';
import type { ConnectOptions, Logger, TopicOptions } from '@ev/core';

export interface RabbitMQOptions extends ConnectOptions {
  /**
   * User name and password, when not in the URL (they win over the URL's). Never logged or echoed in
   * errors.
   */
  credentials?: { username: string; password: string };
  /** TLS settings for `amqps://` URLs (CA, client certificate and key, servername). */
  tls?: TlsOptions;
  /** How long one connection attempt may take. Default 10 000 ms. */
  connectTimeoutMs?: number;
  /** The largest payload accepted, in bytes. Default 4 MiB (RabbitMQ's own limit is higher). */
  maxPayloadBytes?: number;
  /** Partition queues of topics whose pusher does not say. Default 4. */
  defaultPartitions?: number;
  logger?: Logger;
}

export type RabbitMQTopicOptions = TopicOptions;

export const DEFAULTS = {
  connectTimeoutMs: 10_000,
  maxPayloadBytes: 4 * 1024 * 1024,
  partitions: 4,
} as const;

/** Every option by name: a Record over the keys, so an option added to the type must be added here. */
const RABBITMQ_OPTIONS: Record<keyof RabbitMQOptions, true> = {
  credentials: true,
  tls: true,
  connectTimeoutMs: true,
  maxPayloadBytes: true,
  defaultPartitions: true,
  logger: true,
};
export const RABBITMQ_OPTION_NAMES = Object.keys(RABBITMQ_OPTIONS);

declare module '@ev/core' {
  interface BrokerOptionsByScheme {
    amqp: RabbitMQOptions;
    amqps: RabbitMQOptions;
  }
}

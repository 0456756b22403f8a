import type { ConnectOptions, Credentials, DelayOptions, TlsOption } from '@ev/core';
import { type CommonOptionName, check, type OptionChecks } from '@ev/core/adapter';
import { MAX_DELAY_MS } from './delay-route.js';

export interface RabbitMQOptions extends ConnectOptions {
  /** User name and password, when not in the URL (they win over the URL's). Default guest/guest. */
  credentials?: Credentials;
  /** TLS: `true`, or Node TLS options (CA, client certificate and key, servername). `amqps://` implies `true`. */
  tls?: TlsOption;
  /** How long one connection attempt may take. Default 10 000 ms. */
  connectTimeoutMs?: number;
  /** `maxDelayMs`: default and at most 16^8 − 1 ms (≈ 49.7 days), what the delay levels can hold. */
  delay?: DelayOptions;
}

export const DEFAULTS = {
  connectTimeoutMs: 10_000,
  /** Under RabbitMQ's own limit (max_message_size, 128 MiB by default). */
  maxPayloadBytes: 4 * 1024 * 1024,
  partitions: 4,
  maxDelayMs: MAX_DELAY_MS,
  heartbeatSeconds: 10,
} as const;

/** Partition queues per topic: more would only spread keys thinner than consumers can use. */
export const MAX_PARTITIONS = 1024;
/** RabbitMQ refuses bodies over 512 MiB whatever its max_message_size says. */
export const MAX_PAYLOAD_BYTES = 512 * 1024 * 1024;

export const RABBITMQ_OPTION_CHECKS: OptionChecks<Omit<RabbitMQOptions, CommonOptionName>> = {
  credentials: check.credentials(['username', 'password']),
  tls: check.tls,
  connectTimeoutMs: check.duration(),
  delay: check.object<DelayOptions>({ maxDelayMs: check.count(1, MAX_DELAY_MS) }),
};

declare module '@ev/core' {
  interface BrokerOptionsByScheme {
    amqp: RabbitMQOptions;
    amqps: RabbitMQOptions;
  }
}

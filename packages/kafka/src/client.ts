import { type Logger, silentLogger } from '@ev/core';
import type { Admin, Consumer, ConsumerConfig, KafkaConfig, Producer, ProducerConfig } from 'kafkajs';
import * as kafkajs from 'kafkajs';
import { DEFAULTS, type KafkaOptions } from './options.js';
import { parseKafkaUrl } from './url.js';

/**
 * The part of a Kafka client library `@ev` uses. kafkajs by default; kafkajs is no longer maintained, so a
 * wire-compatible replacement only has to provide these.
 */
export interface KafkaLibrary {
  Kafka: new (config: KafkaConfig) => KafkaClient;
}

export interface KafkaClient {
  producer(config?: ProducerConfig): Producer;
  admin(): Admin;
  consumer(config: ConsumerConfig): Consumer;
}

export interface ResolvedClient {
  client: KafkaClient;
  /** The brokers for logs and errors: host:port only. */
  endpoint: string;
}

export function createKafkaClient(url: string, options: KafkaOptions): ResolvedClient {
  const parsed = parseKafkaUrl(url);
  const brokers = options.brokers ?? parsed.brokers;
  const sasl = options.sasl ?? parsed.sasl;
  const library = options.kafkajs ?? (kafkajs as unknown as KafkaLibrary);
  const client = new library.Kafka({
    clientId: options.clientId ?? parsed.clientId ?? DEFAULTS.clientId,
    brokers,
    ssl: options.ssl ?? parsed.ssl,
    // kafkajs caches an authenticator, bound to the first password, on the sasl object it is given. A
    // copy keeps that cache out of the caller's object: spreading it for a new password would otherwise
    // carry the old authenticator along and log in with the old password.
    ...(sasl
      ? {
          sasl: {
            mechanism: sasl.mechanism,
            username: sasl.username,
            password: sasl.password,
          } as KafkaConfig['sasl'],
        }
      : {}),
    connectionTimeout: options.connectTimeoutMs ?? DEFAULTS.connectTimeoutMs,
    requestTimeout: options.requestTimeoutMs ?? DEFAULTS.requestTimeoutMs,
    logLevel: kafkajs.logLevel.WARN,
    logCreator: createLogCreator(options.logger ?? silentLogger),
  });
  return { client, endpoint: brokers.join(',') };
}

/**
 * Routes kafkajs's own log lines to our logger at debug level, with only fields that carry no
 * credentials. kafkajs logs every request it retries at error level (a broker still starting, a leader
 * moving) and warns about defaults @ev does not use: noise on a run that succeeds. What fails for good
 * reaches the caller as a typed error, and @ev logs its own lines for what an operator must see.
 */
function createLogCreator(logger: Logger): KafkaConfig['logCreator'] {
  return () =>
    ({ log }) => {
      const { message, broker, error, groupId, topic } = log as Record<string, unknown>;
      logger.debug({ provider: 'kafka', client: 'kafkajs', broker, error, groupId, topic }, String(message));
    };
}

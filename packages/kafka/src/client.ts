import type { Logger } from '@ev/core';
import type { BrokerUrl } from '@ev/core/adapter';
import type { Admin, Consumer, ConsumerConfig, KafkaConfig, Producer, ProducerConfig } from 'kafkajs';
import * as kafkajs from 'kafkajs';
import { assertMechanism, DEFAULTS, type KafkaCredentials, type KafkaOptions } from './options.js';

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

/** A client for the URL's brokers (`kafka+ssl://` or `?tls=true` for TLS, user info for SASL). */
export function createKafkaClient(url: BrokerUrl, options: KafkaOptions, logger: Logger): KafkaClient {
  const credentials = options.credentials ?? credentialsOf(url);
  const library = options.kafkajs ?? (kafkajs as unknown as KafkaLibrary);
  return new library.Kafka({
    clientId: options.clientId ?? url.params.get('clientId') ?? DEFAULTS.clientId,
    brokers: [...url.hosts],
    ssl: options.tls ?? (url.scheme === 'kafka+ssl' || url.params.get('tls') === 'true'),
    // kafkajs caches an authenticator, bound to the first password, on the sasl object it is given. A
    // copy keeps that cache out of the caller's object: spreading it for a new password would otherwise
    // carry the old authenticator along and log in with the old password.
    ...(credentials
      ? {
          sasl: {
            mechanism: credentials.mechanism ?? 'plain',
            username: credentials.username,
            password: credentials.password,
          } as KafkaConfig['sasl'],
        }
      : {}),
    connectionTimeout: options.connectTimeoutMs ?? DEFAULTS.connectTimeoutMs,
    requestTimeout: options.requestTimeoutMs ?? DEFAULTS.requestTimeoutMs,
    logLevel: kafkajs.logLevel.WARN,
    logCreator: createLogCreator(logger),
  });
}

function credentialsOf(url: BrokerUrl): KafkaCredentials | undefined {
  if (url.username === undefined) return undefined;
  const mechanism = (url.params.get('mechanism') ?? 'plain').toLowerCase();
  assertMechanism(mechanism, "the URL's SASL mechanism");
  return { username: url.username, password: url.password ?? '', mechanism };
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

import { InvalidArgumentError, type Logger } from '@ev/core';
import type { BrokerUrl } from '@ev/core/adapter';
import { assertMechanism, DEFAULTS, type KafkaCredentials, type KafkaOptions } from '../options.js';
import { type ClientConfig, KAFKA_LIBRARIES, type KafkaLibraryName } from './port.js';

/** The client settings from the URL and the options (`kafka+ssl://` or `?tls=true` for TLS, user info for SASL). */
export function clientConfig(url: BrokerUrl, options: KafkaOptions, logger: Logger): ClientConfig {
  const credentials = options.credentials ?? credentialsOf(url);
  return {
    clientId: options.clientId ?? url.params.get('clientId') ?? DEFAULTS.clientId,
    brokers: [...url.hosts],
    tls: options.tls ?? (url.scheme === 'kafka+ssl' || url.params.get('tls') === 'true'),
    sasl: credentials && {
      mechanism: credentials.mechanism ?? 'plain',
      username: credentials.username,
      password: credentials.password ?? '',
    },
    connectTimeoutMs: options.connectTimeoutMs ?? DEFAULTS.connectTimeoutMs,
    requestTimeoutMs: options.requestTimeoutMs ?? DEFAULTS.requestTimeoutMs,
    logger,
  };
}

/** The client library: the `client` option, else the URL's `?client=`, else kafkajs. */
export function libraryOf(url: BrokerUrl, options: KafkaOptions): KafkaLibraryName {
  const named = options.client ?? url.params.get('client') ?? DEFAULTS.client;
  if (!(KAFKA_LIBRARIES as readonly string[]).includes(named)) {
    throw new InvalidArgumentError(
      `the URL's client must be one of ${KAFKA_LIBRARIES.map((name) => `"${name}"`).join(', ')}`,
      { provider: 'kafka' },
    );
  }
  return named as KafkaLibraryName;
}

function credentialsOf(url: BrokerUrl): KafkaCredentials | undefined {
  if (url.username === undefined) return undefined;
  const mechanism = (url.params.get('mechanism') ?? 'plain').toLowerCase();
  assertMechanism(mechanism, "the URL's SASL mechanism");
  return { username: url.username, password: url.password ?? '', mechanism };
}

import type { Logger } from '@ev/core';
import { type BrokerUrl, clientLogLine } from '@ev/core/adapter';
import { Kafka, type KafkaConfig, logLevel } from 'kafkajs';
import { patchKafkajsTimers } from './kafkajs-patch.js';
import { assertMechanism, DEFAULTS, type KafkaCredentials, type KafkaOptions } from './options.js';

patchKafkajsTimers();

/** A client for the URL's brokers (`kafka+ssl://` or `?tls=true` for TLS, user info for SASL). */
export function createKafkaClient(url: BrokerUrl, options: KafkaOptions, logger: Logger): Kafka {
  const credentials = options.credentials ?? credentialsOf(url);
  return new Kafka({
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
    logLevel: logLevel.WARN,
    logCreator: createLogCreator(logger, credentials?.password),
  });
}

function credentialsOf(url: BrokerUrl): KafkaCredentials | undefined {
  if (url.username === undefined) return undefined;
  const mechanism = (url.params.get('mechanism') ?? 'plain').toLowerCase();
  assertMechanism(mechanism, "the URL's SASL mechanism");
  return { username: url.username, password: url.password ?? '', mechanism };
}

/**
 * kafkajs's own lines go to the user's logger at debug level (see clientLogLine), with only fields that
 * carry no credentials.
 */
function createLogCreator(logger: Logger, password: string | undefined): KafkaConfig['logCreator'] {
  return () =>
    ({ log: { message, broker, error, groupId, topic } }) =>
      clientLogLine(logger, { provider: 'kafka', client: 'kafkajs', broker, error, groupId, topic }, [
        password,
      ])(message);
}

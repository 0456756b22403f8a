import { InvalidArgumentError } from '@ev/core';
import { scope } from './map-error.js';
import type { KafkaSasl } from './options.js';

export interface ParsedKafkaUrl {
  brokers: string[];
  ssl: boolean;
  sasl: KafkaSasl | undefined;
  clientId: string | undefined;
}

const MECHANISMS = ['plain', 'scram-sha-256', 'scram-sha-512'] as const;

/**
 * `kafka://[user:password@]host:port[,host:port…][?clientId=…&mechanism=scram-sha-256]`, or
 * `kafka+ssl://…` for TLS. Several hosts do not fit WHATWG URL parsing, hence this small parser.
 */
export function parseKafkaUrl(url: string): ParsedKafkaUrl {
  const match = /^kafka(\+ssl)?:\/\/(?:([^@/?#]*)@)?([^/?#]+)\/?(?:\?([^#]*))?$/i.exec(url);
  if (!match) {
    throw new InvalidArgumentError(
      'invalid Kafka URL: expected kafka://[user:password@]host:port[,host:port]',
      scope,
    );
  }
  const [, ssl, userInfo, hosts, query] = match;
  const params = new URLSearchParams(query ?? '');
  const brokers = hosts!.split(',').map((host) => host.trim());
  for (const broker of brokers) {
    if (!/^[^:]+:\d{1,5}$/.test(broker)) {
      throw new InvalidArgumentError(`invalid Kafka broker address "${broker}": expected host:port`, scope);
    }
  }
  let sasl: KafkaSasl | undefined;
  if (userInfo) {
    const [username = '', password = ''] = userInfo.split(':').map(decodeURIComponent);
    const mechanism = (params.get('mechanism') ?? 'plain').toLowerCase();
    if (!(MECHANISMS as readonly string[]).includes(mechanism)) {
      throw new InvalidArgumentError(
        `unsupported SASL mechanism "${mechanism}": use ${MECHANISMS.join(', ')}`,
        scope,
      );
    }
    sasl = { mechanism: mechanism as KafkaSasl['mechanism'], username, password };
  }
  return {
    brokers,
    ssl: Boolean(ssl) || params.get('ssl') === 'true',
    sasl,
    clientId: params.get('clientId') ?? undefined,
  };
}

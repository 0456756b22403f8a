import { InvalidArgumentError } from '@ev/core';
import { scope } from './map-error.js';
import { DEFAULTS } from './options.js';

export interface ParsedRocketMQUrl {
  endpoints: string;
  nameServer: string;
  credentials: { accessKey: string; secretKey: string } | undefined;
  namespace: string | undefined;
  sslEnabled: boolean;
}

/**
 * `rocketmq://[accessKey:secretKey@]proxyHost:8081[?nameserver=host:9876&namespace=ns&ssl=true]`.
 */
export function parseRocketMQUrl(url: string): ParsedRocketMQUrl {
  const match = /^rocketmq:\/\/(?:([^@/?#]*)@)?([^/?#]+)\/?(?:\?([^#]*))?$/i.exec(url);
  if (!match) {
    throw new InvalidArgumentError(
      'invalid RocketMQ URL: expected rocketmq://[accessKey:secretKey@]host:port',
      scope,
    );
  }
  const [, userInfo, hosts, query] = match;
  const params = new URLSearchParams(query ?? '');
  const endpoints = hosts!.replaceAll(',', ';');
  const firstHost = endpoints.split(';')[0]!.replace(/:\d+$/, '');
  let credentials: ParsedRocketMQUrl['credentials'];
  if (userInfo) {
    const [accessKey = '', secretKey = ''] = userInfo.split(':').map(decodeURIComponent);
    credentials = { accessKey, secretKey };
  }
  return {
    endpoints,
    nameServer: params.get('nameserver') ?? `${firstHost}:${DEFAULTS.nameServerPort}`,
    credentials,
    namespace: params.get('namespace') ?? undefined,
    sslEnabled: params.get('ssl') === 'true',
  };
}

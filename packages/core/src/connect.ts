import { InvalidArgumentError } from './errors.js';
import { loadAdapter } from './load-adapter.js';
import type { Logger } from './logger.js';
import type { Pusher, PusherOptions } from './pusher.js';
import { redactUrl } from './redact.js';

/** Per-topic options for `connection.pusher(topic, options)`. */
export interface TopicOptions extends PusherOptions {
  /** Partitions (Kafka), partition queues (RabbitMQ) or queues (RocketMQ) a new topic gets. */
  partitions?: number;
}

export interface ConnectOptions {
  logger?: Logger;
  /** Adapter-specific settings (TLS, SASL, client ids); see each adapter's README. */
  [setting: string]: unknown;
}

/** One broker connection shared by the pushers of many topics. */
export interface BrokerConnection {
  readonly provider: string;
  /** A pusher bound to `topic`; the topic is provisioned first so nothing is lost before a consumer exists. */
  pusher(topic: string, options?: TopicOptions): Promise<Pusher>;
  /** Closes every pusher made from this connection (each settles its in-flight sends), then the connection. */
  close(): Promise<void>;
}

/** What an adapter package exports as `connectBroker`, for `connect(url)` to find. */
export type ConnectBroker = (url: string, options: ConnectOptions) => Promise<BrokerConnection>;

const ADAPTER_PACKAGES: Record<string, string> = {
  'memory:': '@ev/testing',
  'kafka:': '@ev/kafka',
  'amqp:': '@ev/rabbitmq',
  'amqps:': '@ev/rabbitmq',
  'rocketmq:': '@ev/rocketmq',
};

/**
 * Connects by URL, loading the adapter package on demand: `memory:`, `kafka://host:9092`,
 * `amqp://user:pass@host:5672`, `rocketmq://host:8081`. Install only the adapter you use.
 */
export async function connect(url: string, options: ConnectOptions = {}): Promise<BrokerConnection> {
  const scheme = schemeOf(url);
  const packageName = ADAPTER_PACKAGES[scheme];
  if (!packageName) {
    throw new InvalidArgumentError(
      `unsupported broker URL "${redactUrl(url)}": use one of ${Object.keys(ADAPTER_PACKAGES).join(', ')}`,
    );
  }
  const adapter = await loadAdapter<{ connectBroker: ConnectBroker }>(scheme, packageName);
  return adapter.connectBroker(url, options);
}

function schemeOf(url: unknown): string {
  if (typeof url !== 'string') throw new InvalidArgumentError('broker URL must be a string');
  const match = /^([a-z][a-z0-9+.-]*:)/i.exec(url);
  return match ? match[1]!.toLowerCase() : '';
}

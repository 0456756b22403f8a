import type { ConnectionOptions as TlsConnectionOptions } from 'node:tls';
import { schemeOf } from './adapter/broker-url.js';
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

/**
 * What every adapter's connect options have; each adapter adds its own, with the same names for the same
 * concepts (`tls`, `credentials`, `delay`, and `connectTimeoutMs` or `requestTimeoutMs` where the client
 * has them). A closed set: a misspelt option does not
 * compile, and is refused at run time.
 */
export interface ConnectOptions {
  /** Where @ev's own log lines go (a client library's lines arrive at debug level). Default: nowhere. */
  logger?: Logger;
  /** The largest payload accepted, in bytes; each adapter's default is under its broker's own limit. */
  maxPayloadBytes?: number;
  /** Partitions (Kafka), partition queues (RabbitMQ) or queues (RocketMQ) of a new topic whose pusher does not say. */
  defaultPartitions?: number;
  delay?: DelayOptions;
}

export interface DelayOptions {
  /** The longest delay `sendDelayAfter` accepts; each adapter has its default and its maximum. */
  maxDelayMs?: number;
}

/** TLS: `true` for the system's trusted CAs, or Node TLS options (CA, client certificate and key, servername). */
export type TlsOption = boolean | TlsConnectionOptions;

/** A user name and password. Never logged, never echoed in errors. */
export interface Credentials {
  username: string;
  password: string;
}

/**
 * The options of each broker URL scheme, so `connect(url, options)` checks them by the URL's scheme. An
 * adapter adds its schemes by declaration merging:
 *
 *   declare module '@ev/core' { interface BrokerOptionsByScheme { kafka: KafkaOptions } }
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled by the adapters through declaration merging
export interface BrokerOptionsByScheme {}

/** The scheme of a URL literal, lower-cased: `kafka` for `kafka://host:9092`. */
export type SchemeOf<Url extends string> = Url extends `${infer Scheme}:${string}`
  ? Lowercase<Scheme>
  : never;

/**
 * Options of an adapter whose types the program has not imported (`connect` loads adapters on demand):
 * not checked when compiling, and still checked by the adapter when connecting.
 */
export type UntypedConnectOptions = ConnectOptions & { readonly [setting: string]: unknown };

/**
 * The options `connect(url)` takes: those of the URL's scheme when the URL is a literal and that scheme's
 * adapter is imported somewhere in the program (which registers its options), else any settings.
 */
export type ConnectOptionsFor<Url extends string> = string extends Url
  ? UntypedConnectOptions
  : SchemeOf<Url> extends keyof BrokerOptionsByScheme
    ? BrokerOptionsByScheme[SchemeOf<Url>]
    : UntypedConnectOptions;

/** One broker connection shared by the pushers of many topics. */
export interface BrokerConnection {
  readonly provider: string;
  /** A pusher bound to `topic`; the topic is provisioned first so nothing is lost before a consumer exists. */
  pusher(topic: string, options?: TopicOptions): Promise<Pusher>;
  /** Closes every pusher made from this connection (each settles its in-flight sends), then the connection. */
  close(): Promise<void>;
}

/**
 * What an adapter package exports as `connectBroker`, for `connect(url)` to find. Its options are
 * `never` here: each adapter takes its own options type, which core only passes through.
 */
export type ConnectBroker = (url: string, options: never) => Promise<BrokerConnection>;

const ADAPTER_PACKAGES: Record<string, string> = {
  'memory:': '@ev/memory',
  'kafka:': '@ev/kafka',
  'kafka+ssl:': '@ev/kafka',
  'amqp:': '@ev/rabbitmq',
  'amqps:': '@ev/rabbitmq',
  'rocketmq:': '@ev/rocketmq',
};

/**
 * Connects by URL, loading the adapter package on demand: `memory:`, `kafka://host:9092`,
 * `amqp://user:pass@host:5672`, `rocketmq://host:8081`. Install only the adapter you use.
 */
export async function connect<Url extends string>(
  url: Url,
  options: ConnectOptionsFor<Url> = {} as ConnectOptionsFor<Url>,
): Promise<BrokerConnection> {
  if (typeof url !== 'string') throw new InvalidArgumentError('broker URL must be a string');
  const scheme = `${schemeOf(url)}:`;
  const packageName = ADAPTER_PACKAGES[scheme];
  if (!packageName) {
    throw new InvalidArgumentError(
      `unsupported broker URL "${redactUrl(url)}": use one of ${Object.keys(ADAPTER_PACKAGES).join(', ')}`,
    );
  }
  const adapter = await loadAdapter<{ connectBroker: ConnectBroker }>(scheme, packageName);
  return adapter.connectBroker(url, options as never);
}

import type { ConnectOptions } from '../connect.js';
import type { MessageLimits } from '../limits.js';
import type { Logger } from '../logger.js';
import type { DelayCapabilities } from '../pusher.js';
import type { DriverReceipt, OutgoingMessage, SendSignal } from '../pusher-driver.js';
import type { TopicNameRule } from '../validation.js';
import type { BrokerUrl } from './broker-url.js';
import type { OptionChecks } from './option-checks.js';

/** The connect options core checks and applies itself, for every adapter. */
export type CommonOptionName = 'logger' | 'maxPayloadBytes' | 'defaultPartitions';

/**
 * What an adapter implements, version 1: what its broker accepts, and how to connect, provision a topic,
 * publish and close. `defineAdapter` does the rest once for every adapter — option and URL checks, topic
 * names, default partitions, provisioning each topic once per connection, building pushers (validation,
 * message ids, the in-flight cap, timeouts, abort and close), connection bookkeeping and release.
 */
export interface BrokerAdapter<Options extends ConnectOptions> {
  readonly specificationVersion: 'v1';
  /** Named in every error and log line: `kafka`. */
  readonly provider: string;
  /**
   * The URL schemes it serves (`kafka`, `kafka+ssl`), each with the port of a host given without one (0 for
   * a scheme without hosts, like `memory:`) and, when the client takes only so many, how many hosts a URL
   * may list.
   */
  readonly schemes: Readonly<Record<string, { readonly defaultPort: number; readonly maxHosts?: number }>>;
  /**
   * The URL query parameters it reads (any other is refused, so an old or misspelt one cannot be
   * silently ignored), if it reads the path, what the path names (`virtual host`), and whether IPv6
   * addresses are refused.
   */
  readonly url: {
    readonly parameters: readonly string[];
    readonly path?: string;
    /** False when the client library cannot reach an IPv6 address (it splits `host:port` at a colon). */
    readonly ipv6?: boolean;
  };
  /** A check for each of its connect options; core checks the common ones and refuses any other name. */
  readonly options: OptionChecks<Omit<Options, CommonOptionName>>;
  readonly defaults: {
    /** Partitions of a topic when neither the pusher nor `defaultPartitions` says. */
    readonly partitions: number;
    /** The largest payload accepted unless `maxPayloadBytes` says otherwise. */
    readonly maxPayloadBytes: number;
    /** The longest delay accepted unless `delay.maxDelayMs` says otherwise. */
    readonly maxDelayMs: number;
  };
  /** The most the options may ask for. */
  readonly maxima: { readonly partitions: number; readonly maxPayloadBytes: number };
  /** Topic names the broker accepts; `reserved` says why a name that fits the rule is still refused. */
  readonly topicNames: TopicNameRule & { readonly reserved?: (topic: string) => string | undefined };
  /** What the broker accepts in one message, with the payload limit in force. */
  limits(maxPayloadBytes: number): MessageLimits;
  /** Connects (or fails with a typed error within the connect timeout) and returns the live session. */
  connect(url: BrokerUrl, settings: AdapterSettings<Options>): Promise<AdapterSession>;
}

/** The options as given (checked), and the common ones resolved. */
export interface AdapterSettings<Options> {
  readonly options: Options;
  readonly logger: Logger;
  readonly maxPayloadBytes: number;
}

/** A connected adapter. Core calls `provision` once per topic, `publisher` once per pusher. */
export interface AdapterSession {
  readonly capabilities: {
    readonly keyOrdering: boolean;
    readonly delay: Omit<DelayCapabilities, 'maxDelayMs'>;
  };
  /**
   * Creates the topic unless it exists; resolves to its partition count: the topic's real one where the
   * broker tells (Kafka: an existing topic keeps its own), else the count asked for.
   */
  provision(topic: string, partitions: number): Promise<number>;
  /** How one pusher's messages go to a provisioned topic. */
  publisher(topic: string, partitions: number): Publish;
  /** Releases the connection. Called once, after every pusher made from the session has closed. */
  close(): Promise<void>;
}

/**
 * Publishes one validated message and resolves once the broker confirmed. Called in the order the user
 * called the pusher. `signal.aborted` turns true when the caller stops waiting: a publication not yet
 * written may then be dropped. A rejection should be an EvError (map the client's errors).
 */
export type Publish = (message: OutgoingMessage, signal: SendSignal) => Promise<DriverReceipt>;

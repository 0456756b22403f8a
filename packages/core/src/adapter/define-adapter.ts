import type { BrokerConnection, ConnectOptions, TopicOptions } from '../connect.js';
import { InvalidArgumentError, PusherClosedError } from '../errors.js';
import { silentLogger } from '../logger.js';
import type { Pusher } from '../pusher.js';
import type { PusherDriver } from '../pusher-driver.js';
import { PUSHER_OPTION_CHECKS } from '../pusher-options.js';
import { createPusher } from '../send/create-pusher.js';
import { assertTopicName, type ValidationScope } from '../validation.js';
import { type BrokerUrl, parseBrokerUrl, schemeOf } from './broker-url.js';
import { assertOptions, check, type OptionChecks } from './option-checks.js';
import type { AdapterSession, BrokerAdapter } from './spec.js';

/** What an adapter package exports, made from its spec. */
export interface DefinedAdapter<Options extends ConnectOptions> {
  /** Connects; the connection's pushers share it. Bad options or URL reject before any broker is contacted. */
  connectBroker(url: string, options?: Options): Promise<BrokerConnection>;
  /** A pusher with a connection of its own, closed with it: connect and pusher options in one object. */
  connectPusher(url: string, topic: string, options?: Options & TopicOptions): Promise<Pusher>;
}

/** Builds an adapter's `connectBroker` and `connectPusher` from its spec: core does everything shared. */
export function defineAdapter<Options extends ConnectOptions>(
  adapter: BrokerAdapter<Options>,
): DefinedAdapter<Options> {
  if (adapter.specificationVersion !== 'v1') {
    throw new TypeError(`@ev/core implements adapter specification v1, not ${adapter.specificationVersion}`);
  }
  const scope: ValidationScope = { provider: adapter.provider };
  const optionChecks = {
    logger: check.logger,
    maxPayloadBytes: check.count(1, adapter.maxima.maxPayloadBytes),
    defaultPartitions: check.count(1, adapter.maxima.partitions),
    ...adapter.options,
  } as OptionChecks<Options>;
  const topicOptionChecks: OptionChecks<TopicOptions> = {
    ...PUSHER_OPTION_CHECKS,
    partitions: check.count(1, adapter.maxima.partitions),
  };

  async function connectBroker(url: string, options = {} as Options): Promise<BrokerConnection> {
    assertOptions(options, optionChecks, scope);
    const schemes = Object.keys(adapter.schemes);
    const scheme = typeof url === 'string' ? schemeOf(url) : undefined;
    if (scheme === undefined || !schemes.includes(scheme)) {
      throw new InvalidArgumentError(
        `a ${adapter.provider} URL starts with ${schemes.map((s) => `${s}:`).join(' or ')}`,
        scope,
      );
    }
    const brokerUrl = parseBrokerUrl(url, adapter.schemes[scheme]!.defaultPort, scope);
    assertUrlFits(brokerUrl);
    const logger = options.logger ?? silentLogger;
    const maxPayloadBytes = options.maxPayloadBytes ?? adapter.defaults.maxPayloadBytes;
    const session = await adapter.connect(brokerUrl, { options, logger, maxPayloadBytes });
    return openConnection(session, {
      maxDelayMs: options.delay?.maxDelayMs ?? adapter.defaults.maxDelayMs,
      maxPayloadBytes,
      defaultPartitions: options.defaultPartitions ?? adapter.defaults.partitions,
      logger: options.logger,
    });
  }

  /** The URL names as many hosts as the scheme takes, and only the parameters and path the adapter reads. */
  function assertUrlFits(url: BrokerUrl): void {
    const { defaultPort, maxHosts = Number.POSITIVE_INFINITY } = adapter.schemes[url.scheme]!;
    const count = url.addresses.length;
    // A default port of 0 marks a scheme without hosts (`memory:`).
    const hosts =
      defaultPort === 0
        ? 'no host'
        : maxHosts === 1
          ? 'one host'
          : maxHosts === Number.POSITIVE_INFINITY
            ? 'at least one host'
            : `1 to ${maxHosts} hosts`;
    if (defaultPort === 0 ? count > 0 : count === 0 || count > maxHosts) {
      throw new InvalidArgumentError(`a ${adapter.provider} URL names ${hosts}`, scope);
    }
    const { parameters, path, ipv6 = true } = adapter.url;
    if (!ipv6 && url.addresses.some(({ host }) => host.includes(':'))) {
      throw new InvalidArgumentError(
        `a ${adapter.provider} URL takes no IPv6 address (its client cannot reach one): use a host name`,
        scope,
      );
    }
    for (const name of url.params.keys()) {
      if (!parameters.includes(name)) {
        const known = parameters.length > 0 ? `: use ${parameters.join(', ')}` : '; it takes none';
        throw new InvalidArgumentError(
          `unknown parameter "${name}" in a ${adapter.provider} URL${known}`,
          scope,
        );
      }
    }
    if (url.path !== '' && path === undefined) {
      throw new InvalidArgumentError(`a ${adapter.provider} URL has no path`, scope);
    }
  }

  /** Tracks the connection's pushers, provisions each topic once, and closes pushers before the session. */
  function openConnection(
    session: AdapterSession,
    settings: {
      maxDelayMs: number;
      maxPayloadBytes: number;
      defaultPartitions: number;
      logger: ConnectOptions['logger'];
    },
  ): BrokerConnection {
    const limits = adapter.limits(settings.maxPayloadBytes);
    const pushers = new Set<Pusher>();
    const provisioned = new Map<string, Promise<number>>();
    let closing: Promise<void> | undefined;

    const provisionOnce = (topic: string, partitions: number): Promise<number> => {
      let pending = provisioned.get(topic);
      if (!pending) {
        pending = session.provision(topic, partitions);
        provisioned.set(topic, pending);
        pending.catch(() => provisioned.delete(topic)); // a failed attempt is tried again next time
      }
      return pending;
    };

    return {
      provider: adapter.provider,
      async pusher(topic: string, topicOptions: TopicOptions = {}) {
        if (closing) throw new PusherClosedError(scope);
        assertOptions(topicOptions, topicOptionChecks, scope);
        assertTopicName(topic, scope, adapter.topicNames);
        const reserved = adapter.topicNames.reserved?.(topic);
        if (reserved) throw new InvalidArgumentError(`invalid topic name "${topic}": ${reserved}`, scope);
        const partitions = await provisionOnce(topic, topicOptions.partitions ?? settings.defaultPartitions);
        // The connection may have begun closing while the topic was provisioned: it no longer tracks pushers.
        if (closing) throw new PusherClosedError(scope);
        const driver: PusherDriver = {
          provider: adapter.provider,
          topic,
          capabilities: {
            keyOrdering: session.capabilities.keyOrdering,
            partitions,
            delay: { ...session.capabilities.delay, maxDelayMs: settings.maxDelayMs },
          },
          limits,
          publish: session.publisher(topic, partitions),
          close: async () => {
            pushers.delete(pusher);
          },
        };
        const pusher = createPusher(driver, { logger: settings.logger, ...topicOptions });
        pushers.add(pusher);
        return pusher;
      },
      close() {
        closing ??= (async () => {
          await Promise.all([...pushers].map((pusher) => pusher.close()));
          await session.close();
        })();
        return closing;
      },
    };
  }

  async function connectPusher(
    url: string,
    topic: string,
    options = {} as Options & TopicOptions,
  ): Promise<Pusher> {
    assertOptions(
      options,
      { ...optionChecks, ...topicOptionChecks } as OptionChecks<Options & TopicOptions>,
      scope,
    );
    // One object carries both: the connection takes its own options, the pusher the rest (and the logger).
    const connectionOptions: Record<string, unknown> = {};
    const topicOptions: Record<string, unknown> = { logger: options.logger };
    for (const [name, value] of Object.entries(options)) {
      if (name in optionChecks) connectionOptions[name] = value;
      else topicOptions[name] = value;
    }
    const connection = await connectBroker(url, connectionOptions as Options);
    try {
      const pusher = await connection.pusher(topic, topicOptions as TopicOptions);
      // Closing the connection closes the pusher first, settling its in-flight sends.
      return Object.freeze({ ...pusherMethods(pusher), close: () => connection.close() });
    } catch (error) {
      await connection.close();
      throw error;
    }
  }

  return { connectBroker, connectPusher };
}

/** A pusher's members, bound, so another `close` can stand in for its own. */
function pusherMethods(pusher: Pusher): Pusher {
  return {
    specificationVersion: pusher.specificationVersion,
    provider: pusher.provider,
    topic: pusher.topic,
    capabilities: pusher.capabilities,
    limits: pusher.limits,
    send: (payload, options) => pusher.send(payload, options),
    sendWithKey: (key, payload, options) => pusher.sendWithKey(key, payload, options),
    sendDelayAfter: (payload, delayMs, options) => pusher.sendDelayAfter(payload, delayMs, options),
    close: () => pusher.close(),
  };
}

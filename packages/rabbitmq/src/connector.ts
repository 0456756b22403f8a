import { type Logger, PusherClosedError } from '@ev/core';
import type { BrokerAddress, BrokerUrl } from '@ev/core/adapter';
import amqp, { type Channel, type ChannelModel, type ConfirmChannel, type Options } from 'amqplib';
import { mapConnectError, mapTopologyError, scope } from './map-error.js';
import { DEFAULTS, type RabbitMQOptions } from './options.js';

/** One live connection with its publishing channel. Replaced as a whole after a connection loss. */
export interface Link {
  readonly model: ChannelModel;
  readonly channel: ConfirmChannel;
  /** Set once the connection or channel closed; in-flight confirms then fail. */
  closed: boolean;
  /** Message ids RabbitMQ returned as unroutable; their ack follows the return. */
  readonly returned: Set<string>;
}

type Declaration = { name: string; declare: (channel: Channel) => Promise<void> };

const RECONNECT_MIN_MS = 100;
const RECONNECT_MAX_MS = 2_000;

/**
 * Owns the AMQP connection: connects lazily, reconnects with backoff after a loss, and (re)declares the
 * registered topology on every new connection before anything is published on it.
 */
export class Connector {
  /** The broker's address for logs and errors: no user name, no password. */
  readonly endpoint: string;
  private readonly connectOptions: Options.Connect;
  private readonly socketOptions: Record<string, unknown>;
  private readonly logger: Logger;
  private readonly declarations = new Map<string, Declaration>();
  private link: Link | undefined;
  private connecting: Promise<Link> | undefined;
  private everConnected = false;
  private closed = false;

  constructor(url: BrokerUrl, options: RabbitMQOptions, logger: Logger) {
    const [{ host, port }] = url.addresses as [BrokerAddress];
    const tls = options.tls ?? url.scheme === 'amqps';
    this.endpoint = url.endpoint;
    this.logger = logger;
    this.connectOptions = {
      protocol: tls === false ? 'amqp' : 'amqps',
      hostname: host,
      port,
      username: options.credentials?.username ?? url.username ?? 'guest',
      password: options.credentials?.password ?? url.password ?? 'guest',
      vhost: url.path || '/',
      heartbeat: Number(url.params.get('heartbeat') ?? DEFAULTS.heartbeatSeconds),
    };
    this.socketOptions = {
      ...(typeof tls === 'object' ? tls : {}),
      timeout: options.connectTimeoutMs ?? DEFAULTS.connectTimeoutMs,
    };
  }

  /** The live link, if there is one now: lets a publisher skip an await per message. */
  live(): Link | undefined {
    return !this.closed && this.link && !this.link.closed ? this.link : undefined;
  }

  /** A live link, connecting first if needed. Before the first success, a failure rejects at once. */
  ready(): Promise<Link> {
    if (this.closed) return Promise.reject(new PusherClosedError(scope));
    if (this.link && !this.link.closed) return Promise.resolve(this.link);
    this.connecting ??= this.connectWithRetry().finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  /** Declares now and again after every reconnect. */
  async declare(name: string, declare: (channel: Channel) => Promise<void>): Promise<void> {
    if (this.declarations.has(name)) return;
    const link = await this.ready();
    await this.runDeclarations(link.model, [{ name, declare }]);
    this.declarations.set(name, { name, declare });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.connecting?.catch(() => {});
    const link = this.link;
    this.link = undefined;
    if (!link || link.closed) return;
    link.closed = true;
    await link.channel.close().catch(() => {});
    await link.model.close().catch(() => {});
  }

  private async connectWithRetry(): Promise<Link> {
    let delay = RECONNECT_MIN_MS;
    for (;;) {
      try {
        return await this.connectOnce();
      } catch (error) {
        const mapped = mapConnectError(error, this.endpoint);
        if (!this.everConnected || this.closed) throw mapped;
        this.logger.warn({ provider: 'rabbitmq', endpoint: this.endpoint, retryInMs: delay }, mapped.message);
        await new Promise((resolve) => setTimeout(resolve, delay));
        if (this.closed) throw new PusherClosedError(scope);
        delay = Math.min(delay * 2, RECONNECT_MAX_MS);
      }
    }
  }

  private async connectOnce(): Promise<Link> {
    const model = await amqp.connect(this.connectOptions, this.socketOptions);
    try {
      // Declarations first: a publish must never reach an exchange whose queues are not there yet.
      await this.runDeclarations(model, [...this.declarations.values()]);
      const channel = await model.createConfirmChannel();
      const link: Link = { model, channel, closed: false, returned: new Set() };
      channel.on('return', ({ properties }) => {
        if (typeof properties.messageId === 'string') link.returned.add(properties.messageId);
      });
      const onLoss = (error?: Error) => {
        if (link.closed) return;
        link.closed = true;
        if (this.link === link) this.link = undefined;
        if (!this.closed) {
          this.logger.warn(
            { provider: 'rabbitmq', endpoint: this.endpoint, reason: error?.message },
            'connection lost',
          );
        }
        model.close().catch(() => {});
      };
      // Without listeners, an 'error' event would crash the process.
      model.on('error', onLoss);
      model.on('close', onLoss);
      channel.on('error', onLoss);
      channel.on('close', onLoss);
      model.on('blocked', (reason: string) =>
        this.logger.warn({ provider: 'rabbitmq', reason }, 'RabbitMQ blocked publishing (resource alarm)'),
      );
      this.everConnected = true;
      this.link = link;
      if (this.closed) {
        await this.close();
        throw new PusherClosedError(scope);
      }
      return link;
    } catch (error) {
      await model.close().catch(() => {});
      throw error;
    }
  }

  private async runDeclarations(model: ChannelModel, declarations: Declaration[]): Promise<void> {
    for (const { name, declare } of declarations) {
      // A failed declaration closes its channel: give each its own so the others are not affected.
      const channel = await model.createChannel();
      channel.on('error', () => {});
      try {
        await declare(channel);
      } catch (error) {
        throw mapTopologyError(error, name);
      } finally {
        await channel.close().catch(() => {});
      }
    }
  }
}

import { BrokerRejectedError, BrokerUnavailableError, type SendSignal } from '@ev/core';
import type { Options } from 'amqplib';
import type { Connector, Link } from './connector.js';
import { scope } from './map-error.js';

export interface Publication {
  exchange: string;
  routingKey: string;
  content: Buffer;
  /** Must carry `messageId`: basic.return is matched to its publication by it. */
  properties: Options.Publish & { messageId: string };
  /** The caller stopped waiting: skip it if it has not been written yet. */
  signal: SendSignal;
}

interface Queued extends Publication {
  resolve: () => void;
  reject: (error: unknown) => void;
}

interface LinkState {
  /** Message ids RabbitMQ returned as unroutable; their ack follows the return. */
  returned: Set<string>;
}

/**
 * Writes publications to the confirm channel in call order, many confirms outstanding at once, and
 * settles each with its own confirm. When the socket buffer is full (`publish` returns false) it waits
 * for `drain`, so memory stays bounded by the pusher's in-flight cap.
 */
export class ConfirmPublisher {
  private readonly queue: Queued[] = [];
  private readonly states = new WeakMap<Link, LinkState>();
  private pumping = false;

  constructor(private readonly connector: Connector) {}

  publish(publication: Publication): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ ...publication, resolve, reject });
      void this.pump();
    });
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (this.queue.length > 0) {
        let link: Link;
        try {
          link = await this.connector.ready();
        } catch (error) {
          // Closed, or the broker was never reachable: nothing queued can be sent.
          for (const entry of this.queue.splice(0)) entry.reject(error);
          return;
        }
        const state = this.stateOf(link);
        const entry = this.queue.shift()!;
        if (entry.signal.aborted) {
          entry.reject(entry.signal.reason);
          continue;
        }
        const options = { ...entry.properties, mandatory: true, persistent: true };
        const written = link.channel.publish(
          entry.exchange,
          entry.routingKey,
          entry.content,
          options,
          (error) => this.settle(entry, link, state, error),
        );
        if (!written) await waitForDrain(link);
      }
    } finally {
      this.pumping = false;
    }
  }

  private settle(entry: Queued, link: Link, state: LinkState, error: unknown): void {
    const returned = state.returned.delete(entry.properties.messageId);
    if (!error && !returned) entry.resolve();
    else entry.reject(failureOf(entry, link, returned, error));
  }

  private stateOf(link: Link): LinkState {
    let state = this.states.get(link);
    if (!state) {
      const created: LinkState = { returned: new Set() };
      link.channel.on('return', (message) => {
        const id = message.properties.messageId;
        if (typeof id === 'string') created.returned.add(id);
      });
      this.states.set(link, created);
      state = created;
    }
    return state;
  }
}

function waitForDrain(link: Link): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      link.channel.off('drain', done);
      link.channel.off('close', done);
      resolve();
    };
    link.channel.once('drain', done);
    link.channel.once('close', done);
  });
}

function failureOf(entry: Queued, link: Link, returned: boolean, error: unknown): Error {
  if (returned) {
    return new BrokerRejectedError(
      `message was unroutable: exchange "${entry.exchange}" has no queue for it (is the topic's topology deleted?)`,
      scope,
    );
  }
  if (link.closed) {
    return new BrokerUnavailableError(
      'connection to RabbitMQ was lost before it confirmed the message; it may or may not be stored',
      { ...scope, cause: error },
    );
  }
  return new BrokerRejectedError('RabbitMQ refused the message (nack)', { ...scope, cause: error });
}

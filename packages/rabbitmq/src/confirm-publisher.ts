import { BrokerRejectedError, BrokerUnavailableError } from '@ev/core';
import { type DriverReceipt, FifoQueue, type SendSignal } from '@ev/core/adapter';
import type { Options } from 'amqplib';
import type { Connector, Link } from './connector.js';
import { scope } from './map-error.js';

export interface Publication {
  exchange: string;
  routingKey: string;
  content: Buffer;
  /** Must carry `messageId` (basic.return is matched to its publication by it), mandatory and persistent. */
  properties: Options.Publish & { messageId: string; mandatory: true; persistent: true };
  /** The caller stopped waiting: skip it if it has not been written yet. */
  signal: SendSignal;
}

interface Queued {
  publication: Publication;
  resolve: (receipt: DriverReceipt) => void;
  reject: (error: unknown) => void;
}

/** RabbitMQ's confirm tells neither a queue nor an offset. */
const NO_RECEIPT: DriverReceipt = Object.freeze({});

/**
 * Writes publications to the confirm channel in call order, many confirms outstanding at once, and
 * settles each with its own confirm. When the socket buffer is full (`publish` returns false) it waits
 * for `drain`, so memory stays bounded by the pusher's in-flight cap.
 */
export class ConfirmPublisher {
  private readonly queue = new FifoQueue<Queued>();
  private pumping = false;

  constructor(private readonly connector: Connector) {}

  publish(publication: Publication): Promise<DriverReceipt> {
    return new Promise((resolve, reject) => {
      this.queue.push({ publication, resolve, reject });
      if (!this.pumping) void this.pump();
    });
  }

  private async pump(): Promise<void> {
    this.pumping = true;
    try {
      while (this.queue.length > 0) {
        // Awaited only when there is no live link: an await per message would cost more than the publish.
        let link = this.connector.live();
        if (!link) {
          try {
            link = await this.connector.ready();
          } catch (error) {
            // Closed, or the broker was never reachable: nothing queued can be sent.
            for (let entry = this.queue.shift(); entry; entry = this.queue.shift()) entry.reject(error);
            return;
          }
        }
        const stop = this.writeQueued(link);
        if (stop === 'full') await waitForDrain(link);
        // The channel refused a write: let its close events run, then the loop finds the link gone.
        else if (stop === 'refused') await new Promise((resolve) => setImmediate(resolve));
      }
    } finally {
      this.pumping = false;
    }
  }

  /** Writes queued publications until the queue is empty, the socket buffer is full, or the channel refuses. */
  private writeQueued(link: Link): 'empty' | 'full' | 'refused' {
    let stop: 'empty' | 'full' | 'refused' = 'empty';
    while (this.queue.length > 0 && stop === 'empty') {
      const entry = this.queue.shift()!;
      const { exchange, routingKey, content, properties, signal } = entry.publication;
      if (signal.aborted) {
        entry.reject(signal.reason);
        continue;
      }
      try {
        const written = link.channel.publish(exchange, routingKey, content, properties, (error) =>
          this.settle(entry, link, error),
        );
        if (!written) stop = 'full';
      } catch (error) {
        // amqplib throws when the channel closed under us; the message was not written.
        entry.reject(
          new BrokerUnavailableError('the channel to RabbitMQ closed before the message was written', {
            ...scope,
            cause: error,
          }),
        );
        stop = 'refused';
      }
    }
    return stop;
  }

  private settle(entry: Queued, link: Link, error: unknown): void {
    const returned = link.returned.size > 0 && link.returned.delete(entry.publication.properties.messageId);
    if (!error && !returned) entry.resolve(NO_RECEIPT);
    else entry.reject(failureOf(entry, link, returned, error));
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
      `message was unroutable: exchange "${entry.publication.exchange}" has no queue for it (is the topic's topology deleted?)`,
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

import {
  createPusher,
  type OutgoingMessage,
  type Pusher,
  type PusherDriver,
  type PusherOptions,
  payloadBuffer,
} from '@ev/core';
import type { Producer } from 'rocketmq-client-nodejs';
import type { KeySequencer } from './key-sequencer.js';
import { rocketmqLimits } from './limits.js';
import { mapRocketMQError, scope } from './map-error.js';
import { delayTopicOf } from './typed-topics.js';

export interface RocketMQPusherSettings extends PusherOptions {
  topic: string;
  partitions: number;
  maxPayloadBytes: number;
  maxDelayMs: number;
  delayPrecisionMs: number;
  producer: Producer;
  sequencer: KeySequencer;
  endpoint: string;
  release: () => Promise<void>;
}

export function createRocketMQPusherOn(settings: RocketMQPusherSettings): Pusher {
  const { topic, producer, sequencer, endpoint } = settings;

  const sendNow = async (message: OutgoingMessage) => {
    const body = payloadBuffer(message.payload);
    const properties = new Map(Object.entries(message.headers));
    try {
      const receipt =
        message.deliverAt === undefined
          ? await producer.send({
              topic,
              body,
              // FIFO topic: the key keeps one queue and its order; unkeyed messages spread by their id.
              messageGroup: message.key ?? message.messageId,
              keys: message.key === undefined ? [message.messageId] : [message.key, message.messageId],
              properties,
            })
          : await producer.send({
              topic: delayTopicOf(topic),
              body,
              keys: message.key === undefined ? [message.messageId] : [message.key, message.messageId],
              properties,
              deliveryTimestamp: new Date(roundUp(message.deliverAt, settings.delayPrecisionMs)),
            });
      // The client reports the queue it asked for, not the one the proxy chose: report only the id.
      return { offset: receipt.messageId };
    } catch (error) {
      throw mapRocketMQError(error, 'send', endpoint);
    }
  };

  const driver: PusherDriver = {
    provider: scope.provider,
    topic,
    capabilities: {
      keyOrdering: true,
      partitions: settings.partitions,
      delay: {
        supported: true,
        maxDelayMs: settings.maxDelayMs,
        precisionMs: settings.delayPrecisionMs,
        durable: true,
        needsRelay: false,
      },
    },
    limits: rocketmqLimits(settings.maxPayloadBytes),
    publish(message) {
      if (message.key === undefined || message.deliverAt !== undefined) return sendNow(message);
      return sequencer.run(`${topic}\u0000${message.key}`, () => sendNow(message));
    },
    close: settings.release,
  };
  return createPusher(driver, settings);
}

/** Timer wheels fire at slot boundaries: rounding up keeps every delay a lower bound. */
function roundUp(time: number, precisionMs: number): number {
  return Math.ceil(time / precisionMs) * precisionMs;
}

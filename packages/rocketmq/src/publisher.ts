import { type OutgoingMessage, type Publish, payloadBuffer } from '@ev/core/adapter';
import type { Producer } from 'rocketmq-client-nodejs';
import type { KeySequencer } from './key-sequencer.js';
import { mapRocketMQError } from './map-error.js';
import { delayTopicOf } from './topics.js';

export interface RocketMQPublisherParts {
  producer: Producer;
  /** Keeps one key's sends one after another: the proxy may reorder concurrent sends of a group. */
  sequencer: KeySequencer;
  delayPrecisionMs: number;
  endpoint: string;
}

/** Sends a topic's messages: immediate ones to its FIFO topic, delayed ones to its DELAY topic. */
export function rocketmqPublisher(topic: string, parts: RocketMQPublisherParts): Publish {
  const { producer, sequencer, endpoint } = parts;

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
              deliveryTimestamp: new Date(roundUp(message.deliverAt, parts.delayPrecisionMs)),
            });
      // The client reports the queue it asked for, not the one the proxy chose: report only the id.
      return { offset: receipt.messageId };
    } catch (error) {
      throw mapRocketMQError(error, 'send', endpoint);
    }
  };

  return (message) => {
    if (message.key === undefined || message.deliverAt !== undefined) return sendNow(message);
    return sequencer.run(topic, message.key, () => sendNow(message));
  };
}

/** Timer wheels fire at slot boundaries: rounding up keeps every delay a lower bound. */
function roundUp(time: number, precisionMs: number): number {
  return Math.ceil(time / precisionMs) * precisionMs;
}

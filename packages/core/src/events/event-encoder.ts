import { InvalidArgumentError, SerializationError } from '../errors.js';
import { HEADER_CONTENT_TYPE, HEADER_EVENT_TYPE, PROTOBUF_CONTENT_TYPE } from '../headers.js';
import { type Int64, int64ToBits, toInt64 } from '../int64.js';
import type { Logger } from '../logger.js';
import { newMessageId } from '../message-id.js';
import type { SendOptions } from '../pusher.js';
import { describeValue } from '../validation.js';
import type { EventTypeName } from './wire.js';

/** Options of one event send. The message id is the event's own and goes in its body. */
export type EventSendOptions = Omit<SendOptions, 'messageId'> & { messageId?: string };

export interface EncodedEvent {
  body: Uint8Array;
  options: SendOptions;
}

/**
 * Builds an event: a fresh message id, the fields checked and encoded, the headers a consumer needs.
 * A failure is logged with the entity id (so a failed serialization never passes silently) and thrown
 * as a SerializationError.
 */
export function encodeEvent(
  logger: Logger,
  type: EventTypeName,
  entityId: unknown,
  options: EventSendOptions | undefined,
  build: (messageId: string) => Uint8Array,
): EncodedEvent {
  const messageId = options?.messageId ?? newMessageId();
  try {
    const body = build(messageId);
    return {
      body,
      options: {
        ...options,
        messageId,
        headers: {
          ...options?.headers,
          [HEADER_EVENT_TYPE]: type,
          [HEADER_CONTENT_TYPE]: PROTOBUF_CONTENT_TYPE,
        },
      },
    };
  } catch (error) {
    const reason = error instanceof Error ? error.message.replace(/^\[ev\] /, '') : String(error);
    const failure = new SerializationError(type, printableId(entityId), reason, { cause: error });
    logger.error({ eventType: type, entityId: failure.entityId, messageId, err: failure }, failure.message);
    throw failure;
  }
}

export function int64Field(value: Int64, field: string) {
  return int64ToBits(toInt64(value, field));
}

export function stringField(value: unknown, field: string): string {
  if (typeof value !== 'string')
    throw new InvalidArgumentError(`${field} must be a string, got ${describeValue(value)}`);
  return value;
}

export function int32Field(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < -(2 ** 31) || value >= 2 ** 31) {
    throw new InvalidArgumentError(`${field} must be an int32, got ${String(value)}`);
  }
  return value;
}

function printableId(id: unknown): string {
  return typeof id === 'bigint' || typeof id === 'number' || typeof id === 'string'
    ? String(id)
    : describeValue(id);
}

import { ev } from '../gen/events.js';
import { type Int64Bits, int64FromWire } from '../int64.js';

const v1 = ev.mq.v1;

/** The protobuf types of the wire contract (`proto/ev/mq/v1/events.proto`), by their full names. */
export const EventTypes = {
  UserSyncReq: 'ev.mq.v1.UserSyncReq',
  UserArchiveReq: 'ev.mq.v1.UserArchiveReq',
  OrderSyncReq: 'ev.mq.v1.OrderSyncReq',
  OrderNotifyReq: 'ev.mq.v1.OrderNotifyReq',
} as const;

export type EventTypeName = (typeof EventTypes)[keyof typeof EventTypes];

/** Decoded events, with int64 ids as bigint. */
export type DecodedEvent =
  | { type: 'ev.mq.v1.UserSyncReq'; messageId: string; userId: bigint; action: string }
  | { type: 'ev.mq.v1.UserArchiveReq'; messageId: string; userId: bigint; data: string }
  | { type: 'ev.mq.v1.OrderSyncReq'; messageId: string; orderId: bigint; status: number }
  | { type: 'ev.mq.v1.OrderNotifyReq'; messageId: string; orderId: bigint; userId: bigint; message: string };

type Wire = number | Int64Bits;

/** Encoders keyed by type. The caller has validated every field; ids arrive as int64 bits. */
export const encoders = {
  [EventTypes.UserSyncReq]: (m: { messageId: string; userId: Int64Bits; action: string }) =>
    v1.UserSyncReq.encode(m).finish(),
  [EventTypes.UserArchiveReq]: (m: { messageId: string; userId: Int64Bits; data: string }) =>
    v1.UserArchiveReq.encode(m).finish(),
  [EventTypes.OrderSyncReq]: (m: { messageId: string; orderId: Int64Bits; status: number }) =>
    v1.OrderSyncReq.encode(m).finish(),
  [EventTypes.OrderNotifyReq]: (m: {
    messageId: string;
    orderId: Int64Bits;
    userId: Int64Bits;
    message: string;
  }) => v1.OrderNotifyReq.encode(m).finish(),
};

/**
 * Decodes an event body by its type name (the `ev-type` header). For consumers written in TypeScript;
 * any other language decodes the same bytes with the .proto files.
 */
export function decodeEvent(type: EventTypeName, body: Uint8Array): DecodedEvent {
  switch (type) {
    case EventTypes.UserSyncReq: {
      const m = v1.UserSyncReq.decode(body);
      return { type, messageId: m.messageId, userId: int64FromWire(m.userId as Wire), action: m.action };
    }
    case EventTypes.UserArchiveReq: {
      const m = v1.UserArchiveReq.decode(body);
      return { type, messageId: m.messageId, userId: int64FromWire(m.userId as Wire), data: m.data };
    }
    case EventTypes.OrderSyncReq: {
      const m = v1.OrderSyncReq.decode(body);
      return { type, messageId: m.messageId, orderId: int64FromWire(m.orderId as Wire), status: m.status };
    }
    case EventTypes.OrderNotifyReq: {
      const m = v1.OrderNotifyReq.decode(body);
      return {
        type,
        messageId: m.messageId,
        orderId: int64FromWire(m.orderId as Wire),
        userId: int64FromWire(m.userId as Wire),
        message: m.message,
      };
    }
    default:
      throw new TypeError(`[ev] unknown event type "${String(type)}"`);
  }
}

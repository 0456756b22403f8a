/** A message as the outbox pusher writes it, inside the caller's transaction. */
export interface NewOutboxRow {
  readonly lane: number;
  readonly topic: string;
  /** The key of `sendWithKey`; rows of one topic and key are forwarded in commit order. */
  readonly key: string | undefined;
  readonly messageId: string;
  /** Every header, `ev-message-id` included, as JSON. */
  readonly headersJson: string;
  readonly payload: Uint8Array;
  /** 0 for a message due now. */
  readonly delayMs: number;
}

/** A committed row the relay forwards. */
export interface OutboxRow {
  /** The row's id: a 64-bit integer, as digits. */
  readonly id: string;
  readonly lane: number;
  readonly topic: string;
  readonly key: string | undefined;
  readonly messageId: string;
  readonly headers: Record<string, string>;
  readonly payload: Uint8Array;
  /** Earlier attempts that the broker did not confirm. */
  readonly attempts: number;
}

/** A row the broker refused for good, and why: it is kept, marked parked, and no longer forwarded. */
export interface ParkedRow {
  readonly id: string;
  readonly error: string;
}

/** A row as a driver returned it (pg, PGlite and mysql2 agree on these column values). */
export function outboxRowFrom(row: Record<string, unknown>): OutboxRow {
  return {
    id: String(row.id),
    lane: Number(row.lane),
    topic: String(row.topic),
    key: row.order_key === null || row.order_key === undefined ? undefined : String(row.order_key),
    messageId: String(row.message_id),
    headers: JSON.parse(String(row.headers)) as Record<string, string>,
    payload: row.payload as Uint8Array,
    attempts: Number(row.attempts),
  };
}

import { HEADER_MESSAGE_ID, isEvError, type SendReceipt } from '@ev/core';
import type { OutboxRow, ParkedRow } from '../rows.js';
import type { TopicPushers } from './topic-pushers.js';

/** What became of one batch. */
export interface ForwardOutcome {
  /** Rows the broker confirmed: delete them. */
  readonly confirmed: string[];
  /** Rows the broker refused for good: park them. */
  readonly parked: ParkedRow[];
  /** Rows to try again later (broker unreachable, timeout), and the first such error. */
  readonly retry: string[];
  readonly retryError: unknown;
}

/**
 * Sends a batch through the broker's pushers at once, in id order: each pusher keeps one key's sends in
 * call order, so rows of a key reach the broker in the order they were committed.
 */
export async function forwardRows(
  rows: readonly OutboxRow[],
  pushers: TopicPushers,
): Promise<ForwardOutcome> {
  const results = await Promise.allSettled(rows.map((row) => forwardRow(row, pushers)));
  const confirmed: string[] = [];
  const parked: ParkedRow[] = [];
  const retry: string[] = [];
  let retryError: unknown;
  results.forEach((result, index) => {
    const id = (rows[index] as OutboxRow).id;
    if (result.status === 'fulfilled') confirmed.push(id);
    else if (refusedForGood(result.reason)) parked.push({ id, error: errorText(result.reason) });
    else {
      if (retry.length === 0) retryError = result.reason;
      retry.push(id);
    }
  });
  return { confirmed, parked, retry, retryError };
}

async function forwardRow(row: OutboxRow, pushers: TopicPushers): Promise<SendReceipt> {
  const pusher = await pushers.get(row.topic);
  const { [HEADER_MESSAGE_ID]: _id, ...headers } = row.headers;
  const options = { messageId: row.messageId, headers };
  return row.key === undefined
    ? pusher.send(row.payload, options)
    : pusher.sendWithKey(row.key, row.payload, options);
}

/** The broker said no, or the row can never be sent as it is: retrying would not help. */
function refusedForGood(error: unknown): boolean {
  return isEvError(error) && !error.retryable && error.code !== 'CLOSED' && error.code !== 'ABORTED';
}

/** An error's message, for logs and the `last_error` column. */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

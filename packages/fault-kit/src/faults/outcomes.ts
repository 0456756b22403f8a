import { isEvError } from '@ev/core';
import type { ProbeSubscription } from '@ev/testing';
import type { FaultFigures } from './types.js';

/** What each send ended as: the receipt's message id, or the error its caller got. */
export class SendOutcomes {
  readonly acknowledged = new Set<string>();
  readonly failures = new Map<string, number>();
  /** Rejections that were not an EvError: each one is a defect. */
  readonly untyped: unknown[] = [];
  private pending = new Set<Promise<void>>();

  track(send: Promise<{ messageId: string }>): void {
    const settled = send.then(
      (receipt) => {
        this.acknowledged.add(receipt.messageId);
      },
      (error: unknown) => {
        if (isEvError(error)) this.failures.set(error.code, (this.failures.get(error.code) ?? 0) + 1);
        else this.untyped.push(error);
      },
    );
    this.pending.add(settled);
    settled.finally(() => this.pending.delete(settled));
  }

  get failed(): number {
    let total = 0;
    for (const count of this.failures.values()) total += count;
    return total;
  }

  async settled(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }
}

/**
 * Waits until every acknowledged message id was read from the broker (or the deadline passes), then
 * counts what is missing and what arrived more than once.
 */
export async function reconcile(
  probe: ProbeSubscription,
  acknowledged: ReadonlySet<string>,
  timeoutMs: number,
): Promise<{ lost: string[]; duplicates: number; stored: number; storedButFailed: number }> {
  const deadline = Date.now() + timeoutMs;
  let seen = new Map<string, number>();
  for (;;) {
    seen = new Map();
    for (const message of probe.messages) {
      const id = message.headers['ev-message-id'] ?? '';
      seen.set(id, (seen.get(id) ?? 0) + 1);
    }
    const missing = [...acknowledged].filter((id) => !seen.has(id));
    if (missing.length === 0 || Date.now() > deadline) {
      let duplicates = 0;
      for (const count of seen.values()) duplicates += count - 1;
      const storedButFailed = [...seen.keys()].filter((id) => !acknowledged.has(id)).length;
      return { lost: missing, duplicates, stored: seen.size, storedButFailed };
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** One line per run, prefixed so it can be found in a CI log. */
export function report(harness: string, fault: string, figures: FaultFigures): void {
  console.log(`[reliability] ${harness} ${fault} ${JSON.stringify(figures)}`);
}

import type { ProbeSubscription, ReceivedMessage } from './types.js';

/**
 * The bookkeeping of a probe subscription: adapters feed it what their broker-side consumer receives
 * and get `waitFor` for free.
 */
export class ProbeCollector implements ProbeSubscription {
  readonly messages: ReceivedMessage[] = [];
  private readonly waiters = new Set<{ count: number; resolve: () => void }>();

  constructor(private readonly onClose: () => Promise<void> = async () => {}) {}

  push(message: ReceivedMessage): void {
    this.messages.push(message);
    for (const waiter of this.waiters) {
      if (this.messages.length >= waiter.count) {
        this.waiters.delete(waiter);
        waiter.resolve();
      }
    }
  }

  async waitFor(count: number, timeoutMs: number): Promise<readonly ReceivedMessage[]> {
    if (this.messages.length < count) {
      await new Promise<void>((resolve, reject) => {
        const waiter = {
          count,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        };
        const timer = setTimeout(() => {
          this.waiters.delete(waiter);
          reject(
            new Error(`probe: ${this.messages.length} of ${count} messages arrived within ${timeoutMs} ms`),
          );
        }, timeoutMs);
        this.waiters.add(waiter);
      });
    }
    return [...this.messages];
  }

  close(): Promise<void> {
    return this.onClose();
  }
}

/**
 * What a driver is told about a send it is publishing: whether the caller stopped waiting (timeout or
 * abort) and why. An AbortSignal fits this shape; `@ev` uses a lighter object than an AbortController
 * per send, which costs more than the rest of a send under load.
 */
export interface SendSignal {
  readonly aborted: boolean;
  readonly reason: unknown;
}

/** The per-send handle behind a SendSignal: abort once, notify the few listeners. */
export class SendControl implements SendSignal {
  aborted = false;
  reason: unknown = undefined;
  private listeners: Array<(reason: unknown) => void> | undefined;

  abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    const listeners = this.listeners;
    this.listeners = undefined;
    for (const listener of listeners ?? []) listener(reason);
  }

  /** Calls `listener` on abort; returns a function that removes it. */
  onAbort(listener: (reason: unknown) => void): () => void {
    this.listeners ??= [];
    this.listeners.push(listener);
    return () => {
      const index = this.listeners?.indexOf(listener) ?? -1;
      if (index >= 0) this.listeners!.splice(index, 1);
    };
  }
}

/**
 * A first-come-first-served cap on sends waiting for the broker. Waiters are served in call order, so
 * capping never reorders the sends of one key.
 */
export class SendSlots {
  private free: number;
  private readonly waiters: Array<() => void> = [];

  constructor(capacity: number) {
    this.free = capacity;
  }

  get waiting(): number {
    return this.waiters.length;
  }

  /** Resolves with a release function once a slot is free; `signal` withdraws from the queue. */
  acquire(signal: AbortSignal): Promise<() => void> {
    if (this.free > 0 && this.waiters.length === 0) {
      this.free -= 1;
      return Promise.resolve(this.releaser());
    }
    return new Promise((resolve, reject) => {
      const grant = (): void => {
        signal.removeEventListener('abort', withdraw);
        resolve(this.releaser());
      };
      const withdraw = (): void => {
        const index = this.waiters.indexOf(grant);
        if (index >= 0) this.waiters.splice(index, 1);
        reject(signal.reason);
      };
      if (signal.aborted) return reject(signal.reason);
      signal.addEventListener('abort', withdraw, { once: true });
      this.waiters.push(grant);
    });
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiters.shift();
      if (next) next();
      else this.free += 1;
    };
  }
}

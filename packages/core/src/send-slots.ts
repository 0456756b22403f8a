import type { SendControl } from './send-signal.js';

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

  /** A release function at once when a slot is free, else undefined: the caller then waits(). */
  tryAcquire(): (() => void) | undefined {
    if (this.free > 0 && this.waiters.length === 0) {
      this.free -= 1;
      return this.releaser();
    }
    return undefined;
  }

  /** Resolves with a release function once a slot is free; an abort of `control` withdraws from the queue. */
  wait(control: SendControl): Promise<() => void> {
    return new Promise((resolve, reject) => {
      if (control.aborted) return reject(control.reason);
      const grant = (): void => {
        unsubscribe();
        resolve(this.releaser());
      };
      const unsubscribe = control.onAbort((reason) => {
        const index = this.waiters.indexOf(grant);
        if (index >= 0) this.waiters.splice(index, 1);
        reject(reason);
      });
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

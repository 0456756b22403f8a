import type { SendControl } from './send-signal.js';

interface Waiter {
  grant: () => void;
  withdrawn: boolean;
}

/**
 * A first-come-first-served cap on sends waiting for the broker. Waiters are served in call order, so
 * capping never reorders the sends of one key. A waiter that gives up (timeout, abort) is only marked:
 * with a stalled broker, tens of thousands may give up at once, and removing each from the middle of
 * the queue would cost time proportional to the queue.
 */
export class SendSlots {
  private free: number;
  private readonly queue: Waiter[] = [];
  private head = 0;
  private withdrawn = 0;

  constructor(capacity: number) {
    this.free = capacity;
  }

  /** Callers waiting for a slot. */
  get waiting(): number {
    return this.queue.length - this.head - this.withdrawn;
  }

  /** A release function at once when a slot is free, else undefined: the caller then waits(). */
  tryAcquire(): (() => void) | undefined {
    if (this.free > 0 && this.waiting === 0) {
      this.free -= 1;
      return this.releaser();
    }
    return undefined;
  }

  /** Resolves with a release function once a slot is free; an abort of `control` withdraws from the queue. */
  wait(control: SendControl): Promise<() => void> {
    return new Promise((resolve, reject) => {
      if (control.aborted) return reject(control.reason);
      const waiter: Waiter = {
        grant: () => {
          unsubscribe();
          resolve(this.releaser());
        },
        withdrawn: false,
      };
      const unsubscribe = control.onAbort((reason) => {
        waiter.withdrawn = true;
        this.withdrawn += 1;
        reject(reason);
      });
      this.queue.push(waiter);
    });
  }

  private next(): Waiter | undefined {
    while (this.head < this.queue.length) {
      const waiter = this.queue[this.head]!;
      this.head += 1;
      if (!waiter.withdrawn) {
        this.compact();
        return waiter;
      }
      this.withdrawn -= 1;
    }
    this.compact();
    return undefined;
  }

  /** Drops served entries once they are most of the array, so memory follows the live queue. */
  private compact(): void {
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.next();
      if (next) next.grant();
      else this.free += 1;
    };
  }
}

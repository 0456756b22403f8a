import { FifoQueue } from './fifo-queue.js';

/** A send waiting for a slot. */
export interface SlotWaiter {
  /** True once the waiter gave up (timeout, abort): it is skipped when its turn comes. */
  readonly done: boolean;
  /** Its turn came: it now holds a slot, given back with `SendSlots.release()` when the broker answers. */
  grant(): void;
}

/**
 * A first-come-first-served cap on sends waiting for the broker. Waiters are served in call order, so
 * capping never reorders the sends of one key. A waiter that gives up is only counted out (`withdraw`):
 * with a stalled broker, tens of thousands may give up at once, and removing each from the middle of
 * the queue would cost time proportional to the queue.
 */
export class SendSlots {
  private free: number;
  private readonly queue = new FifoQueue<SlotWaiter>();
  private withdrawn = 0;

  constructor(capacity: number) {
    this.free = capacity;
  }

  /** Callers waiting for a slot. */
  get waiting(): number {
    return this.queue.length - this.withdrawn;
  }

  /** Takes a slot when one is free and nobody waits for it; otherwise the caller must `enqueue`. */
  tryAcquire(): boolean {
    if (this.free > 0 && this.waiting === 0) {
      this.free -= 1;
      return true;
    }
    return false;
  }

  enqueue(waiter: SlotWaiter): void {
    this.queue.push(waiter);
  }

  /** A queued waiter gave up; it stays in the queue until its turn and is skipped then. */
  withdraw(): void {
    this.withdrawn += 1;
  }

  /** Gives a slot back: to the next waiter still waiting, else to the free pool. */
  release(): void {
    const next = this.next();
    if (next) next.grant();
    else this.free += 1;
  }

  private next(): SlotWaiter | undefined {
    for (let waiter = this.queue.shift(); waiter; waiter = this.queue.shift()) {
      if (!waiter.done) return waiter;
      this.withdrawn -= 1;
    }
    return undefined;
  }
}

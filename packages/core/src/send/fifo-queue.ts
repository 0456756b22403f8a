/** Served entries at the front are dropped in one splice once there are this many and they are most. */
const COMPACT_AFTER = 1024;

/**
 * A first-in-first-out queue on an array with a moving head: `push` and `shift` cost O(1) (an array's
 * own `shift` moves every entry), and served entries are dropped in bulk, so memory follows the live
 * queue. The send path's queues — callers waiting for a slot, pending deadlines, records waiting for a
 * request — are all this one.
 */
export class FifoQueue<T> {
  private entries: Array<T | undefined> = [];
  private head = 0;

  get length(): number {
    return this.entries.length - this.head;
  }

  push(entry: T): void {
    this.entries.push(entry);
  }

  /** The oldest entry, left in the queue. */
  peek(): T | undefined {
    return this.entries[this.head];
  }

  /** Takes the oldest entry out. */
  shift(): T | undefined {
    if (this.head === this.entries.length) return undefined;
    const entry = this.entries[this.head];
    this.entries[this.head] = undefined; // no longer kept alive by the queue
    this.head += 1;
    if (this.head === this.entries.length) {
      this.entries.length = 0;
      this.head = 0;
    } else if (this.head > COMPACT_AFTER && this.head * 2 > this.entries.length) {
      this.entries.splice(0, this.head);
      this.head = 0;
    }
    return entry;
  }
}

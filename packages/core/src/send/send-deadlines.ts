import { FifoQueue } from './fifo-queue.js';

/**
 * Timeouts for sends that share one duration (the pusher's default). Their deadlines come in call order,
 * so one timer, armed for the earliest, serves them all: a timer per send costs more than the rest of
 * a send under load. Sends settle mostly in call order too, so settled entries leave from the front.
 * When no send is left the timer stays armed but unreferenced (it no longer keeps the process alive):
 * one send at a time then does not pay a setTimeout and clearTimeout each.
 */
export class SendDeadlines {
  private readonly queue = new FifoQueue<Deadline>();
  private timer: NodeJS.Timeout | undefined;
  /** No send is waiting: the timer is unreferenced. */
  private idle = false;

  constructor(private readonly timeoutMs: number) {}

  /** Starts the clock for one send; call `settle()` on the result when the send is over. */
  start(target: Expiring): Deadline {
    const entry = new Deadline(performance.now() + this.timeoutMs, target, this);
    this.queue.push(entry);
    if (this.timer === undefined) this.arm(entry.at);
    else if (this.idle) this.timer.ref();
    this.idle = false;
    return entry;
  }

  /** Called by an entry when its send settled. */
  dropSettled(): void {
    while (this.queue.peek()?.settled) this.queue.shift();
    if (this.queue.length === 0) {
      // Armed for a deadline no later than any to come: when it fires, it re-arms for the earliest.
      this.timer?.unref();
      this.idle = true;
    }
  }

  /** Clears the timer; for a closed pusher, whose sends have all settled. */
  clear(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private arm(at: number): void {
    this.timer = setTimeout(() => this.fire(), Math.max(0, at - performance.now()));
  }

  private fire(): void {
    this.timer = undefined;
    const now = performance.now();
    for (
      let entry = this.queue.peek();
      entry && (entry.settled || entry.at <= now);
      entry = this.queue.peek()
    ) {
      this.queue.shift();
      if (!entry.settled) {
        entry.settled = true;
        entry.target.expire();
      }
    }
    this.dropSettled();
    const next = this.queue.peek();
    if (next) this.arm(next.at);
  }
}

/** What a deadline tells when it passes. */
export interface Expiring {
  expire(): void;
}

export class Deadline {
  settled = false;

  constructor(
    readonly at: number,
    readonly target: Expiring,
    private readonly owner: SendDeadlines,
  ) {}

  /** The send is over: its timeout no longer matters. */
  settle(): void {
    if (this.settled) return;
    this.settled = true;
    this.owner.dropSettled();
  }
}

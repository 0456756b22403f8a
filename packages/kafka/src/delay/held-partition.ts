import type { FetchedMessage } from '../client/port.js';

/** After a failed forward (the broker down longer than the producer's retries), try again this much later. */
const FORWARD_RETRY_MS = 1_000;

interface Entry {
  message: FetchedMessage;
  /** When the message is to be forwarded (Unix ms). */
  due: number;
  forwarded: boolean;
}

/**
 * The fetched messages of one delay-level partition that the relay has not forwarded yet. One timer
 * forwards each as it falls due, so the consumer keeps fetching while messages wait. Forwarding goes by
 * due time, not offset: a level's messages mostly arrive in due order, but the lowest level also takes
 * last hops that wait exactly until due, so a message due in 5 ms can sit behind one due in 30 ms. The
 * committed offset never passes a message that is not forwarded: a relay that dies re-reads from there
 * (at-least-once; consumers deduplicate by message id).
 */
export class HeldPartition {
  /** Every message not known to be forwarded, in offset order: what committing follows. */
  private entries: Entry[] = [];
  /**
   * The messages not handed to the producer yet, by due time, ties in arrival order. The relay holds a
   * few thousand per partition at most, so a sorted array stays cheap to insert into.
   */
  private toForward: Entry[] = [];
  private nextOffsetAfterLast: string | undefined;
  private committedOffset: string | undefined;
  private timer: NodeJS.Timeout | undefined;
  private dropped = false;
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(
    readonly topic: string,
    readonly partition: number,
    private readonly forward: (message: FetchedMessage) => Promise<unknown>,
    private readonly onForwardError: (error: unknown, message: FetchedMessage) => void,
  ) {}

  /** Messages fetched and not yet handed to the producer. */
  get waiting(): number {
    return this.toForward.length;
  }

  hold(message: FetchedMessage, due: number): void {
    const entry: Entry = { message, due, forwarded: false };
    this.entries.push(entry);
    const at = insertionPoint(this.toForward, due);
    this.toForward.splice(at, 0, entry);
    this.nextOffsetAfterLast = (BigInt(message.offset) + 1n).toString();
    // Due before everything held so far: the timer, armed for a later head, is set again.
    if (at === 0) {
      clearTimeout(this.timer);
      this.forwardDue();
    }
  }

  /**
   * The offset to commit — the first message not yet forwarded, or the one after the last held — when
   * it differs from the last one committed; undefined otherwise.
   */
  uncommittedOffset(): string | undefined {
    let first = 0;
    while (first < this.entries.length && this.entries[first]!.forwarded) first++;
    if (first > 0) this.entries = this.entries.slice(first);
    const offset = this.entries[0]?.message.offset ?? this.nextOffsetAfterLast;
    return offset === this.committedOffset ? undefined : offset;
  }

  markCommitted(offset: string): void {
    this.committedOffset = offset;
  }

  /** Stops forwarding (the partition went to another relay, or the relay stops); forwards under way end. */
  drop(): void {
    this.dropped = true;
    clearTimeout(this.timer);
    this.toForward = [];
  }

  /** Resolves once every forward handed to the producer has ended. */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.inFlight]);
  }

  private forwardDue(): void {
    this.timer = undefined;
    if (this.dropped) return;
    const now = Date.now();
    const due = this.toForward.splice(0, insertionPoint(this.toForward, now));
    for (const entry of due) this.send(entry);
    const head = this.toForward[0];
    if (head) this.timer = setTimeout(() => this.forwardDue(), head.due - now);
  }

  private send(entry: Entry): void {
    const attempt = this.forward(entry.message).then(
      () => {
        entry.forwarded = true;
      },
      (error: unknown) => {
        this.onForwardError(error, entry.message);
        const retry = setTimeout(() => {
          if (!this.dropped) this.send(entry);
        }, FORWARD_RETRY_MS);
        // A retry must not keep a stopping process alive; drop() ends it too.
        retry.unref();
      },
    );
    this.inFlight.add(attempt);
    void attempt.finally(() => this.inFlight.delete(attempt));
  }
}

/** Where an entry due at `due` goes in a due-ordered array: after every entry due at or before then. */
function insertionPoint(entries: Entry[], due: number): number {
  let low = 0;
  let high = entries.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (entries[middle]!.due <= due) low = middle + 1;
    else high = middle;
  }
  return low;
}

import type { KafkaMessage } from 'kafkajs';

/** After a failed forward (the broker down longer than the producer's retries), try again this much later. */
const FORWARD_RETRY_MS = 1_000;

interface Entry {
  message: KafkaMessage;
  /** When the message is to be forwarded (Unix ms). */
  due: number;
  forwarded: boolean;
}

export type Forward = (message: KafkaMessage) => Promise<unknown>;

/**
 * The fetched messages of one delay-level partition that the relay has not forwarded yet, in offset
 * order — which is due order, since every message of a level waits the same time. One timer forwards
 * the head when it falls due, so the consumer keeps fetching while messages wait, and a late arrival
 * never waits behind a fetch. The committed offset never passes a message that is not forwarded: a relay
 * that dies re-reads from there (at-least-once; consumers deduplicate by message id).
 */
export class HeldPartition {
  /** Every message not known to be forwarded, in offset order; `entries[nextToForward]` waits next. */
  private entries: Entry[] = [];
  private nextToForward = 0;
  private nextOffsetAfterLast: string | undefined;
  private committedOffset: string | undefined;
  private timer: NodeJS.Timeout | undefined;
  private dropped = false;
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(
    readonly topic: string,
    readonly partition: number,
    private readonly forward: Forward,
    private readonly onForwardError: (error: unknown, message: KafkaMessage) => void,
  ) {}

  /** Messages fetched and not yet handed to the producer. */
  get waiting(): number {
    return this.entries.length - this.nextToForward;
  }

  hold(message: KafkaMessage, due: number): void {
    this.entries.push({ message, due, forwarded: false });
    this.nextOffsetAfterLast = (BigInt(message.offset) + 1n).toString();
    if (this.waiting === 1) this.forwardDue();
  }

  /**
   * The offset to commit — the first message not yet forwarded, or the one after the last held — when
   * it differs from the last one committed; undefined otherwise.
   */
  uncommittedOffset(): string | undefined {
    let first = 0;
    while (first < this.entries.length && this.entries[first]!.forwarded) first++;
    if (first > 0) {
      this.entries = this.entries.slice(first);
      this.nextToForward -= first;
    }
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
  }

  /** Resolves once every forward handed to the producer has ended. */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.inFlight]);
  }

  private forwardDue(): void {
    this.timer = undefined;
    if (this.dropped) return;
    const now = Date.now();
    while (this.nextToForward < this.entries.length && this.entries[this.nextToForward]!.due <= now) {
      this.send(this.entries[this.nextToForward++]!);
    }
    const head = this.entries[this.nextToForward];
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

import { partitionForKey } from '@ev/core';

/** A message as it sits on the in-memory broker. */
export interface StoredMessage {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly key: string | undefined;
  readonly payload: Uint8Array;
  readonly headers: Readonly<Record<string, string>>;
  readonly messageId: string;
  /** When it became readable, in Unix milliseconds. */
  readonly timestamp: number;
}

export type MessageHandler = (message: StoredMessage) => void;

interface Topic {
  partitions: StoredMessage[][];
  handlers: Set<MessageHandler>;
}

interface ScheduledMessage {
  deliverAt: number;
  message: AppendInput;
  timer?: NodeJS.Timeout;
}

export interface AppendInput {
  topic: string;
  key?: string;
  payload: Uint8Array;
  headers: Readonly<Record<string, string>>;
  messageId: string;
}

/**
 * A broker in process memory: partitioned topics, real timers for delayed messages, and a read / subscribe
 * API. The embedded default for examples and tests. A keyed message goes to the partition Kafka's default
 * partitioner picks for its key (murmur2); a message without a key goes to a random partition, chosen per
 * message. Delayed messages are placed when they fall due. `restart()` behaves like a broker restart:
 * stored and scheduled messages stay, publishes wait meanwhile.
 */
export class MemoryBroker {
  private readonly topics = new Map<string, Topic>();
  private readonly scheduled = new Set<ScheduledMessage>();
  private down: Promise<void> | undefined;

  /** Creates the topic if it does not exist; an existing topic keeps its partition count. */
  createTopic(name: string, partitions = 1): void {
    if (!this.topics.has(name)) {
      this.topics.set(name, {
        partitions: Array.from({ length: partitions }, () => []),
        handlers: new Set(),
      });
    }
  }

  partitionCount(topic: string): number {
    return this.topic(topic).partitions.length;
  }

  /** Resolves when the broker is up, as a network client would wait for a reconnect. */
  whenUp(): Promise<void> {
    return this.down ?? Promise.resolve();
  }

  async append(input: AppendInput): Promise<StoredMessage> {
    await this.roundTrip();
    return this.store(input);
  }

  /** Stores a delayed message now; it becomes readable at `deliverAt`. */
  async schedule(input: AppendInput, deliverAt: number): Promise<void> {
    await this.roundTrip();
    this.topic(input.topic); // fail now, not when due
    const entry: ScheduledMessage = { deliverAt, message: input };
    this.scheduled.add(entry);
    this.arm(entry);
  }

  /** Every message of a topic, partition by partition (partition 0 first), each in offset order. */
  read(topic: string): StoredMessage[] {
    return this.topic(topic).partitions.flat();
  }

  /**
   * Calls `handler` for every message already on the topic (ordered by arrival time), then for each new one.
   * Returns unsubscribe.
   */
  subscribe(topic: string, handler: MessageHandler): () => void {
    const entry = this.topic(topic);
    for (const message of entry.partitions.flat().sort((a, b) => a.timestamp - b.timestamp)) handler(message);
    entry.handlers.add(handler);
    return () => entry.handlers.delete(handler);
  }

  /** Like a network hop: the caller's event loop turns before the answer, then waits if the broker is down. */
  private async roundTrip(): Promise<void> {
    await new Promise<void>((resolve) => setImmediate(resolve));
    await this.whenUp();
  }

  /** Goes down for `downtimeMs`, keeping every stored and scheduled message, then comes back. */
  async restart(downtimeMs = 200): Promise<void> {
    for (const entry of this.scheduled) clearTimeout(entry.timer);
    let up!: () => void;
    this.down = new Promise((resolve) => {
      up = resolve;
    });
    await new Promise((resolve) => setTimeout(resolve, downtimeMs));
    this.down = undefined;
    up();
    for (const entry of this.scheduled) this.arm(entry);
  }

  /** Stops every timer, so a test process can exit. Scheduled messages that were not due are dropped. */
  shutdown(): void {
    for (const entry of this.scheduled) clearTimeout(entry.timer);
    this.scheduled.clear();
  }

  private arm(entry: ScheduledMessage): void {
    entry.timer = setTimeout(
      () => {
        // Timers run on a monotonic clock and may fire a millisecond before the wall clock says the
        // message is due; never deliver early.
        if (Date.now() < entry.deliverAt) return this.arm(entry);
        this.scheduled.delete(entry);
        this.store(entry.message);
      },
      Math.max(0, entry.deliverAt - Date.now()),
    );
  }

  private store(input: AppendInput): StoredMessage {
    const topic = this.topic(input.topic);
    const partition =
      input.key === undefined
        ? Math.floor(Math.random() * topic.partitions.length)
        : partitionForKey(input.key, topic.partitions.length);
    const log = topic.partitions[partition]!;
    const message: StoredMessage = {
      topic: input.topic,
      partition,
      offset: log.length,
      key: input.key,
      payload: Uint8Array.from(input.payload),
      headers: { ...input.headers },
      messageId: input.messageId,
      timestamp: Date.now(),
    };
    log.push(message);
    for (const handler of topic.handlers) handler(message);
    return message;
  }

  private topic(name: string): Topic {
    const topic = this.topics.get(name);
    if (!topic) throw new Error(`[ev] [memory] topic "${name}" does not exist`);
    return topic;
  }
}

/** The broker `connect('memory:')` uses: one per process, shared by every memory connection. */
export const defaultMemoryBroker = new MemoryBroker();

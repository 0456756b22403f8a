import type { Logger } from '@ev/core';
import type {
  FetchedBatch,
  FetchedMessage,
  GroupConsumerPort,
  KafkaClient,
  RecordHeaders,
} from '../client/port.js';
import { ProduceLane } from '../produce-lane.js';
import type { TopicProvisioner } from '../topics.js';
import { HeldPartition } from './held-partition.js';
import {
  DELAY_HEADERS,
  DELAY_LEVEL_TOPICS,
  DELAY_TARGET_HEADER,
  DELAY_UNROUTABLE_TOPIC,
  DELIVER_AT_HEADER,
  HOP_DUE_HEADER,
  planHop,
} from './levels.js';

export interface DelayRelayOptions {
  /** Consumer group of every relay instance; instances share the level partitions. */
  groupId?: string;
  /** Partitions of each delay-level topic, when the relay creates them. */
  partitions: number;
  logger: Logger;
}

export const DEFAULT_RELAY_GROUP = 'ev-delay-relay';
/** Longest a fetch waits on idle partitions: a resumed partition joins the next fetch within this. */
const FETCH_WAIT_MS = 20;
const RELAY_SESSION_TIMEOUT_MS = 10_000;
const PARTITIONS_IN_PARALLEL = 16;
/**
 * Messages due within this are fetched and held in memory; a partition whose head is due later is paused
 * until then. It covers a resumed partition's way back into a fetch with room to spare.
 */
const HOLD_AHEAD_MS = 250;
/** Held messages per partition at most; a full partition pauses and tries again shortly. */
const MAX_HELD_PER_PARTITION = 5_000;
const FULL_PARTITION_RETRY_MS = 100;
const COMMIT_INTERVAL_MS = 500;
const CONSUMER_RESTART_DELAY_MS = 1_000;
/** Forwards are never given up: a relay that stops waits for them (see stop). */
const NEVER_ABORTED = new AbortController().signal;

/**
 * Moves delayed messages through the delay-level topics to their destination. A partition's messages
 * due soon are held in memory and forwarded by a timer as each falls due (see HeldPartition), while the
 * consumer goes on fetching; a partition whose head is due later is paused until shortly before. Offsets
 * are committed only up to the first message not yet forwarded — at-least-once: a relay killed
 * mid-forward re-forwards on restart, and consumers deduplicate by `ev-message-id`. Run it in-process
 * (the default of `connectBroker`) or as `ev-kafka-delay-relay`.
 */
export class DelayRelay {
  private consumer: GroupConsumerPort | undefined;
  private readonly forwarder: ProduceLane;
  private readonly timers = new Set<NodeJS.Timeout>();
  /** Held messages per `topic/partition` of the current group generation. */
  private held = new Map<string, HeldPartition>();
  private commitTimer: NodeJS.Timeout | undefined;
  private committing: Promise<void> | undefined;
  private running = false;

  constructor(
    private readonly client: KafkaClient,
    private readonly provisioner: TopicProvisioner,
    endpoint: string,
    private readonly options: DelayRelayOptions,
  ) {
    // Forwards leave partitioning to the client (by key): one producer, one request at a time, keeps order.
    this.forwarder = new ProduceLane(() => client.producer(), endpoint);
  }

  async start(): Promise<void> {
    if (this.running) return;
    await this.provisioner.ensureAll(
      [...DELAY_LEVEL_TOPICS, DELAY_UNROUTABLE_TOPIC],
      this.options.partitions,
    );
    await this.forwarder.connect();
    this.running = true;
    try {
      await this.startConsumer();
    } catch (error) {
      this.running = false;
      await this.forwarder.disconnect().catch(() => {});
      throw error;
    }
    this.commitTimer = setInterval(() => void this.commitForwarded(), COMMIT_INTERVAL_MS);
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    clearInterval(this.commitTimer);
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    const held = [...this.held.values()];
    for (const partition of held) partition.drop();
    await Promise.all(held.map((partition) => partition.settled()));
    await this.committing;
    await this.commitForwarded();
    await this.consumer?.disconnect().catch(() => {});
    await this.forwarder.disconnect().catch(() => {});
  }

  private async startConsumer(): Promise<void> {
    const consumer = this.client.groupConsumer({
      groupId: this.options.groupId ?? DEFAULT_RELAY_GROUP,
      topics: DELAY_LEVEL_TOPICS,
      fetchWaitMs: FETCH_WAIT_MS,
      // A relay that died holds its partitions until its session times out: keep that short.
      sessionTimeoutMs: RELAY_SESSION_TIMEOUT_MS,
      partitionsInParallel: PARTITIONS_IN_PARALLEL,
    });
    this.consumer = consumer;
    // Fetching runs ahead of forwarding, so the relay commits itself (commitForwarded).
    await consumer.run({
      onBatch: (batch) => this.holdBatch(batch),
      // A new generation starts from the committed offsets: what this relay held is fetched again (by
      // whichever relay now owns it), so holding it on would forward it twice.
      onGroupJoin: () => this.dropHeld(),
      // Without a consumer, every delayed message would wait: a new one takes over.
      onFailure: (error) => this.restartAfterCrash(consumer, error),
    });
  }

  /** Replaces a consumer that stopped with a new one, retrying until it runs or the relay stops. */
  private restartAfterCrash(crashed: GroupConsumerPort, error: unknown): void {
    if (!this.running || this.consumer !== crashed) return;
    this.options.logger.warn(
      { provider: 'kafka', error: (error as Error)?.message },
      'delay relay: consumer stopped after an error; starting a new one',
    );
    this.dropHeld();
    const timer = setTimeout(async () => {
      this.timers.delete(timer);
      if (!this.running || this.consumer !== crashed) return;
      await crashed.disconnect().catch(() => {});
      try {
        await this.startConsumer();
      } catch (startError) {
        if (this.consumer) this.restartAfterCrash(this.consumer, startError);
      }
    }, CONSUMER_RESTART_DELAY_MS);
    this.timers.add(timer);
  }

  private async holdBatch({
    topic,
    partition,
    messages,
    resolveOffset,
    pause,
    isCurrent,
  }: FetchedBatch): Promise<void> {
    const held = this.heldPartition(topic, partition);
    for (const message of messages) {
      if (!isCurrent()) return;
      const due = Number(headerOf(message.headers, HOP_DUE_HEADER) ?? 0);
      const full = held.waiting >= MAX_HELD_PER_PARTITION;
      const wait = due - Date.now();
      if (full || wait > HOLD_AHEAD_MS) {
        // Stop fetching this partition (from this message on) until shortly before its head is due.
        this.pauseFor(pause, full ? FULL_PARTITION_RETRY_MS : wait - HOLD_AHEAD_MS);
        return;
      }
      held.hold(message, due);
      // Fetching goes on past a held message; committing waits until it is forwarded.
      resolveOffset(message.offset);
    }
  }

  private pauseFor(pause: FetchedBatch['pause'], ms: number): void {
    const resume = pause();
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      try {
        resume();
      } catch {
        // the consumer was replaced meanwhile: the new one fetches this partition anyway
      }
    }, ms);
    this.timers.add(timer);
  }

  private heldPartition(topic: string, partition: number): HeldPartition {
    const name = `${topic}/${partition}`;
    let held = this.held.get(name);
    if (!held) {
      held = new HeldPartition(
        topic,
        partition,
        (message) => this.forward(message),
        (error, message) =>
          this.options.logger.warn(
            { provider: 'kafka', topic, partition, offset: message.offset, error: (error as Error)?.message },
            'delay relay: forward failed; trying again',
          ),
      );
      this.held.set(name, held);
    }
    return held;
  }

  private dropHeld(): void {
    for (const partition of this.held.values()) partition.drop();
    this.held = new Map();
  }

  /** Commits, per partition, the offset of its first message not yet forwarded. */
  private commitForwarded(): Promise<void> {
    if (this.committing) return this.committing;
    const commits: Array<{ held: HeldPartition; offset: string }> = [];
    for (const held of this.held.values()) {
      const offset = held.uncommittedOffset();
      if (offset !== undefined) commits.push({ held, offset });
    }
    if (commits.length === 0 || !this.consumer) return Promise.resolve();
    this.committing = this.consumer
      .commit(commits.map(({ held, offset }) => ({ topic: held.topic, partition: held.partition, offset })))
      .then(
        () => {
          for (const { held, offset } of commits) held.markCommitted(offset);
        },
        (error: unknown) =>
          // Not fatal: the next commit covers these offsets, and a restart re-forwards at most what
          // was forwarded since the last commit that went through.
          this.options.logger.debug(
            { provider: 'kafka', error: (error as Error)?.message },
            'delay relay: offset commit failed',
          ),
      )
      .finally(() => {
        this.committing = undefined;
      });
    return this.committing;
  }

  /**
   * Sends a message on: to its topic once due (kept in the unroutable topic if that topic is gone), else
   * to the delay level of its next hop.
   */
  private async forward(message: FetchedMessage): Promise<unknown> {
    const target = headerOf(message.headers, DELAY_TARGET_HEADER);
    const deliverAt = Number(headerOf(message.headers, DELIVER_AT_HEADER));
    if (!target || !Number.isFinite(deliverAt)) {
      this.options.logger.error(
        { provider: 'kafka', offset: message.offset },
        'delay relay: message without a target or due time, skipped',
      );
      return;
    }
    const headers = { ...message.headers };
    const now = Date.now();
    let topic = target;
    if (deliverAt > now) {
      const hop = planHop(deliverAt - now, now, deliverAt);
      topic = hop.topic;
      headers[HOP_DUE_HEADER] = String(hop.hopDue);
    } else if (await this.provisioner.exists(target)) {
      for (const name of DELAY_HEADERS) delete headers[name];
    } else {
      this.options.logger.error(
        { provider: 'kafka', target, offset: message.offset },
        `delay relay: topic gone, kept in ${DELAY_UNROUTABLE_TOPIC}`,
      );
      topic = DELAY_UNROUTABLE_TOPIC;
    }
    return this.forwarder.produce({
      topic,
      partition: undefined,
      key: message.key === null ? undefined : message.key.toString('utf8'),
      value: message.value ?? Buffer.alloc(0),
      headers,
      signal: NEVER_ABORTED,
    });
  }
}

function headerOf(headers: RecordHeaders | undefined, name: string): string | undefined {
  const value = headers?.[name];
  if (value === undefined) return undefined;
  return (Array.isArray(value) ? value[0] : value)?.toString();
}

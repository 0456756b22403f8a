import { type Logger, silentLogger } from '@ev/core';
import type { Consumer, EachBatchPayload, IHeaders, KafkaMessage } from 'kafkajs';
import type { KafkaClient } from '../client.js';
import { ProduceBatcher } from '../produce-batcher.js';
import type { TopicProvisioner } from '../topics.js';
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
  logger?: Logger;
}

export const DEFAULT_RELAY_GROUP = 'ev-delay-relay';
/** Longest a fetch waits on idle partitions: a resumed partition joins the next fetch within this. */
const FETCH_WAIT_MS = 20;
const RELAY_SESSION_TIMEOUT_MS = 10_000;
const PARTITIONS_IN_PARALLEL = 16;
/** A head due within this is awaited in process rather than re-fetched after a pause. */
const IN_PROCESS_WAIT_MS = 60;
const CONSUMER_RESTART_DELAY_MS = 1_000;

/**
 * Moves delayed messages through the delay-level topics to their destination. Per partition it holds
 * the head until its hop is due (pausing the partition, not the consumer), then forwards and only then
 * commits — at-least-once: a relay killed mid-forward re-forwards on restart, and consumers deduplicate
 * by `ev-message-id`. Run it in-process (the default of `connectBroker`) or as `ev-kafka-delay-relay`.
 */
export class DelayRelay {
  private consumer: Consumer | undefined;
  private readonly forwarder: ProduceBatcher;
  private readonly logger: Logger;
  private readonly timers = new Set<NodeJS.Timeout>();
  private running = false;

  constructor(
    private readonly client: KafkaClient,
    private readonly provisioner: TopicProvisioner,
    endpoint: string,
    private readonly options: DelayRelayOptions,
  ) {
    this.logger = options.logger ?? silentLogger;
    this.forwarder = new ProduceBatcher(
      () => client.producer({ idempotent: true, allowAutoTopicCreation: false }),
      endpoint,
      // Forwards leave partitioning to kafkajs (by key), so they all take one lane anyway.
      1,
    );
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
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await this.consumer?.disconnect().catch(() => {});
    await this.forwarder.disconnect().catch(() => {});
  }

  private async startConsumer(): Promise<void> {
    const consumer = this.client.consumer({
      groupId: this.options.groupId ?? DEFAULT_RELAY_GROUP,
      maxWaitTimeInMs: FETCH_WAIT_MS,
      // A relay that died holds its partitions until its session times out: keep that short.
      sessionTimeout: RELAY_SESSION_TIMEOUT_MS,
      heartbeatInterval: RELAY_SESSION_TIMEOUT_MS / 10,
    });
    this.consumer = consumer;
    // kafkajs restarts a consumer after retriable errors only; after any other (a broker refusing
    // connections for a while, say) the consumer stays down, and with it every delayed message.
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (!payload.restart) this.restartAfterCrash(consumer, payload.error);
    });
    await consumer.connect();
    await consumer.subscribe({ topics: [...DELAY_LEVEL_TOPICS], fromBeginning: true });
    await consumer.run({
      autoCommit: true,
      autoCommitInterval: 1_000,
      eachBatchAutoResolve: false,
      // Partitions are independent (each waits for its own head): forwarding one must not hold up the
      // others, or due messages queue behind each other's produce round trips.
      partitionsConsumedConcurrently: PARTITIONS_IN_PARALLEL,
      eachBatch: (payload) => this.relayBatch(payload),
    });
  }

  /** Replaces a consumer kafkajs gave up on with a new one, retrying until it runs or the relay stops. */
  private restartAfterCrash(crashed: Consumer, error: unknown): void {
    if (!this.running || this.consumer !== crashed) return;
    this.logger.warn(
      { provider: 'kafka', error: (error as Error)?.message },
      'delay relay: consumer stopped after an error; starting a new one',
    );
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

  private async relayBatch({
    batch,
    resolveOffset,
    pause,
    heartbeat,
    isRunning,
    isStale,
    commitOffsetsIfNecessary,
  }: EachBatchPayload): Promise<void> {
    const forwarded: Array<Promise<unknown>> = [];
    let lastOffset: string | undefined;
    for (const message of batch.messages) {
      if (!isRunning() || isStale()) break;
      const wait = Number(headerOf(message.headers, HOP_DUE_HEADER) ?? 0) - Date.now();
      if (wait > IN_PROCESS_WAIT_MS) {
        // Not due soon: stop fetching this partition (from this message on) and resume a little early,
        // so the head is already here when it falls due.
        const resume = pause();
        const timer = setTimeout(() => {
          this.timers.delete(timer);
          try {
            resume();
          } catch {
            // the consumer was replaced meanwhile: the new one fetches this partition anyway
          }
        }, wait - IN_PROCESS_WAIT_MS);
        this.timers.add(timer);
        break;
      }
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      // Forward as soon as due; the batcher keeps call order, and the offset is committed only after.
      forwarded.push(this.forward(message));
      lastOffset = message.offset;
    }
    if (lastOffset === undefined) return;
    await Promise.all(forwarded);
    resolveOffset(lastOffset);
    await commitOffsetsIfNecessary();
    await heartbeat();
  }

  private async forward(message: KafkaMessage): Promise<unknown> {
    const target = headerOf(message.headers, DELAY_TARGET_HEADER);
    const deliverAt = Number(headerOf(message.headers, DELIVER_AT_HEADER));
    if (!target || !Number.isFinite(deliverAt)) {
      this.logger.error(
        { provider: 'kafka', offset: message.offset },
        'delay relay: message without a target or due time, skipped',
      );
      return Promise.resolve();
    }
    const key = message.key === null ? undefined : message.key.toString('utf8');
    const value = message.value ?? Buffer.alloc(0);
    const now = Date.now();
    const signal = new AbortController().signal;
    if (deliverAt <= now) {
      if (!(await this.provisioner.exists(target))) {
        this.logger.error(
          { provider: 'kafka', target, offset: message.offset },
          `delay relay: topic gone, kept in ${DELAY_UNROUTABLE_TOPIC}`,
        );
        return this.forwarder.produce({
          topic: DELAY_UNROUTABLE_TOPIC,
          partition: undefined,
          key,
          value,
          headers: message.headers ?? {},
          signal,
        });
      }
      const headers = { ...message.headers };
      for (const name of DELAY_HEADERS) delete headers[name];
      return this.forwarder.produce({ topic: target, partition: undefined, key, value, headers, signal });
    }
    const hop = planHop(deliverAt - now, now, deliverAt);
    const headers = { ...message.headers, [HOP_DUE_HEADER]: String(hop.hopDue) };
    return this.forwarder.produce({ topic: hop.topic, partition: undefined, key, value, headers, signal });
  }
}

function headerOf(headers: IHeaders | undefined, name: string): string | undefined {
  const value = headers?.[name];
  if (value === undefined) return undefined;
  return (Array.isArray(value) ? value[0] : value)?.toString();
}

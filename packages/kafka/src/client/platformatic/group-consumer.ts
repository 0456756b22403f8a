import {
  type BaseOptions,
  ConnectionPool,
  Consumer,
  type fetchV17,
  findErrorBy,
  ListOffsetTimestamps,
} from '@platformatic/kafka';
import { ClientFailure, described } from '../failure.js';
import type {
  FetchedBatch,
  FetchedMessage,
  GroupConsumerHandlers,
  GroupConsumerOptions,
  GroupConsumerPort,
} from '../port.js';
import { describePlatformaticError } from './failure.js';
import { readMessages } from './fetched-records.js';
import { HandlerSlots } from './handler-slots.js';

/** What one fetch asks for, in all and per partition (kafkajs's defaults); a larger record batch still comes whole. */
const FETCH_MAX_BYTES = 10 * 1024 * 1024;
const PARTITION_MAX_BYTES = 1024 * 1024;
/** Waits between fetch rounds that failed with a passing error, doubling from the first to the last. */
const FIRST_RETRY_DELAY_MS = 250;
const LAST_RETRY_DELAY_MS = 5_000;
/**
 * A member that cannot fetch, or is not back in its group, for three session timeouts (30 s at least) has
 * lost its partitions for sure: it gives up, and its owner builds a new one.
 */
const MIN_GIVE_UP_MS = 30_000;
/** Longest the loop sleeps with nothing to fetch; whatever makes a partition fetchable wakes it sooner. */
const IDLE_RECHECK_MS = 500;
/** Kafka's error code for a fetch position outside the partition's log. */
const OFFSET_OUT_OF_RANGE = 1;
/** The library's own default request timeout, which bounds each step of closing. */
const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

// Fetch's request and answer take the same shape in every version the library speaks.
type FetchRequestTopic = fetchV17.FetchRequestTopic;
type FetchResponse = fetchV17.FetchResponse;

/** A partition of this member's current generation. */
interface AssignedPartition {
  readonly topic: string;
  readonly partition: number;
  /** Where its next fetch starts: after the last message resolved. */
  position: bigint;
  paused: boolean;
}

/** A partition one fetch asked for, and from where. */
interface FetchedPartition {
  assigned: AssignedPartition;
  fetchOffset: bigint;
}

/**
 * A consumer group member on @platformatic/kafka. The library's message stream cannot pause a single
 * partition, so this joins the group with the library's Consumer and runs a fetch loop of its own: a
 * partition is fetched while it is neither paused nor in onBatch, one request per leader. The library
 * heartbeats and rejoins after a rebalance by itself; every join starts the partitions afresh from the
 * committed offsets.
 */
export class PlatformaticGroupConsumer implements GroupConsumerPort {
  private readonly consumer: Consumer;
  /** A fetch waits on idle partitions: on connections of its own it holds up no heartbeat or commit. */
  private readonly fetchConnections: ConnectionPool;
  private readonly slots: HandlerSlots;
  private readonly giveUpAfterMs: number;
  private handlers: GroupConsumerHandlers | undefined;
  /** Counts rebalances and joins: a batch fetched before the latest is no longer current. */
  private generation = 0;
  private assigned = new Map<string, AssignedPartition>();
  /** The group gave this member partitions whose starting offsets are still to be read. */
  private positionsNeeded = false;
  /** onBatch calls running or waiting for a slot, by partition, whatever their generation. */
  private readonly handling = new Map<string, Promise<void>>();
  private stopping = false;
  private loop: Promise<void> | undefined;
  private endSleep: (() => void) | undefined;
  private closing: Promise<void> | undefined;

  constructor(
    private readonly base: BaseOptions,
    private readonly options: GroupConsumerOptions,
  ) {
    this.consumer = new Consumer({
      ...base,
      groupId: options.groupId,
      sessionTimeout: options.sessionTimeoutMs,
      heartbeatInterval: Math.floor(options.sessionTimeoutMs / 10),
      // The broker holds a JoinGroup request up to this, and the library gives that request no longer
      // timeout than any other; members of this kind rejoin within a heartbeat anyway.
      rebalanceTimeout: options.sessionTimeoutMs,
      // kafkajs's name for round robin: members on either client can share a group (a rolling switch
      // from one to the other runs relays on both for a while). Both encode the standard consumer protocol.
      protocols: [{ name: 'RoundRobinAssigner', version: 0 }],
    });
    this.fetchConnections = new ConnectionPool(base.clientId, base);
    this.slots = new HandlerSlots(options.partitionsInParallel);
    this.giveUpAfterMs = Math.max(MIN_GIVE_UP_MS, 3 * options.sessionTimeoutMs);
    // The library emits 'error' when it could not rejoin the group, the broker gone say: the member is lost.
    this.consumer.on('error', (error) => this.fail(describePlatformaticError(error)));
    this.consumer.on('consumer:group:rebalance', () => {
      this.generation++;
    });
    this.consumer.on('consumer:group:join', () => this.joined());
  }

  async run(handlers: GroupConsumerHandlers): Promise<void> {
    if (this.handlers || this.stopping) {
      throw new ClientFailure('other', '', false, new Error('the group consumer runs once'));
    }
    this.handlers = handlers;
    // The topics the member subscribes to when it joins.
    this.consumer.topics.trackAll(...this.options.topics);
    try {
      await described(describePlatformaticError, () => this.consumer.joinGroup({}));
    } catch (failure) {
      // The owner may drop a consumer whose run failed: nothing of it must linger.
      await this.disconnect();
      throw failure;
    }
    if (!this.stopping) this.loop = this.fetchLoop();
  }

  commit(offsets: ReadonlyArray<{ topic: string; partition: number; offset: string }>): Promise<void> {
    return described(describePlatformaticError, async () => {
      // The library answers a commit refused for want of a membership by joining the group itself.
      if (this.consumer.memberId === null || this.stopping) {
        throw new ClientFailure(
          'other',
          '',
          false,
          new Error(`not a member of group ${this.options.groupId}`),
        );
      }
      if (offsets.length === 0) return;
      await this.consumer.commit({
        offsets: offsets.map(({ topic, partition, offset }) => ({
          topic,
          partition,
          offset: BigInt(offset),
          leaderEpoch: -1,
        })),
      });
    });
  }

  disconnect(): Promise<void> {
    this.closing ??= this.close();
    return this.closing;
  }

  /** Stops fetching, lets the batches in hand finish, leaves the group; never fails, and never waits long on a lost broker. */
  private async close(): Promise<void> {
    this.stopping = true;
    this.wake();
    await Promise.allSettled(this.handling.values());
    const bound = this.base.requestTimeout ?? DEFAULT_REQUEST_TIMEOUT_MS;
    // Leaving hands the partitions over at once rather than after the session timeout. A close that
    // fails (the leave refused) leaves the client open: its connections are closed then.
    await settledWithin(
      this.consumer.close().catch(() => this.consumer.connections.close()),
      bound,
    );
    await settledWithin(this.fetchConnections.close(), bound);
    await settledWithin(this.loop ?? Promise.resolve(), bound);
  }

  /** A new generation of the group: what was fetched but not committed is fetched again. */
  private joined(): void {
    if (this.stopping) return;
    this.generation++;
    this.assigned = new Map();
    this.positionsNeeded = true;
    this.wake();
    this.handlers?.onGroupJoin();
  }

  /** The member cannot go on: it stops and tells its owner, once; the owner disconnects it. */
  private fail(failure: ClientFailure): void {
    if (this.stopping) return;
    this.stopping = true;
    this.wake();
    this.handlers?.onFailure(failure);
  }

  private async fetchLoop(): Promise<void> {
    let failingSince: number | undefined;
    let outOfGroupSince: number | undefined;
    let retryDelay = FIRST_RETRY_DELAY_MS;
    while (!this.stopping) {
      try {
        // While the library rejoins, the assignment is unknown: the join event brings the new one.
        if (!this.consumer.isActive()) {
          outOfGroupSince ??= Date.now();
          if (Date.now() - outOfGroupSince > this.giveUpAfterMs) {
            const lost = new Error(
              `not back in group ${this.options.groupId} after ${this.giveUpAfterMs} ms`,
            );
            this.fail(new ClientFailure('timeout', '', true, lost));
            return;
          }
          await this.sleep(IDLE_RECHECK_MS);
          continue;
        }
        outOfGroupSince = undefined;
        if (this.positionsNeeded) await this.readPositions();
        const fetchable = [...this.assigned.values()].filter(
          (assigned) => !assigned.paused && !this.handling.has(partitionKey(assigned)),
        );
        if (fetchable.length === 0) await this.sleep(IDLE_RECHECK_MS);
        else await this.fetchRound(fetchable);
        failingSince = undefined;
        retryDelay = FIRST_RETRY_DELAY_MS;
      } catch (error) {
        if (this.stopping) return;
        const failure = error instanceof ClientFailure ? error : describePlatformaticError(error);
        failingSince ??= Date.now();
        if (!failure.retriable || Date.now() - failingSince > this.giveUpAfterMs) {
          this.fail(failure);
          return;
        }
        await this.sleep(retryDelay);
        retryDelay = Math.min(2 * retryDelay, LAST_RETRY_DELAY_MS);
      }
    }
  }

  /** Starts each assigned partition at the group's committed offset, or at its earliest without one. */
  private async readPositions(): Promise<void> {
    const generation = this.generation;
    const assignments = (this.consumer.assignments ?? []).filter(({ partitions }) => partitions.length > 0);
    const committed =
      assignments.length > 0
        ? await this.consumer.listCommittedOffsets({ topics: assignments })
        : new Map<string, bigint[]>();
    const assigned = new Map<string, AssignedPartition>();
    const uncommitted: AssignedPartition[] = [];
    for (const { topic, partitions } of assignments) {
      for (const partition of partitions) {
        const offset = committed.get(topic)?.[partition] ?? -1n;
        const started: AssignedPartition = { topic, partition, position: offset, paused: false };
        assigned.set(partitionKey(started), started);
        if (offset < 0n) uncommitted.push(started);
      }
    }
    await this.startAtEarliest(uncommitted);
    // The group moved on meanwhile: the next round reads the new assignment's positions.
    if (generation !== this.generation) return;
    this.assigned = assigned;
    this.positionsNeeded = false;
  }

  /** Moves the partitions to their earliest message still in the log. */
  private async startAtEarliest(partitions: AssignedPartition[]): Promise<void> {
    if (partitions.length === 0) return;
    const byTopic = new Map<string, number[]>();
    for (const { topic, partition } of partitions) {
      byTopic.set(topic, [...(byTopic.get(topic) ?? []), partition]);
    }
    const earliest = await this.consumer.listOffsets({
      topics: [...byTopic.keys()],
      partitions: Object.fromEntries(byTopic),
      timestamp: ListOffsetTimestamps.EARLIEST,
    });
    for (const assigned of partitions) {
      assigned.position = earliest.get(assigned.topic)?.[assigned.partition] ?? 0n;
    }
  }

  /** Fetches the partitions, one request per leader at once, and hands each one's messages to onBatch. */
  private async fetchRound(partitions: AssignedPartition[]): Promise<void> {
    const generation = this.generation;
    const metadata = await this.consumer.metadata({ topics: [...this.options.topics] });
    const topicNames = new Map<string, string>();
    const requests = new Map<number, FetchRequestTopic[]>();
    const requested = new Map<string, FetchedPartition>();
    for (const assigned of partitions) {
      const topic = metadata.topics.get(assigned.topic);
      const leader = topic?.partitions[assigned.partition]?.leader ?? -1;
      if (!topic || leader < 0) continue;
      topicNames.set(topic.id, assigned.topic);
      requested.set(partitionKey(assigned), { assigned, fetchOffset: assigned.position });
      const request = requests.get(leader) ?? [];
      requests.set(leader, request);
      request.push({
        topicId: topic.id,
        partitions: [
          {
            partition: assigned.partition,
            fetchOffset: assigned.position,
            currentLeaderEpoch: -1,
            lastFetchedEpoch: -1,
            partitionMaxBytes: PARTITION_MAX_BYTES,
          },
        ],
      });
    }
    if (requested.size < partitions.length) {
      // A partition without a leader (an election underway): the next round asks the broker afresh.
      this.consumer.clearMetadata();
      if (requests.size === 0) {
        throw new ClientFailure(
          'answer',
          'LEADER_NOT_AVAILABLE',
          true,
          new Error('no partition leader known'),
        );
      }
    }
    const rounds = await Promise.allSettled(
      [...requests].map(async ([node, topics]) => {
        try {
          const response = await this.consumer.fetch({
            node,
            topics,
            maxWaitTime: this.options.fetchWaitMs,
            maxBytes: FETCH_MAX_BYTES,
            connectionPool: this.fetchConnections,
          });
          this.deliver(response, topicNames, requested, generation);
        } catch (error) {
          if (!(await this.restartOutOfRange(error, topicNames, requested))) throw error;
        }
      }),
    );
    const failed = rounds.find((round) => round.status === 'rejected');
    if (failed) throw failed.reason;
  }

  private deliver(
    response: FetchResponse,
    topicNames: Map<string, string>,
    requested: Map<string, FetchedPartition>,
    generation: number,
  ): void {
    if (this.stopping || generation !== this.generation) return;
    for (const { topicId, partitions } of response.responses) {
      const topic = topicNames.get(topicId);
      if (topic === undefined) continue;
      for (const { partitionIndex, records } of partitions) {
        // A partition lingering in the broker's fetch session can come back without being asked for.
        const fetched = requested.get(partitionKey({ topic, partition: partitionIndex }));
        if (!fetched || !records?.length) continue;
        const messages = readMessages(records, fetched.fetchOffset);
        if (messages.length > 0) {
          this.dispatch(fetched.assigned, messages, generation);
        } else {
          // Only transaction markers, or batches emptied by compaction: step over them.
          const last = records.at(-1)!;
          const next = last.firstOffset + BigInt(last.lastOffsetDelta) + 1n;
          if (next > fetched.assigned.position) fetched.assigned.position = next;
        }
      }
    }
  }

  private dispatch(assigned: AssignedPartition, messages: FetchedMessage[], generation: number): void {
    const batch: FetchedBatch = {
      topic: assigned.topic,
      partition: assigned.partition,
      messages,
      resolveOffset: (offset) => {
        const next = BigInt(offset) + 1n;
        if (next > assigned.position) assigned.position = next;
      },
      pause: () => {
        assigned.paused = true;
        // A partition of an earlier generation is no longer fetched anyway: resuming it changes nothing.
        return () => {
          assigned.paused = false;
          this.wake();
        };
      },
      isCurrent: () => !this.stopping && generation === this.generation,
    };
    const key = partitionKey(assigned);
    const handled = this.handle(batch).finally(() => {
      this.handling.delete(key);
      this.wake();
    });
    this.handling.set(key, handled);
  }

  /** Runs onBatch when a slot is free; a batch that went stale while it waited is dropped. */
  private async handle(batch: FetchedBatch): Promise<void> {
    await this.slots.take();
    try {
      if (batch.isCurrent()) await this.handlers?.onBatch(batch);
    } catch (error) {
      this.fail(error instanceof ClientFailure ? error : new ClientFailure('other', '', false, error));
    } finally {
      this.slots.give();
    }
  }

  /**
   * A position outside its partition's log (retention deleted what was not committed, or the topic was
   * recreated) starts again at the earliest message, as kafkajs does for a group read from the beginning.
   * Whether the fetch failed for that alone.
   */
  private async restartOutOfRange(
    error: unknown,
    topicNames: Map<string, string>,
    requested: Map<string, FetchedPartition>,
  ): Promise<boolean> {
    if (!(error instanceof Error) || !findErrorBy(error, 'apiId', 'OFFSET_OUT_OF_RANGE')) return false;
    // A failed request's error carries the broker's answer, with an error code per partition.
    const response: FetchResponse | undefined = findErrorBy(error, 'code', 'PLT_KFK_RESPONSE')?.response;
    const outOfRange: FetchedPartition[] = [];
    for (const { topicId, partitions } of response?.responses ?? []) {
      const topic = topicNames.get(topicId);
      for (const { partitionIndex, errorCode } of partitions) {
        const fetched =
          topic === undefined ? undefined : requested.get(partitionKey({ topic, partition: partitionIndex }));
        if (fetched && errorCode === OFFSET_OUT_OF_RANGE) outOfRange.push(fetched);
      }
    }
    if (outOfRange.length === 0) return false;
    await this.startAtEarliest(outOfRange.map(({ assigned }) => assigned));
    return true;
  }

  /** Waits `ms`, or less when woken: a partition resumed or handled, a join, a stop. */
  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.wake(), ms);
      this.endSleep = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  private wake(): void {
    const endSleep = this.endSleep;
    this.endSleep = undefined;
    endSleep?.();
  }
}

function partitionKey({ topic, partition }: { topic: string; partition: number }): string {
  return `${topic}:${partition}`;
}

/** Waits for `work` to settle, at most `ms`; never fails. */
async function settledWithin(work: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  await Promise.race([work.then(ignore, ignore), deadline]);
  clearTimeout(timer);
}

function ignore(): void {}

import type { Logger, TlsOption } from '@ev/core';

/**
 * What the adapter needs from a Kafka client library, and no more. kafkajs and @platformatic/kafka each
 * implement it (./kafkajs, ./platformatic); batching, partitioning, producer renewal, topic provisioning
 * and the delay relay are written once, against this. Every method rejects with a ClientFailure.
 */
export interface KafkaClient {
  readonly library: KafkaLibraryName;
  producer(): ProducerPort;
  admin(): AdminPort;
  groupConsumer(options: GroupConsumerOptions): GroupConsumerPort;
}

export const KAFKA_LIBRARIES = ['kafkajs', 'platformatic'] as const;
export type KafkaLibraryName = (typeof KAFKA_LIBRARIES)[number];

/** What every client is created from, whichever library it uses. */
export interface ClientConfig {
  clientId: string;
  brokers: string[];
  tls: TlsOption | false;
  sasl:
    | { mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512'; username: string; password: string }
    | undefined;
  connectTimeoutMs: number;
  requestTimeoutMs: number;
  /** kafkajs's own lines go here at debug level, without credentials (@platformatic/kafka writes none). */
  logger: Logger;
}

/** Header values as sent and as fetched: a header that occurs twice is fetched as an array. */
export type RecordHeaders = Record<string, string | Buffer | Array<string | Buffer> | undefined>;

export interface OutgoingRecord {
  topic: string;
  /** Absent: the client picks it, by the key's murmur2 hash as the Java client does. */
  partition: number | undefined;
  key: string | undefined;
  value: Buffer;
  headers: RecordHeaders;
}

/** A request's records of one partition were stored at consecutive offsets from `baseOffset`, in order. */
export interface StoredBatch {
  topic: string;
  partition: number;
  /** "-1" when the broker did not tell. */
  baseOffset: string;
}

/** An idempotent producer (acks=all) that sends one request at a time. */
export interface ProducerPort {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  send(records: readonly OutgoingRecord[]): Promise<StoredBatch[]>;
}

export interface AdminPort {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  listTopics(): Promise<string[]>;
  /** Creates the topics; one that exists already (another client was first) is no failure. */
  createTopics(topics: readonly string[], partitions: number): Promise<void>;
  /**
   * The leader of each partition of each topic (-1 while it has none). A topic the broker does not
   * know is absent from the map, or the call fails with a retriable UNKNOWN_TOPIC_OR_PARTITION.
   */
  partitionLeaders(topics: readonly string[]): Promise<Map<string, number[]>>;
}

export interface GroupConsumerOptions {
  groupId: string;
  topics: readonly string[];
  /** Longest a fetch waits on idle partitions. */
  fetchWaitMs: number;
  /** A member that stops heartbeating loses its partitions after this. */
  sessionTimeoutMs: number;
  /** Partitions whose batches are handled at the same time. */
  partitionsInParallel: number;
}

export interface FetchedMessage {
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: RecordHeaders;
}

/** Messages fetched from one partition, handled before the next batch of that partition is given. */
export interface FetchedBatch {
  topic: string;
  partition: number;
  messages: FetchedMessage[];
  /** The message is handled: the next fetch of the partition starts after it. Nothing is committed. */
  resolveOffset(offset: string): void;
  /** Stops fetching the partition, from the first message not resolved; the function returned resumes. */
  pause(): () => void;
  /** False once the batch is no longer this member's to handle (stopping, or the group rebalanced). */
  isCurrent(): boolean;
}

export interface GroupConsumerHandlers {
  onBatch(batch: FetchedBatch): Promise<void>;
  /** The member joined a new generation of the group: work held from an earlier one is not its own. */
  onGroupJoin(): void;
  /** The consumer stopped for good after an error: the owner replaces it. */
  onFailure(error: unknown): void;
}

/** A consumer group member that consumes from the committed offsets (the earliest where none) and never commits by itself. */
export interface GroupConsumerPort {
  /** Resolves once the member consumes. */
  run(handlers: GroupConsumerHandlers): Promise<void>;
  commit(offsets: ReadonlyArray<{ topic: string; partition: number; offset: string }>): Promise<void>;
  disconnect(): Promise<void>;
}

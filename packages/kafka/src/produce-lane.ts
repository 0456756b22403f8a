import type { SendSignal } from '@ev/core';
import type { IHeaders, Producer, RecordMetadata } from 'kafkajs';
import { mapKafkaError } from './map-error.js';

export interface OutgoingRecord {
  topic: string;
  /** Absent: kafkajs's default partitioner (Java-compatible murmur2 for keys) picks it. */
  partition: number | undefined;
  key: string | undefined;
  value: Buffer;
  headers: IHeaders;
  /** The caller stopped waiting: drop the record if it has not been sent yet. */
  signal: SendSignal;
}

/** Where the broker stored a record. */
export interface StoredAt {
  partition: number | undefined;
  /** The record's offset; "-1" when the broker did not tell. */
  offset: string;
}

interface Queued {
  record: OutgoingRecord;
  resolve: (stored: StoredAt) => void;
  reject: (error: unknown) => void;
}

/** Room left under the broker's default request limits for record and batch overhead. */
const MAX_REQUEST_BYTES = 900_000;

/**
 * One producer that coalesces concurrent sends into produce requests: while one request is in flight,
 * new records queue, and the next request carries all of them (up to MAX_REQUEST_BYTES). One request at
 * a time keeps the idempotent producer's per-partition order; each caller still learns its own record's
 * outcome.
 *
 * After a failed request the producer is replaced by a new one (a new producer id). The failed request
 * may still have been written — a broker killed before it answered — while kafkajs would reuse its
 * sequence numbers for the next, different records, which the broker would then drop as duplicates of
 * the first and still acknowledge: silent loss. A new producer id starts a fresh sequence.
 */
export class ProduceLane {
  private readonly queue: Queued[] = [];
  private draining = false;
  private producer: Producer;
  private renewNeeded = false;

  constructor(
    private readonly createProducer: () => Producer,
    private readonly endpoint: string,
  ) {
    this.producer = createProducer();
  }

  connect(): Promise<void> {
    return this.producer.connect();
  }

  disconnect(): Promise<void> {
    return this.producer.disconnect();
  }

  produce(record: OutgoingRecord): Promise<StoredAt> {
    return new Promise((resolve, reject) => {
      this.queue.push({ record, resolve, reject });
      if (!this.draining) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    if (this.draining) return;
    this.draining = true;
    try {
      while (this.queue.length > 0) await this.sendOneRequest(this.takeRequest());
    } finally {
      this.draining = false;
    }
  }

  /** Takes queued records up to MAX_REQUEST_BYTES, dropping those whose caller stopped waiting. */
  private takeRequest(): Queued[] {
    const request: Queued[] = [];
    let bytes = 0;
    let taken = 0;
    for (; taken < this.queue.length; taken += 1) {
      const next = this.queue[taken]!;
      const { signal, value } = next.record;
      if (signal.aborted) {
        next.reject(signal.reason);
        continue;
      }
      if (request.length > 0 && bytes + value.byteLength > MAX_REQUEST_BYTES) break;
      bytes += value.byteLength;
      request.push(next);
    }
    // One splice, not a shift per record: the queue can hold thousands under load.
    this.queue.splice(0, taken);
    return request;
  }

  private async sendOneRequest(request: Queued[]): Promise<void> {
    if (request.length === 0) return;
    const byTopic = new Map<string, Queued[]>();
    for (const queued of request) {
      const list = byTopic.get(queued.record.topic);
      if (list) list.push(queued);
      else byTopic.set(queued.record.topic, [queued]);
    }
    let results: RecordMetadata[];
    try {
      if (this.renewNeeded) await this.renewProducer();
      // No timestamp: kafkajs then stamps the whole batch once, instead of sorting one per record.
      results = await this.producer.sendBatch({
        acks: -1,
        topicMessages: Array.from(byTopic, ([topic, queued]) => ({
          topic,
          messages: queued.map(({ record }) => ({
            partition: record.partition,
            key: record.key ?? null,
            value: record.value,
            headers: record.headers,
          })),
        })),
      });
    } catch (error) {
      this.renewNeeded = true;
      const mapped = mapKafkaError(error, 'send', this.endpoint);
      for (const queued of request) queued.reject(mapped);
      return;
    }
    resolveInOrder(byTopic, results);
  }

  /** A new producer, hence a new producer id and fresh sequence numbers. Throws while the broker is down. */
  private async renewProducer(): Promise<void> {
    await this.producer.disconnect().catch(() => {});
    this.producer = this.createProducer();
    await this.producer.connect();
    this.renewNeeded = false;
  }
}

/** Records of one partition got consecutive offsets from the partition's base offset, in request order. */
function resolveInOrder(byTopic: Map<string, Queued[]>, results: RecordMetadata[]): void {
  const nextOffset = new Map<string, bigint[]>();
  for (const result of results) {
    const offsets = nextOffset.get(result.topicName) ?? [];
    offsets[result.partition] = BigInt(result.baseOffset ?? result.offset ?? '-1');
    nextOffset.set(result.topicName, offsets);
  }
  for (const [topic, queued] of byTopic) {
    const offsets = nextOffset.get(topic) ?? [];
    for (const { record, resolve } of queued) {
      const partition = record.partition;
      const offset = partition === undefined ? undefined : offsets[partition];
      if (offset === undefined || offset < 0n) {
        resolve({ partition, offset: '-1' });
        continue;
      }
      offsets[partition!] = offset + 1n;
      resolve({ partition, offset: offset.toString() });
    }
  }
}

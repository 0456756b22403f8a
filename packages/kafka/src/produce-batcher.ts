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

interface Queued extends OutgoingRecord {
  resolve: (offset: string) => void;
  reject: (error: unknown) => void;
}

/** Room left under the broker's default request limits for record and batch overhead. */
const MAX_REQUEST_BYTES = 900_000;

/**
 * Coalesces concurrent sends into produce requests: while one request is in flight, new records queue,
 * and the next request carries all of them (up to MAX_REQUEST_BYTES). One request at a time keeps the
 * idempotent producer's per-partition order; each caller still learns its own record's outcome.
 *
 * After a failed request the producer is replaced by a new one (a new producer id). The failed request
 * may still have been written — a broker killed before it answered — while kafkajs would reuse its
 * sequence numbers for the next, different records, which the broker would then drop as duplicates of
 * the first and still acknowledge: silent loss. A new producer id starts a fresh sequence.
 */
export class ProduceBatcher {
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

  produce(record: OutgoingRecord): Promise<string> {
    return new Promise((resolve, reject) => {
      this.queue.push({ ...record, resolve, reject });
      void this.drain();
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
      if (next.signal.aborted) {
        next.reject(next.signal.reason);
        continue;
      }
      if (request.length > 0 && bytes + next.value.byteLength > MAX_REQUEST_BYTES) break;
      bytes += next.value.byteLength;
      request.push(next);
    }
    // One splice, not a shift per record: the queue can hold thousands under load.
    this.queue.splice(0, taken);
    return request;
  }

  private async sendOneRequest(request: Queued[]): Promise<void> {
    if (request.length === 0) return;
    const byTopic = new Map<string, Queued[]>();
    for (const record of request) {
      const list = byTopic.get(record.topic) ?? [];
      list.push(record);
      byTopic.set(record.topic, list);
    }
    const timestamp = String(Date.now());
    let results: RecordMetadata[];
    try {
      if (this.renewNeeded) await this.renewProducer();
      results = await this.producer.sendBatch({
        acks: -1,
        topicMessages: [...byTopic].map(([topic, records]) => ({
          topic,
          messages: records.map((r) => ({
            partition: r.partition,
            key: r.key ?? null,
            value: r.value,
            headers: r.headers,
            timestamp,
          })),
        })),
      });
    } catch (error) {
      this.renewNeeded = true;
      const mapped = mapKafkaError(error, 'send', this.endpoint);
      for (const record of request) record.reject(mapped);
      return;
    }
    // Records of one partition got consecutive offsets from the partition's base offset, in our order.
    const next = new Map<string, bigint>();
    for (const result of results) {
      next.set(
        `${result.topicName}\u0000${result.partition}`,
        BigInt(result.baseOffset ?? result.offset ?? '-1'),
      );
    }
    for (const record of request) {
      const slot = `${record.topic}\u0000${record.partition}`;
      const offset = next.get(slot) ?? -1n;
      if (offset >= 0n) next.set(slot, offset + 1n);
      record.resolve(offset.toString());
    }
  }

  /** A new producer, hence a new producer id and fresh sequence numbers. Throws while the broker is down. */
  private async renewProducer(): Promise<void> {
    await this.producer.disconnect().catch(() => {});
    this.producer = this.createProducer();
    await this.producer.connect();
    this.renewNeeded = false;
  }
}

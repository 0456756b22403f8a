import { BrokerUnavailableError } from '@ev/core';
import { FifoQueue, type SendSignal } from '@ev/core/adapter';
import type { OutgoingRecord, ProducerPort, StoredBatch } from './client/port.js';
import { kafkaErrorType, mapKafkaError } from './map-error.js';
import { offsetPlus } from './offset-text.js';

export interface RecordToSend extends OutgoingRecord {
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
  record: RecordToSend;
  /** Its size in a request, counted once. */
  bytes: number;
  resolve: (stored: StoredAt) => void;
  reject: (error: unknown) => void;
}

/**
 * Below the broker's default limit on one record batch (message.max.bytes, 1 MiB), with room for the
 * batch header: a request never holds more than this, so no batch in it can exceed the limit.
 */
const MAX_REQUEST_BYTES = 900_000;
/** A record's varints and attributes at their largest, and a header's two length varints. */
const RECORD_OVERHEAD_BYTES = 40;
const HEADER_OVERHEAD_BYTES = 10;

/**
 * One producer that coalesces concurrent sends into produce requests: while one request is in flight,
 * new records queue, and the next request carries all of them (up to MAX_REQUEST_BYTES). One request at
 * a time keeps the idempotent producer's per-partition order; each caller still learns its own record's
 * outcome.
 *
 * A failed request fails the records queued behind it too, so a key's later record is never stored
 * while an earlier one failed (its caller may send it again).
 *
 * After a failed request the producer is replaced by a new one (a new producer id). The failed request
 * may still have been written — a broker killed before it answered — while the client would reuse its
 * sequence numbers for the next, different records, which the broker would then drop as duplicates of
 * the first and still acknowledge: silent loss. A new producer id starts a fresh sequence.
 */
export class ProduceLane {
  private readonly queue = new FifoQueue<Queued>();
  private draining = false;
  private producer: ProducerPort;
  private renewNeeded = false;

  constructor(
    private readonly createProducer: () => ProducerPort,
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

  produce(record: RecordToSend): Promise<StoredAt> {
    return new Promise((resolve, reject) => {
      this.queue.push({ record, bytes: recordBytes(record), resolve, reject });
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
    for (let next = this.queue.peek(); next; next = this.queue.peek()) {
      if (next.record.signal.aborted) {
        this.queue.shift();
        next.reject(next.record.signal.reason);
        continue;
      }
      if (request.length > 0 && bytes + next.bytes > MAX_REQUEST_BYTES) break;
      this.queue.shift();
      bytes += next.bytes;
      request.push(next);
    }
    return request;
  }

  private async sendOneRequest(request: Queued[], attempt = 1): Promise<void> {
    if (request.length === 0) return;
    let results: StoredBatch[];
    try {
      if (this.renewNeeded) await this.renewProducer();
      results = await this.producer.send(request.map((queued) => queued.record));
    } catch (error) {
      this.renewNeeded = true;
      // A client may ask for the metadata of every topic its producer ever sent to (kafkajs does): once an
      // operator deletes one, each later request fails with UNKNOWN_TOPIC_OR_PARTITION, whatever its own
      // topics. A new producer knows only this request's topics; a record refused that way was not stored.
      if (attempt === 1 && kafkaErrorType(error) === 'UNKNOWN_TOPIC_OR_PARTITION') {
        return this.sendOneRequest(request, 2);
      }
      const mapped = mapKafkaError(error, 'send', this.endpoint);
      for (const queued of request) queued.reject(mapped);
      // What was queued behind the failed records fails with them: sent next, through the new producer,
      // a record could be stored ahead of an earlier record of its key that failed and is sent again.
      // Retryable whatever the failed request's error was: these records were not even sent.
      const notSent = new BrokerUnavailableError(
        `not sent: an earlier request to ${this.endpoint} failed (${errorText(mapped)})`,
        { provider: 'kafka', cause: mapped },
      );
      for (let queued = this.queue.shift(); queued; queued = this.queue.shift()) queued.reject(notSent);
      return;
    }
    resolveInOrder(request, results);
  }

  /** A new producer, hence a new producer id and fresh sequence numbers. Throws while the broker is down. */
  private async renewProducer(): Promise<void> {
    await this.producer.disconnect().catch(() => {});
    this.producer = this.createProducer();
    await this.producer.connect();
    this.renewNeeded = false;
  }
}

/** A record's size on the wire: value, key and headers, plus their length prefixes. */
function recordBytes({ value, key, headers }: OutgoingRecord): number {
  let bytes = RECORD_OVERHEAD_BYTES + value.byteLength;
  if (key !== undefined) bytes += Buffer.byteLength(key);
  for (const name in headers) {
    const header = headers[name];
    // A header given as an array is sent as one header per value.
    if (Array.isArray(header)) for (const value of header) bytes += headerBytes(name, value);
    else bytes += headerBytes(name, header);
  }
  return bytes;
}

function headerBytes(name: string, value: string | Buffer | undefined): number {
  return (
    HEADER_OVERHEAD_BYTES + Buffer.byteLength(name) + (value === undefined ? 0 : Buffer.byteLength(value))
  );
}

/** Records of one partition got consecutive offsets from the partition's base offset, in request order. */
function resolveInOrder(request: Queued[], results: StoredBatch[]): void {
  const partitionsByTopic = new Map<string, Array<{ baseOffset: string; resolved: number }>>();
  for (const result of results) {
    let partitions = partitionsByTopic.get(result.topic);
    if (!partitions) {
      partitions = [];
      partitionsByTopic.set(result.topic, partitions);
    }
    partitions[result.partition] = { baseOffset: result.baseOffset, resolved: 0 };
  }
  for (const { record, resolve } of request) {
    const { partition } = record;
    const stored = partition === undefined ? undefined : partitionsByTopic.get(record.topic)?.[partition];
    if (stored === undefined || Number(stored.baseOffset) < 0) {
      resolve({ partition, offset: '-1' });
      continue;
    }
    resolve({ partition, offset: offsetPlus(stored.baseOffset, stored.resolved++) });
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

import type { ProducerPort } from './client/port.js';
import { ProduceLane, type RecordToSend, type StoredAt } from './produce-lane.js';

/**
 * Sends records through a few producers ("lanes"), each with one request in flight. A partition always
 * goes through the same lane, so its records keep their order; with one lane, the client would sit idle
 * while the broker handles each request (each lane sends one request at a time), with two, one lane's
 * request is on the broker while the other's is encoded (Java's producer keeps up to five requests in
 * flight per connection for the same reason). Records without a partition (the client's partitioner
 * picks it) all take the first lane, which keeps a key's order too.
 */
export class ProduceBatcher {
  private readonly lanes: ProduceLane[];

  constructor(createProducer: () => ProducerPort, endpoint: string, laneCount: number) {
    this.lanes = Array.from({ length: laneCount }, () => new ProduceLane(createProducer, endpoint));
  }

  async connect(): Promise<void> {
    await Promise.all(this.lanes.map((lane) => lane.connect()));
  }

  async disconnect(): Promise<void> {
    await Promise.allSettled(this.lanes.map((lane) => lane.disconnect()));
  }

  produce(record: RecordToSend): Promise<StoredAt> {
    return this.lanes[(record.partition ?? 0) % this.lanes.length]!.produce(record);
  }
}

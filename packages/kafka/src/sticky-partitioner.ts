/**
 * Bytes of keyless records one partition takes before the next one's turn: the Java producer's default
 * batch size, which is also where its own sticky partitioner moves on.
 */
const STICKY_BYTES = 16_384;

/**
 * Picks partitions for keyless records the way Kafka's Java producer does (KIP-480, KIP-794): records
 * stay on one partition until about a batch's worth of bytes went to it, then move to the next, so every
 * partition gets its share. Compared with a new partition per record, requests carry fewer, larger
 * batches, and a lone sender keeps writing through the same producer connection instead of alternating
 * between two (which costs about a tenth more per awaited send).
 */
export class StickyPartitioner {
  private partition: number;
  private bytesOnPartition = 0;

  /** Starts at a random partition: short-lived jobs that each send a few records still spread. */
  constructor(private readonly partitions: number) {
    this.partition = Math.floor(Math.random() * partitions);
  }

  next(recordBytes: number): number {
    if (this.bytesOnPartition >= STICKY_BYTES) {
      this.partition = (this.partition + 1) % this.partitions;
      this.bytesOnPartition = 0;
    }
    this.bytesOnPartition += recordBytes;
    return this.partition;
  }
}

import type { Admin } from 'kafkajs';
import { mapKafkaError } from './map-error.js';

const METADATA_WAIT_MS = 10_000;

/**
 * Creates topics before anything is sent to them (the broker's auto-creation may be off, and must not
 * pick the partition count), and reports the partition count a topic really has.
 */
export class TopicProvisioner {
  private readonly known = new Map<string, Promise<number>>();
  private existing = new Set<string>();

  constructor(
    private readonly admin: Admin,
    private readonly endpoint: string,
  ) {}

  ensure(topic: string, partitions: number): Promise<number> {
    let pending = this.known.get(topic);
    if (!pending) {
      pending = this.create(topic, partitions);
      this.known.set(topic, pending);
      pending.catch(() => this.known.delete(topic));
    }
    return pending;
  }

  /**
   * Whether the topic exists. A name seen once is trusted; any other name is looked up afresh, so a topic
   * created a moment ago is never reported missing (misses are rare: new or deleted topics).
   */
  async exists(topic: string): Promise<boolean> {
    if (this.existing.has(topic)) return true;
    this.existing = new Set(await this.admin.listTopics());
    return this.existing.has(topic);
  }

  /** Creates several topics in one request (the delay levels). */
  async ensureAll(topics: string[], partitions: number): Promise<void> {
    await Promise.all(topics.map((topic) => this.ensure(topic, partitions)));
  }

  private async create(topic: string, partitions: number): Promise<number> {
    try {
      if (!(await this.exists(topic))) {
        await this.admin.createTopics({
          topics: [{ topic, numPartitions: partitions }],
          waitForLeaders: true,
        });
      }
      return await this.partitionCount(topic, partitions);
    } catch (error) {
      throw mapKafkaError(error, `creating topic "${topic}"`, this.endpoint);
    }
  }

  /**
   * A freshly created topic can be missing from metadata for a moment even after its leaders were
   * elected (KRaft propagates it to the broker's metadata cache asynchronously): ask again briefly.
   */
  private async partitionCount(topic: string, fallback: number): Promise<number> {
    const deadline = Date.now() + METADATA_WAIT_MS;
    for (;;) {
      try {
        const metadata = await this.admin.fetchTopicMetadata({ topics: [topic] });
        return metadata.topics[0]?.partitions.length ?? fallback;
      } catch (error) {
        const type = (error as { type?: string }).type;
        const propagating = type === 'UNKNOWN_TOPIC_OR_PARTITION' || type === 'LEADER_NOT_AVAILABLE';
        if (!propagating || Date.now() > deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  }
}

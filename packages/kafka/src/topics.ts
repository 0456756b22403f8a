import { ClientFailure } from './client/failure.js';
import type { AdminPort } from './client/port.js';
import { isRetriableKafkaError, mapKafkaError, mapKafkaTimeout } from './map-error.js';

const FIRST_BACKOFF_MS = 100;
const MAX_BACKOFF_MS = 1_000;

/**
 * Creates topics before anything is sent to them (the broker's auto-creation may be off, and must not
 * pick the partition count), and reports the partition count a topic really has.
 *
 * A broker that has just started, or whose controller just moved, answers for a while with errors Kafka
 * itself calls retriable: UNKNOWN_TOPIC_OR_PARTITION for a topic the controller has created but the
 * broker's metadata cache has not caught up with, LEADER_NOT_AVAILABLE, NOT_CONTROLLER, timeouts. Client
 * libraries retry only some of them while they wait for leaders: each step here is retried with backoff
 * while the error is retriable, until `timeoutMs` has passed.
 */
export class TopicProvisioner {
  private existing = new Set<string>();
  /** The topic listing under way, and the one queued to start after it: shared by every lookup. */
  private listing: Promise<Set<string>> | undefined;
  private nextListing: Promise<Set<string>> | undefined;

  constructor(
    private readonly admin: AdminPort,
    private readonly endpoint: string,
    private readonly timeoutMs: number,
  ) {}

  /**
   * Whether the topic exists. A name seen once is trusted; any other name is looked up in a listing that
   * starts after the call, so a topic created a moment ago is never reported missing. Lookups made while
   * a listing is under way share the next one: a burst of due messages for a topic this process has not
   * seen yet costs two metadata requests, not one each (a full listing is large on a busy cluster).
   */
  async exists(topic: string): Promise<boolean> {
    if (this.existing.has(topic)) return true;
    return (await this.freshListing()).has(topic);
  }

  private freshListing(): Promise<Set<string>> {
    if (!this.listing) return this.list();
    this.nextListing ??= this.listing
      .catch(() => undefined)
      .then(() => {
        this.nextListing = undefined;
        return this.list();
      });
    return this.nextListing;
  }

  private list(): Promise<Set<string>> {
    const listing = this.admin.listTopics().then((names) => {
      this.existing = new Set(names);
      return this.existing;
    });
    this.listing = listing;
    listing
      .finally(() => {
        if (this.listing === listing) this.listing = undefined;
      })
      .catch(() => {}); // the caller handles the rejection
    return listing;
  }

  /** Creates those of the topics that do not exist, in one request; resolves to their partition counts. */
  async ensureAll(topics: string[], partitions: number): Promise<number[]> {
    const what = topics.length === 1 ? `creating topic "${topics[0]}"` : `creating ${topics.length} topics`;
    const deadline = Date.now() + this.timeoutMs;
    await this.retrying(what, deadline, async () => {
      const existing = new Set(await this.admin.listTopics());
      const missing = topics.filter((topic) => !existing.has(topic));
      if (missing.length > 0) await this.admin.createTopics(missing, partitions);
    });
    return this.retrying(what, deadline, () => this.ledPartitionCounts(topics));
  }

  /** The partition counts once the broker's metadata shows every partition with a leader: until then a producer would be refused. */
  private async ledPartitionCounts(topics: string[]): Promise<number[]> {
    const leadersByTopic = await this.admin.partitionLeaders(topics);
    const counts = topics.map((topic) => {
      const leaders = leadersByTopic.get(topic);
      if (!leaders || leaders.length === 0 || leaders.some((leader) => leader < 0)) {
        const notYet = new Error(`topic "${topic}" has no leader for every partition yet`);
        throw new ClientFailure('answer', 'LEADER_NOT_AVAILABLE', true, notYet);
      }
      return leaders.length;
    });
    for (const topic of topics) this.existing.add(topic);
    return counts;
  }

  private async retrying<T>(what: string, deadline: number, attempt: () => Promise<T>): Promise<T> {
    let backoffMs = FIRST_BACKOFF_MS;
    for (;;) {
      try {
        return await attempt();
      } catch (error) {
        if (!isRetriableKafkaError(error)) throw mapKafkaError(error, what, this.endpoint);
        if (Date.now() + backoffMs > deadline) {
          throw mapKafkaTimeout(error, what, this.endpoint, this.timeoutMs);
        }
        await new Promise((resolve) => setTimeout(resolve, backoffMs));
        backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF_MS);
      }
    }
  }
}

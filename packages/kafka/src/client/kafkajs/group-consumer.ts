import type { Consumer, Kafka } from 'kafkajs';
import { described } from '../failure.js';
import type { GroupConsumerHandlers, GroupConsumerOptions, GroupConsumerPort } from '../port.js';
import { describeKafkajsError } from './failure.js';

/** A consumer group member on kafkajs's consumer, which pauses and resumes single partitions itself. */
export class KafkajsGroupConsumer implements GroupConsumerPort {
  private readonly consumer: Consumer;

  constructor(
    kafka: Kafka,
    private readonly options: GroupConsumerOptions,
  ) {
    this.consumer = kafka.consumer({
      groupId: options.groupId,
      maxWaitTimeInMs: options.fetchWaitMs,
      sessionTimeout: options.sessionTimeoutMs,
      heartbeatInterval: options.sessionTimeoutMs / 10,
    });
  }

  run(handlers: GroupConsumerHandlers): Promise<void> {
    const { consumer } = this;
    // kafkajs restarts a consumer after retriable errors only; after any other (a broker refusing
    // connections for a while, say) the consumer stays down.
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (!payload.restart) handlers.onFailure(describeKafkajsError(payload.error));
    });
    consumer.on(consumer.events.GROUP_JOIN, () => handlers.onGroupJoin());
    return described(describeKafkajsError, async () => {
      try {
        await this.start(handlers);
      } catch (error) {
        // The owner may drop a consumer whose run failed: nothing of it must linger.
        await consumer.disconnect().catch(() => {});
        throw error;
      }
    });
  }

  /** Joins the group and consumes; the relay commits by itself. */
  private async start(handlers: GroupConsumerHandlers): Promise<void> {
    const { consumer } = this;
    await consumer.connect();
    await consumer.subscribe({ topics: [...this.options.topics], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.options.partitionsInParallel,
      eachBatch: ({ batch, resolveOffset, pause, isRunning, isStale }) =>
        handlers.onBatch({
          topic: batch.topic,
          partition: batch.partition,
          messages: batch.messages.map((m) => ({
            offset: m.offset,
            key: m.key,
            value: m.value,
            headers: m.headers ?? {},
          })),
          resolveOffset,
          pause,
          isCurrent: () => isRunning() && !isStale(),
        }),
    });
  }

  commit(offsets: ReadonlyArray<{ topic: string; partition: number; offset: string }>): Promise<void> {
    return described(describeKafkajsError, () => this.consumer.commitOffsets([...offsets]));
  }

  disconnect(): Promise<void> {
    return described(describeKafkajsError, () => this.consumer.disconnect());
  }
}

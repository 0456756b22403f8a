import type { BrokerConnection, Pusher, TopicOptions } from '@ev/core';

/** One pusher per topic on the broker connection, made on first use; a failed attempt is retried later. */
export class TopicPushers {
  private readonly pushers = new Map<string, Promise<Pusher>>();

  constructor(
    private readonly broker: BrokerConnection,
    private readonly options: TopicOptions | undefined,
  ) {}

  get(topic: string): Promise<Pusher> {
    let pusher = this.pushers.get(topic);
    if (!pusher) {
      pusher = this.broker.pusher(topic, this.options);
      this.pushers.set(topic, pusher);
      pusher.catch(() => this.pushers.delete(topic));
    }
    return pusher;
  }

  /** Closes every pusher made, each settling its in-flight sends. */
  async close(): Promise<void> {
    const made = [...this.pushers.values()];
    this.pushers.clear();
    await Promise.all(made.map((pusher) => pusher.then((p) => p.close()).catch(() => {})));
  }
}

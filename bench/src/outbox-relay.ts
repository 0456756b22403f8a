// The relay as the outbox bench runs it: in this process, on the target's open connection, its store
// wrapped with timers.
import type { BrokerConnection, Pusher } from '@ev/core';
import { OUTBOX_LANES, type OutboxRelay, type RelayStore, startOutboxRelay } from '@ev/outbox';
import { type OutboxTarget, PARTITIONS } from './outbox-targets.js';

export const TOPIC_OPTIONS = { partitions: PARTITIONS };

/** Polls `done` every `everyMs` until it holds; false when `timeoutMs` passed first. */
export async function waitUntil(done: () => boolean, timeoutMs: number, everyMs = 5): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (!done()) {
    if (performance.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
  return true;
}

/** A relay on `store`, once it holds every lane (it is the only relay of its table). */
export async function startRelay(
  store: RelayStore,
  target: OutboxTarget,
  broker: BrokerConnection = target.connection,
): Promise<OutboxRelay> {
  const relay = await startOutboxRelay({ store, broker, topicOptions: TOPIC_OPTIONS });
  if (!(await waitUntil(() => relay.lanes.length === OUTBOX_LANES, 30_000))) {
    await relay.stop();
    throw new Error(`the relay took ${relay.lanes.length} of ${OUTBOX_LANES} lanes`);
  }
  return relay;
}

type Phase = 'fetch' | 'send' | 'remove' | 'any';

/**
 * Times a relay from outside: its store's fetch and delete calls, and its sends through a wrapped broker
 * connection. Each figure is the time at least one such call was outstanding, so they add up to the
 * drain's time when the relay does one thing after another, and to more when it overlaps them (sends of
 * one batch while it reads the next); `anyMs` is the time any of them was.
 */
export class RelayTimer {
  readonly phases = { rows: 0, batches: 0, fetchMs: 0, sendMs: 0, removeMs: 0, anyMs: 0 };
  private readonly outstanding: Record<Phase, number> = { fetch: 0, send: 0, remove: 0, any: 0 };
  private readonly since: Record<Phase, number> = { fetch: 0, send: 0, remove: 0, any: 0 };

  constructor(private readonly onRemoved?: (ids: readonly string[], at: number) => void) {}

  /** `store` with its fetch and delete calls timed; every argument passed through as is. */
  store(store: RelayStore): RelayStore {
    return {
      ...store,
      fetchDue: async (...args: Parameters<RelayStore['fetchDue']>) => {
        const rows = await this.track('fetch', store.fetchDue(...args));
        if (rows.length > 0) {
          this.phases.rows += rows.length;
          this.phases.batches += 1;
        }
        return rows;
      },
      remove: async (...args: Parameters<RelayStore['remove']>) => {
        await this.track('remove', store.remove(...args));
        this.onRemoved?.(args[0], performance.now());
      },
    };
  }

  /** `connection` with every send of its pushers timed from call to settling. */
  connection(connection: BrokerConnection): BrokerConnection {
    const timed = (pusher: Pusher): Pusher => ({
      specificationVersion: pusher.specificationVersion,
      provider: pusher.provider,
      topic: pusher.topic,
      capabilities: pusher.capabilities,
      limits: pusher.limits,
      send: (...args) => this.track('send', pusher.send(...args)),
      sendWithKey: (...args) => this.track('send', pusher.sendWithKey(...args)),
      sendDelayAfter: (...args) => this.track('send', pusher.sendDelayAfter(...args)),
      close: () => pusher.close(),
    });
    return {
      provider: connection.provider,
      pusher: async (topic, options) => timed(await connection.pusher(topic, options)),
      close: () => connection.close(),
    };
  }

  private track<T>(phase: Phase, work: Promise<T>): Promise<T> {
    for (const p of [phase, 'any'] as const) {
      if (this.outstanding[p]++ === 0) this.since[p] = performance.now();
    }
    const done = () => {
      for (const p of [phase, 'any'] as const) {
        if (--this.outstanding[p] === 0) this.phases[`${p}Ms`] += performance.now() - this.since[p];
      }
    };
    work.then(done, done);
    return work;
  }
}

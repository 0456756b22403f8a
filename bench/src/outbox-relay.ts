// The relay as the outbox bench runs it: in this process, on the target's open connection, its store
// wrapped with timers.
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
export async function startRelay(store: RelayStore, target: OutboxTarget): Promise<OutboxRelay> {
  const relay = await startOutboxRelay({ store, broker: target.connection, topicOptions: TOPIC_OPTIONS });
  if (!(await waitUntil(() => relay.lanes.length === OUTBOX_LANES, 30_000))) {
    await relay.stop();
    throw new Error(`the relay took ${relay.lanes.length} of ${OUTBOX_LANES} lanes`);
  }
  return relay;
}

/**
 * The relay's store with timers around the calls of its loop. The loop is sequential (fetch a batch, send
 * it, delete what the broker confirmed), so the time from a fetch's end to the next delete is the sends.
 */
export function timedStore(store: RelayStore, onRemoved?: (ids: readonly string[], at: number) => void) {
  const phases = { rows: 0, batches: 0, fetchMs: 0, sendMs: 0, removeMs: 0 };
  let fetchedAt = 0;
  const timed: RelayStore = {
    ...store,
    async fetchDue(lanes, limit) {
      const began = performance.now();
      const rows = await store.fetchDue(lanes, limit);
      fetchedAt = performance.now();
      if (rows.length > 0) {
        phases.fetchMs += fetchedAt - began;
        phases.rows += rows.length;
        phases.batches += 1;
      }
      return rows;
    },
    async remove(ids) {
      const began = performance.now();
      phases.sendMs += began - fetchedAt;
      await store.remove(ids);
      const at = performance.now();
      phases.removeMs += at - began;
      onRemoved?.(ids, at);
    },
  };
  return { store: timed, phases };
}

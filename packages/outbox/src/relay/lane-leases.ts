import { OUTBOX_LANES } from '../lanes.js';
import type { RelayStore } from '../relay-store.js';

/**
 * The lanes this relay forwards, held through leases in the database.
 *
 * - `renew()` keeps the leases alive. It runs on a timer, also while a batch waits on a slow broker, so a
 *   relay that is alive never loses its lanes to another one mid-batch.
 * - `rebalance()` evens out the work: with N relays alive each holds about 1/N of the lanes, giving extras
 *   back and taking free or expired ones. It runs between batches only, so a lane is never given up with
 *   rows of it in flight.
 *
 * The two never run at once: each waits for the other to finish.
 */
export class LaneLeases {
  private held: number[] = [];
  /** Relays alive at the last heartbeat, this one included. */
  private relaysAlive = 1;
  /** Until when (this process's clock) the held leases are surely valid. */
  private validUntil = 0;
  private rebalanceAt = 0;
  private last: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly store: RelayStore,
    private readonly relayId: string,
    private readonly leaseMs: number,
  ) {}

  /** The lanes to forward now: none once the leases may have run out (the database was unreachable). */
  get lanes(): readonly number[] {
    return performance.now() < this.validUntil ? this.held : [];
  }

  get msUntilRebalance(): number {
    return Math.max(0, this.rebalanceAt - performance.now());
  }

  /** Records this relay as alive and extends its leases; a lane another relay took after expiry is dropped. */
  renew(): Promise<void> {
    return this.oneAtATime(async () => {
      const startedAt = performance.now();
      this.relaysAlive = await this.store.heartbeat(this.relayId, this.leaseMs);
      this.held = (await this.store.renewLanes(this.relayId, this.leaseMs)).sort((a, b) => a - b);
      this.validUntil = startedAt + this.leaseMs;
    });
  }

  /** Renews, then takes this relay's share of the lanes; resolves true when its lanes changed. */
  rebalance(): Promise<boolean> {
    return this.oneAtATime(async () => {
      const startedAt = performance.now();
      const before = this.held.join();
      this.relaysAlive = await this.store.heartbeat(this.relayId, this.leaseMs);
      let held = await this.store.renewLanes(this.relayId, this.leaseMs);
      const share = Math.ceil(OUTBOX_LANES / this.relaysAlive);
      if (held.length > share) {
        const extra = held.sort((a, b) => a - b).slice(share);
        await this.store.releaseLanes(this.relayId, extra);
        held = held.filter((lane) => !extra.includes(lane));
      } else if (held.length < share) {
        held = held.concat(await this.store.claimLanes(this.relayId, share - held.length, this.leaseMs));
      }
      this.held = held.sort((a, b) => a - b);
      this.validUntil = startedAt + this.leaseMs;
      this.rebalanceAt = startedAt + this.leaseMs / 3;
      return this.held.join() !== before;
    });
  }

  /** Gives every lane up at once, so the other relays take them over without waiting for the lease. */
  release(): Promise<void> {
    return this.oneAtATime(async () => {
      const held = this.held;
      this.held = [];
      this.validUntil = 0;
      if (held.length > 0) await this.store.releaseLanes(this.relayId, held);
      await this.store.leave(this.relayId);
    });
  }

  private oneAtATime<T>(work: () => Promise<T>): Promise<T> {
    const next = this.last.then(work, work);
    this.last = next.catch(() => {});
    return next;
  }
}

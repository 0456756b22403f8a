import { OUTBOX_LANES } from '../lanes.js';
import type { RelayStore } from '../relay-store.js';

/**
 * The lanes this relay forwards. Each refresh renews its leases and evens out the work: with N relays
 * alive each holds about 1/N of the lanes, giving extras back and taking free or expired ones. Refreshes
 * run between batches, so a lane is never given up with rows of it in flight.
 */
export class LaneLeases {
  private held: number[] = [];
  /** Until when (this process's clock) the held leases are surely valid. */
  private validUntil = 0;
  private renewAt = 0;

  constructor(
    private readonly store: RelayStore,
    private readonly relayId: string,
    private readonly leaseMs: number,
  ) {}

  /** The lanes to forward now: none once the leases may have run out (the database was unreachable). */
  get lanes(): readonly number[] {
    return performance.now() < this.validUntil ? this.held : [];
  }

  get msUntilRefresh(): number {
    return Math.max(0, this.renewAt - performance.now());
  }

  /** Renews and rebalances; resolves true when the held lanes changed. */
  async refresh(): Promise<boolean> {
    const startedAt = performance.now();
    const live = await this.store.heartbeat(this.relayId, this.leaseMs);
    let held = await this.store.renewLanes(this.relayId, this.leaseMs);
    const share = Math.ceil(OUTBOX_LANES / live);
    if (held.length > share) {
      const extra = held.sort((a, b) => a - b).slice(share);
      await this.store.releaseLanes(this.relayId, extra);
      held = held.filter((lane) => !extra.includes(lane));
    } else if (held.length < share) {
      held = held.concat(await this.store.claimLanes(this.relayId, share - held.length, this.leaseMs));
    }
    held.sort((a, b) => a - b);
    const changed = held.join() !== this.held.join();
    this.held = held;
    this.validUntil = startedAt + this.leaseMs;
    this.renewAt = startedAt + this.leaseMs / 3;
    return changed;
  }

  /** Gives every lane up at once, so the other relays take them over without waiting for the lease. */
  async release(): Promise<void> {
    const held = this.held;
    this.held = [];
    this.validUntil = 0;
    if (held.length > 0) await this.store.releaseLanes(this.relayId, held);
    await this.store.leave(this.relayId);
  }
}

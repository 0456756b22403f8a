import { hostname } from 'node:os';
import {
  type BrokerConnection,
  connect,
  InvalidArgumentError,
  type Logger,
  silentLogger,
  type TopicOptions,
  type UntypedConnectOptions,
} from '@ev/core';
import type { RelayStore } from '../relay-store.js';
import { Backoff } from './backoff.js';
import { errorText, type ForwardOutcome, forwardRows } from './forward-rows.js';
import { LaneLeases } from './lane-leases.js';
import { TopicPushers } from './topic-pushers.js';
import { WakeSignal } from './wake-signal.js';

export interface OutboxRelayOptions {
  /** The outbox's tables, through the relay's own connections: `outbox.relayStore(pool)`. */
  store: RelayStore;
  /** Where the rows go: a broker URL (its adapter is loaded on demand) or an open connection. */
  broker: string | BrokerConnection;
  /** Options for `connect(broker)` when `broker` is a URL. */
  brokerOptions?: UntypedConnectOptions;
  /** Options for each topic's pusher (partitions of a new topic, send timeout). */
  topicOptions?: TopicOptions;
  logger?: Logger;
  /** Rows read and sent at once. Default 1 000. */
  batchSize?: number;
  /**
   * The longest a committed row waits to be seen. Default 100 ms; 1 000 ms where PostgreSQL's
   * LISTEN/NOTIFY wakes the relay on commit, so polling only covers a lost notification.
   */
  pollIntervalMs?: number;
  /** How long a relay's hold on a lane lasts unrenewed: a killed relay's lanes move on after it. Default 10 000 ms. */
  leaseMs?: number;
  /**
   * Names this relay in the lane table; unique among the relays of an outbox (two with one name would hold
   * the same lanes). Default: host name, process id and a random suffix.
   */
  relayId?: string;
}

/** What the relay has done so far, for tests, metrics and benchmarks. */
export interface OutboxRelayStats {
  forwarded: number;
  parked: number;
  failedAttempts: number;
}

export interface OutboxRelay {
  readonly relayId: string;
  readonly stats: Readonly<OutboxRelayStats>;
  /** The lanes it forwards now. */
  readonly lanes: readonly number[];
  /** Finishes the batch in flight, gives its lanes up and closes what it opened. Idempotent. */
  stop(): Promise<void>;
}

/**
 * Starts forwarding committed outbox rows to the broker until `stop()`. Several relays may run on one
 * outbox: each takes a share of the lanes, and one key's rows stay in one lane, so they are forwarded in
 * commit order by one relay at a time. A row is deleted only after the broker confirmed it (at least once:
 * a relay killed between the two sends it again from the next relay; the inbox tells duplicates).
 */
export async function startOutboxRelay(options: OutboxRelayOptions): Promise<OutboxRelay> {
  const settings = relaySettings(options);
  // Fails now, not in a loop of warnings, when the database cannot be reached or has no outbox tables.
  await options.store.heartbeat(settings.relayId, settings.leaseMs);
  const ownsBroker = typeof options.broker === 'string';
  const broker =
    typeof options.broker === 'string'
      ? await connect(options.broker, { logger: settings.logger, ...options.brokerOptions })
      : options.broker;
  const relay = new RelayLoop(options.store, broker, ownsBroker, settings, options.topicOptions);
  try {
    await relay.start();
  } catch (error) {
    if (ownsBroker) await broker.close().catch(() => {});
    throw error;
  }
  return relay;
}

interface RelaySettings {
  logger: Logger;
  batchSize: number;
  pollIntervalMs: number;
  leaseMs: number;
  relayId: string;
}

function relaySettings(options: OutboxRelayOptions): RelaySettings {
  const positive = (name: keyof OutboxRelayOptions, fallback: number): number => {
    const value = options[name] ?? fallback;
    if (!Number.isSafeInteger(value) || (value as number) <= 0) {
      throw new InvalidArgumentError(`${name} must be a positive integer, got ${String(value)}`, {
        provider: 'outbox',
      });
    }
    return value as number;
  };
  if (!options.store || typeof options.store.fetchDue !== 'function') {
    throw new InvalidArgumentError('store must be an outbox relay store: outbox.relayStore(pool)', {
      provider: 'outbox',
    });
  }
  if (
    options.relayId !== undefined &&
    (typeof options.relayId !== 'string' || !/^.{1,100}$/.test(options.relayId))
  ) {
    throw new InvalidArgumentError(
      `relayId must be 1 to 100 characters, got ${JSON.stringify(options.relayId)}`,
      {
        provider: 'outbox',
      },
    );
  }
  return {
    logger: options.logger ?? silentLogger,
    batchSize: positive('batchSize', 1_000),
    pollIntervalMs: positive('pollIntervalMs', options.store.subscribe ? 1_000 : 100),
    leaseMs: positive('leaseMs', 10_000),
    relayId:
      options.relayId ??
      `${hostname()}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`.slice(0, 100),
  };
}

/** Why the relay waits before going on: the broker did not confirm, or the database is unreachable. */
interface Setback {
  what: string;
  error: unknown;
  rows?: number;
}

class RelayLoop implements OutboxRelay {
  readonly relayId: string;
  readonly stats: OutboxRelayStats = { forwarded: 0, parked: 0, failedAttempts: 0 };
  private readonly logger: Logger;
  private readonly leases: LaneLeases;
  private readonly pushers: TopicPushers;
  private readonly wakeSignal = new WakeSignal();
  private readonly backoff = new Backoff(100, 10_000);
  private unsubscribe: (() => Promise<void>) | undefined;
  private renewTimer: NodeJS.Timeout | undefined;
  /**
   * The batch whose sends are out: `sending` settles with the broker's answers, `settled` once its rows
   * are deleted, parked or counted as failed.
   */
  private inFlight:
    | { ids: string[]; sending: Promise<ForwardOutcome>; settled: Promise<Setback | undefined> }
    | undefined;
  private running: Promise<void> | undefined;
  private stopping: Promise<void> | undefined;
  private stopRequested = false;
  private requestStop: () => void = () => {};
  private readonly stopRequested$ = new Promise<void>((resolve) => (this.requestStop = resolve));

  constructor(
    private readonly store: RelayStore,
    private readonly broker: BrokerConnection,
    private readonly ownsBroker: boolean,
    private readonly settings: RelaySettings,
    topicOptions: TopicOptions | undefined,
  ) {
    this.relayId = settings.relayId;
    this.logger = settings.logger;
    this.leases = new LaneLeases(store, settings.relayId, settings.leaseMs);
    this.pushers = new TopicPushers(broker, topicOptions);
  }

  get lanes(): readonly number[] {
    return this.leases.lanes;
  }

  async start(): Promise<void> {
    this.unsubscribe = await this.store.subscribe?.(this.wakeSignal.wake);
    // The leases stay alive while a batch waits on a slow broker; the loop rebalances between batches.
    this.renewTimer = setInterval(() => {
      this.leases.renew().catch((error: unknown) => {
        this.logger.debug({ error: errorText(error) }, 'outbox relay could not renew its leases');
      });
    }, this.settings.leaseMs / 3);
    this.renewTimer.unref();
    this.running = this.run();
    this.logger.info({ relayId: this.relayId, database: this.store.database }, 'outbox relay started');
  }

  stop(): Promise<void> {
    this.stopping ??= this.shutDown();
    return this.stopping;
  }

  private async shutDown(): Promise<void> {
    this.stopRequested = true;
    this.requestStop();
    this.wakeSignal.wake();
    await this.running;
    clearInterval(this.renewTimer);
    await this.unsubscribe?.().catch(() => {});
    await this.leases.release().catch((error: unknown) => {
      this.logger.warn(
        { error: errorText(error) },
        'outbox relay could not give its lanes up; they move on when the lease ends',
      );
    });
    await this.pushers.close();
    if (this.ownsBroker) await this.broker.close();
    this.logger.info({ relayId: this.relayId, ...this.stats }, 'outbox relay stopped');
  }

  private async run(): Promise<void> {
    while (!this.stopRequested) {
      try {
        await this.step();
      } catch (error) {
        await this.setBack({ what: 'database error', error });
      }
    }
    await this.drain();
  }

  /**
   * One turn: refresh the leases when due, then read a batch while the previous one is being confirmed,
   * and send it once the previous one was (the deletes of one batch overlap the sends of the next), or
   * wait for rows.
   */
  private async step(): Promise<void> {
    if (this.leases.msUntilRebalance === 0) {
      await this.drain(); // the lanes change only with no row of theirs in flight
      if (await this.leases.rebalance()) {
        this.logger.info({ lanes: this.leases.lanes.join(',') }, 'outbox relay lanes');
      }
    }
    const lanes = this.leases.lanes;
    if (lanes.length === 0) {
      await this.drain();
      await this.wakeSignal.wait(this.leases.msUntilRebalance);
      return;
    }
    // Read from the start, less the batch in flight: a row that became visible since (a transaction that
    // committed late) is read in its place, before the later rows of its key.
    const rows = await this.store.fetchDue(lanes, this.settings.batchSize, this.inFlight?.ids ?? []);
    if (rows.length === 0) {
      if (this.inFlight) {
        await this.drain();
        return;
      }
      const dueMs = (await this.store.msUntilDue(lanes)) ?? Number.POSITIVE_INFINITY;
      await this.wakeSignal.wait(Math.min(dueMs, this.settings.pollIntervalMs, this.leases.msUntilRebalance));
      return;
    }
    const previous = this.inFlight;
    if (previous && (await previous.sending).retry.length > 0) {
      // A row of the previous batch goes again later: sending rows after it now could put a key's later
      // row ahead of it. These rows are read again after the backoff.
      await this.drain();
      return;
    }
    const sending = forwardRows(rows, this.pushers);
    this.inFlight = { ids: rows.map((row) => row.id), sending, settled: this.settle(sending) };
    if (previous) await this.afterBatch(await previous.settled);
  }

  /** Waits for the batch in flight to settle. */
  private async drain(): Promise<void> {
    const inFlight = this.inFlight;
    this.inFlight = undefined;
    if (inFlight) await this.afterBatch(await inFlight.settled);
  }

  private async afterBatch(setback: Setback | undefined): Promise<void> {
    if (!setback) {
      this.backoff.reset();
      return;
    }
    await this.drain();
    await this.setBack(setback);
  }

  private async setBack({ what, error, rows }: Setback): Promise<void> {
    const waitMs = this.backoff.next();
    this.logger.warn(
      { rows, error: errorText(error), retryInMs: Math.round(waitMs) },
      `outbox relay: ${what}`,
    );
    await this.pause(waitMs);
  }

  /**
   * Records what became of a batch: deletes the confirmed rows, parks those refused for good, counts an
   * attempt on the rest. Never rejects: what went wrong is the returned setback.
   */
  private async settle(sending: Promise<ForwardOutcome>): Promise<Setback | undefined> {
    try {
      const outcome = await sending;
      if (outcome.confirmed.length > 0) await this.store.remove(outcome.confirmed);
      this.stats.forwarded += outcome.confirmed.length;
      if (outcome.parked.length > 0) {
        await this.store.park(outcome.parked);
        this.stats.parked += outcome.parked.length;
        this.logger.error(
          { rows: outcome.parked.length, error: outcome.parked[0]?.error },
          'outbox relay parked rows the broker refused for good',
        );
      }
      if (outcome.retry.length === 0) return undefined;
      await this.store.recordFailure(outcome.retry, errorText(outcome.retryError));
      this.stats.failedAttempts += outcome.retry.length;
      return { what: 'broker did not confirm', error: outcome.retryError, rows: outcome.retry.length };
    } catch (error) {
      return { what: 'database error', error };
    }
  }

  /** A backoff wait: new rows do not cut it short (the broker or database is still down), a stop does. */
  private async pause(ms: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([new Promise((resolve) => (timer = setTimeout(resolve, ms))), this.stopRequested$]);
    clearTimeout(timer);
  }
}

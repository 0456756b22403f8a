import type { BrokerConnection, TopicOptions } from './connect.js';
import { InvalidArgumentError, PusherClosedError } from './errors.js';
import type { Pusher } from './pusher.js';
import { assertKnownOptions, assertPusherOptions } from './validation.js';

export interface ConnectionParts<Options extends TopicOptions> {
  readonly provider: string;
  /**
   * Makes a pusher on the shared connection (provisioning its topic first). Its driver's close must call
   * `release`, so the connection stops tracking it.
   */
  open(topic: string, options: Options, release: () => Promise<void>): Promise<Pusher>;
  /** Releases the connection itself, once every pusher made from it has closed. */
  close(): Promise<void>;
}

/** Every topic option by name: a Record over the keys, so an option added to the type must be added here. */
const TOPIC_OPTIONS: Record<keyof TopicOptions, true> = {
  partitions: true,
  logger: true,
  sendTimeoutMs: true,
  maxInFlight: true,
  maxQueued: true,
  closeGraceMs: true,
};
const TOPIC_OPTION_NAMES = Object.keys(TOPIC_OPTIONS);

/**
 * What every adapter's connection shares: it tracks its pushers, refuses new ones once closing, and
 * closes them all (each settling its in-flight sends) before the connection itself.
 */
export function createBrokerConnection<Options extends TopicOptions>(
  parts: ConnectionParts<Options>,
): BrokerConnection {
  const pushers = new Set<Pusher>();
  let closing: Promise<void> | undefined;
  return {
    provider: parts.provider,
    async pusher(topic: string, options = {} as Options) {
      if (closing) throw new PusherClosedError({ provider: parts.provider });
      if (options === null || typeof options !== 'object') {
        throw new InvalidArgumentError('pusher options must be an object', { provider: parts.provider });
      }
      assertKnownOptions(options, TOPIC_OPTION_NAMES, { provider: parts.provider });
      assertPusherOptions(options, { provider: parts.provider });
      const pusher: Pusher = await parts.open(topic, options as Options, async () => {
        pushers.delete(pusher);
      });
      pushers.add(pusher);
      return pusher;
    },
    close() {
      closing ??= (async () => {
        await Promise.all([...pushers].map((pusher) => pusher.close()));
        await parts.close();
      })();
      return closing;
    },
  };
}

/** The partition count of a new topic: an integer from 1 to the broker's sensible maximum. */
export function assertPartitions(
  partitions: unknown,
  max: number,
  scope: { provider: string },
): asserts partitions is number {
  if (typeof partitions !== 'number' || !Number.isInteger(partitions) || partitions < 1 || partitions > max) {
    throw new InvalidArgumentError(
      `partitions must be an integer from 1 to ${max}, got ${String(partitions)}`,
      scope,
    );
  }
}

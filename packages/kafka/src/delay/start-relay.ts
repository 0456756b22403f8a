import { connectBroker } from '../adapter.js';
import type { KafkaOptions } from '../options.js';

export interface RunningRelay {
  stop(): Promise<void>;
}

/**
 * Starts a delay relay of its own (what `ev-kafka-delay-relay` runs): a connection that runs the relay
 * and makes no pushers. Resolves once the relay consumes; `delay.group` names its consumer group.
 */
export async function startDelayRelay(url: string, options: KafkaOptions = {}): Promise<RunningRelay> {
  const connection = await connectBroker(url, { ...options, delay: { ...options.delay, relay: true } });
  return { stop: () => connection.close() };
}

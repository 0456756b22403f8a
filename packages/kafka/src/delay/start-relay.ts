import { type Logger, silentLogger } from '@ev/core';
import { createKafkaClient } from '../client.js';
import { mapKafkaError } from '../map-error.js';
import { DEFAULTS, type KafkaOptions } from '../options.js';
import { TopicProvisioner } from '../topics.js';
import { DelayRelay } from './relay.js';

export interface RunningRelay {
  stop(): Promise<void>;
}

/** Starts a delay relay of its own (what `ev-kafka-delay-relay` runs): returns once it consumes. */
export async function startDelayRelay(
  url: string,
  options: KafkaOptions & { groupId?: string } = {},
): Promise<RunningRelay> {
  const logger: Logger = options.logger ?? silentLogger;
  const { client, endpoint } = createKafkaClient(url, options);
  const admin = client.admin();
  try {
    await admin.connect();
  } catch (error) {
    await admin.disconnect().catch(() => {});
    throw mapKafkaError(error, 'connect', endpoint);
  }
  const relay = new DelayRelay(
    client,
    new TopicProvisioner(admin, endpoint, options.connectTimeoutMs ?? DEFAULTS.connectTimeoutMs),
    endpoint,
    {
      groupId: options.groupId,
      partitions: options.delay?.partitions ?? DEFAULTS.delayPartitions,
      logger,
    },
  );
  try {
    await relay.start();
  } catch (error) {
    await Promise.allSettled([relay.stop(), admin.disconnect()]);
    throw mapKafkaError(error, 'starting the delay relay', endpoint);
  }
  return {
    async stop() {
      await relay.stop();
      await admin.disconnect().catch(() => {});
    },
  };
}

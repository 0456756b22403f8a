import {
  assertCountOption,
  assertDurationOption,
  assertKnownOptions,
  assertPartitions,
  type BrokerConnection,
  BrokerUnavailableError,
  createBrokerConnection,
  InvalidArgumentError,
} from '@ev/core';
import { createKafkaClient } from './client.js';
import { DELAY_LEVEL_TOPICS, MAX_SUPPORTED_DELAY_MS } from './delay/levels.js';
import { DelayRelay } from './delay/relay.js';
import { assertKafkaTopic, createKafkaPusherOn } from './kafka-pusher.js';
import { mapKafkaError, scope } from './map-error.js';
import {
  DEFAULTS,
  KAFKA_DELAY_OPTION_NAMES,
  KAFKA_OPTION_NAMES,
  type KafkaOptions,
  type KafkaTopicOptions,
} from './options.js';
import { ProduceBatcher } from './produce-batcher.js';
import { TopicProvisioner } from './topics.js';

/** Two producers let one request be encoded while the other is on the broker (see ProduceBatcher). */
const PUSHER_PRODUCERS = 2;

/** Partitions per topic accepted from a pusher's options. */
const MAX_PARTITIONS = 10_000;

export interface KafkaConnection extends BrokerConnection {
  readonly provider: 'kafka';
}

const DEADLINE = Symbol('deadline');

/**
 * kafkajs retries a failed connection several times, each attempt with its own timeout; the caller's
 * connect timeout bounds the whole, so an unreachable broker fails within it.
 */
async function within<T>(ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(DEADLINE), ms);
  });
  work.catch(() => {}); // settles after the deadline too: never an unhandled rejection
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Connects to Kafka (`kafka://host:9092[,host:9092]`). The pushers of one connection share two
 * idempotent producers (acks=all; a partition always uses the same one); concurrent sends are coalesced
 * into few produce requests. Unless `delay.relay` is false, the connection also runs the delay relay in
 * this process. A `delay.maxDelayMs` above `MAX_SUPPORTED_DELAY_MS` is an InvalidArgumentError.
 */
export async function connectBroker(url: string, options: KafkaOptions = {}): Promise<KafkaConnection> {
  const maxDelayMs = options.delay?.maxDelayMs ?? DEFAULTS.maxDelayMs;
  if (!Number.isFinite(maxDelayMs) || maxDelayMs <= 0 || maxDelayMs > MAX_SUPPORTED_DELAY_MS) {
    throw new InvalidArgumentError(`delay.maxDelayMs must be from 1 to ${MAX_SUPPORTED_DELAY_MS}`, scope);
  }
  assertKafkaOptions(options);
  const delayPartitions = options.delay?.partitions ?? DEFAULTS.delayPartitions;
  const { client, endpoint } = createKafkaClient(url, options);
  const admin = client.admin();
  const batcher = new ProduceBatcher(
    () => client.producer({ idempotent: true, allowAutoTopicCreation: false }),
    endpoint,
    PUSHER_PRODUCERS,
  );
  const connectTimeoutMs = options.connectTimeoutMs ?? DEFAULTS.connectTimeoutMs;
  try {
    await within(connectTimeoutMs, Promise.all([admin.connect(), batcher.connect()]));
  } catch (error) {
    await Promise.allSettled([batcher.disconnect(), admin.disconnect()]);
    if (error === DEADLINE) {
      throw new BrokerUnavailableError(
        `cannot reach Kafka at ${endpoint} within ${connectTimeoutMs} ms`,
        scope,
      );
    }
    throw mapKafkaError(error, 'connect', endpoint);
  }
  const provisioner = new TopicProvisioner(admin, endpoint, connectTimeoutMs);
  const relay =
    options.delay?.relay === false
      ? undefined
      : new DelayRelay(client, provisioner, endpoint, {
          partitions: delayPartitions,
          logger: options.logger,
        });
  try {
    if (relay) await relay.start();
    else await provisioner.ensureAll([...DELAY_LEVEL_TOPICS], delayPartitions);
  } catch (error) {
    await Promise.allSettled([relay?.stop(), batcher.disconnect(), admin.disconnect()]);
    throw mapKafkaError(error, 'starting the delay relay', endpoint);
  }

  const connection = createBrokerConnection<KafkaTopicOptions>({
    provider: scope.provider,
    async open(topic, topicOptions, release) {
      assertKafkaTopic(topic);
      const requested = topicOptions.partitions ?? options.defaultPartitions ?? DEFAULTS.partitions;
      assertPartitions(requested, MAX_PARTITIONS, scope);
      const partitions = await provisioner.ensure(topic, requested);
      return createKafkaPusherOn({
        logger: options.logger,
        ...topicOptions,
        topic,
        partitions,
        delayPartitions,
        maxPayloadBytes: options.maxPayloadBytes ?? DEFAULTS.maxPayloadBytes,
        maxDelayMs,
        relayInProcess: relay !== undefined,
        batcher,
        release,
      });
    },
    async close() {
      await relay?.stop();
      await Promise.allSettled([batcher.disconnect(), admin.disconnect()]);
    },
  });
  return connection as KafkaConnection;
}

/** Kafka itself takes requests up to 100 MiB (socket.request.max.bytes). */
const MAX_PAYLOAD_OPTION = 100 * 1024 * 1024;

/** Checked at connect, so a bad setting is named there instead of failing every send. */
function assertKafkaOptions(options: KafkaOptions): void {
  assertKnownOptions(options, KAFKA_OPTION_NAMES, scope);
  if (options.delay !== undefined) assertKnownOptions(options.delay, KAFKA_DELAY_OPTION_NAMES, scope);
  assertDurationOption('connectTimeoutMs', options.connectTimeoutMs, scope);
  assertDurationOption('requestTimeoutMs', options.requestTimeoutMs, scope);
  assertCountOption('maxPayloadBytes', options.maxPayloadBytes, 1, scope, MAX_PAYLOAD_OPTION);
  assertCountOption('defaultPartitions', options.defaultPartitions, 1, scope, MAX_PARTITIONS);
  assertCountOption('delay.partitions', options.delay?.partitions, 1, scope, MAX_PARTITIONS);
}

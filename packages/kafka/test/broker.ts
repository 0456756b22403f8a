import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { silentLogger } from '@ev/core';
import { runCommand } from '@ev/fault-kit';
import { type BrokerProbe, ProbeCollector } from '@ev/testing';
import { AssignerProtocol, Kafka, logLevel } from 'kafkajs';
import { patchKafkajsTimers } from '../src/client/kafkajs/timers-patch.js';
import { loadClient } from '../src/client/load.js';
import type { ClientConfig, KafkaClient, KafkaLibraryName } from '../src/client/port.js';

/** The client library the adapter is tested on: kafkajs unless EV_KAFKA_CLIENT says `platformatic`. */
export const KAFKA_CLIENT = (process.env.EV_KAFKA_CLIENT ?? 'kafkajs') as KafkaLibraryName;

/** How reports and suite titles name the adapter under test: `kafka (kafkajs)`. */
export const KAFKA_UNDER_TEST = `kafka (${KAFKA_CLIENT})`;

/** The URL naming the client under test (`?client=`), so pushers, relays and child processes all use it. */
export function withTestClient(url: string): string {
  if (KAFKA_CLIENT === 'kafkajs') return url;
  return `${url}${url.includes('?') ? '&' : '?'}client=${KAFKA_CLIENT}`;
}

const LOCAL_KAFKA = process.env.EV_KAFKA_URL ?? 'kafka://127.0.0.1:9092';
const brokers = LOCAL_KAFKA.replace(/^kafka:\/\//, '').split(',');
/** The broker the tests use: the repo's local Kafka unless EV_KAFKA_URL points elsewhere. */
export const KAFKA_URL = withTestClient(LOCAL_KAFKA);

/** The settings of the tests' own clients on the adapter's port. */
export const TEST_CONFIG: ClientConfig = {
  clientId: 'ev-test',
  brokers,
  tls: false,
  sasl: undefined,
  connectTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  logger: silentLogger,
};

/** The adapter's own client port on that library, for tests of the parts built on it. */
export function testClient(): Promise<KafkaClient> {
  return loadClient(KAFKA_CLIENT, TEST_CONFIG);
}

const brokersCli = fileURLToPath(new URL('../../../scripts/brokers/cli.mjs', import.meta.url));

// The tests' own kafkajs clients, as quiet on Node 24 as the adapter's.
patchKafkajsTimers();
export const rawKafka = new Kafka({ clientId: 'ev-test-probe', brokers, logLevel: logLevel.NOTHING });

/**
 * Restarts Kafka through the repo's broker script (SIGTERM, start on the same data, wait for metadata),
 * or applies a fault: `crash` (SIGKILL, then start), `stall` (SIGSTOP), `resume` (SIGCONT).
 */
export async function restartKafka(how: 'restart' | 'crash' | 'stall' | 'resume' = 'restart'): Promise<void> {
  await runCommand(process.execPath, [brokersCli, how, 'kafka']);
}

/** Wipes Kafka's data and starts it afresh: a broker as cold as the first one a new deployment meets. */
export async function startKafkaFromScratch(): Promise<void> {
  await runCommand(process.execPath, [brokersCli, 'reset', 'kafka']);
  await runCommand(process.execPath, [brokersCli, 'up', 'kafka']);
}

/** The consumer group every delay relay joins unless told otherwise. */
const RELAY_GROUP = 'ev-delay-relay';

/** The relay group's members now; take it before starting a relay, then wait with `waitForNewRelay`. */
export async function relayMembers(): Promise<Set<string>> {
  const admin = rawKafka.admin();
  await admin.connect();
  try {
    const { groups } = await admin.describeGroups([RELAY_GROUP]);
    return new Set(groups[0]?.members.map((member) => member.memberId) ?? []);
  } finally {
    await admin.disconnect();
  }
}

/**
 * Waits until relays started after `before` was taken own the group: it is stable, holds partitions,
 * and none of its members is an older one. A relay killed without leaving stays a member until its
 * session times out, and the group rebalances only then: a fixed sleep cannot know how long that takes.
 */
export async function waitForNewRelay(before: Set<string>, timeoutMs = 120_000): Promise<void> {
  const admin = rawKafka.admin();
  await admin.connect();
  try {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const { groups } = await admin.describeGroups([RELAY_GROUP]);
      const group = groups[0];
      const members = group?.members ?? [];
      const assigned = members.some((member) => {
        const decoded = AssignerProtocol.MemberAssignment.decode(member.memberAssignment);
        return Object.values(decoded?.assignment ?? {}).some((partitions) => partitions.length > 0);
      });
      const fresh = members.length > 0 && members.every((member) => !before.has(member.memberId));
      if (group?.state === 'Stable' && fresh && assigned) return;
      if (Date.now() > deadline) {
        throw new Error(`the delay relay did not own its group within ${timeoutMs} ms (${group?.state})`);
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  } finally {
    await admin.disconnect();
  }
}

/** Fails loudly when Kafka cannot be reached: a broker suite never skips. */
export async function assertKafkaReachable(): Promise<void> {
  const admin = rawKafka.admin();
  try {
    await admin.connect();
    await admin.listTopics();
  } catch (error) {
    throw new Error(
      `Kafka is not reachable at ${brokers.join(',')} (${(error as Error).message}); start it with \`pnpm brokers up kafka\``,
    );
  } finally {
    await admin.disconnect();
  }
}

async function withDeadline<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** Reads a topic from its beginning with a plain kafkajs consumer in a group of its own. */
export function createKafkaProbe(): BrokerProbe {
  return {
    async subscribe(topic) {
      const consumer = rawKafka.consumer({ groupId: `ev-probe-${randomUUID()}`, maxWaitTimeInMs: 20 });
      const collector = new ProbeCollector(() => consumer.disconnect());
      const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({
        eachMessage: async ({ partition, message }) => {
          const headers: Record<string, string> = {};
          for (const [name, value] of Object.entries(message.headers ?? {})) {
            if (value !== undefined) headers[name] = (Array.isArray(value) ? value[0] : value)!.toString();
          }
          collector.push({
            topic,
            partition: String(partition),
            key: message.key?.toString('utf8'),
            payload: new Uint8Array(message.value ?? Buffer.alloc(0)),
            headers,
            receivedAt: Date.now(),
          });
        },
      });
      await withDeadline(joined, 60_000, `the probe of "${topic}" did not join its group`);
      return collector;
    },
  };
}

/** Deletes the suites' test topics through the repo's broker script (Kafka 4 no longer takes kafkajs's request). */
export function deleteTestTopics(): void {
  execFileSync('node', [brokersCli, 'clean', 'kafka'], { stdio: 'inherit', timeout: 180_000 });
}

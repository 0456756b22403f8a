import { randomBytes } from 'node:crypto';
import { NotSupportedError, type Pusher } from '@ev/core';
import type { ContractHarness, ProbeSubscription, ReceivedMessage, TestContext } from './types.js';

let topicCounter = 0;

/** A fresh topic name per test, valid on every broker (letters, digits, "-"). */
export function uniqueTopic(label: string): string {
  topicCounter += 1;
  return `ev-contract-${label}-${Date.now().toString(36)}${randomBytes(2).toString('hex')}-${topicCounter}`;
}

export function arrivalTimeout(harness: ContractHarness): number {
  return harness.arrivalTimeoutMs ?? 15_000;
}

/** Opens a pusher and a probe subscription on a fresh topic; `cleanup` closes both. */
export async function openTopic(
  harness: ContractHarness,
  label: string,
  partitions?: number,
): Promise<{ topic: string; pusher: Pusher; probe: ProbeSubscription; cleanup: () => Promise<void> }> {
  const topic = uniqueTopic(label);
  const pusher = await harness.createPusher(topic, partitions === undefined ? undefined : { partitions });
  const probe = await harness.probe.subscribe(topic);
  return {
    topic,
    pusher,
    probe,
    cleanup: async () => {
      await pusher.close();
      await probe.close();
    },
  };
}

export function text(payload: Uint8Array): string {
  return Buffer.from(payload).toString('utf8');
}

export function bytes(value: string): Uint8Array {
  return new Uint8Array(Buffer.from(value, 'utf8'));
}

export function messageIdsOf(messages: readonly ReceivedMessage[]): string[] {
  return messages.map((message) => message.headers['ev-message-id'] ?? '');
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Waits `quietMs` and returns what arrived meanwhile: proof that nothing (more) came. */
export async function settleAndRead(
  probe: ProbeSubscription,
  quietMs: number,
): Promise<readonly ReceivedMessage[]> {
  await sleep(quietMs);
  return [...probe.messages];
}

/**
 * Ends a case the pusher cannot run: checks that the missing capability is refused with
 * NotSupportedError, then marks the case skipped with the reason, so the report shows it as skipped
 * instead of counting it as passed.
 */
export async function skipUnsupported(
  context: TestContext,
  refused: Promise<unknown>,
  reason: string,
): Promise<void> {
  await context.expect(refused).rejects.toBeInstanceOf(NotSupportedError);
  context.skip(`not supported by this pusher: ${reason}`);
}

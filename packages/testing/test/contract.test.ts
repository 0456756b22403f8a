import { createMemoryPusher, MemoryBroker } from '@ev/memory';
import { describe, expect, it } from 'vitest';
import { skipUnsupported } from '../src/contract/helpers.js';
import { type ContractHarness, runPusherContract } from '../src/index.js';
import { createMemoryHarness } from './memory-harness.js';

runPusherContract({ describe, it }, createMemoryHarness());

// A broker without per-key order or delays: the cases that need them show as skipped, with the reason.
const broker = new MemoryBroker();
const limited: ContractHarness = {
  ...createMemoryHarness(broker),
  name: 'memory without key order or delays',
  createPusher: async (topic, options) =>
    createMemoryPusher(topic, { ...options, broker, without: ['keyOrdering', 'delay'] }),
};
runPusherContract({ describe, it }, limited);

describe('skipUnsupported', () => {
  it('checks the refusal, then skips with the reason instead of passing', async () => {
    const notes: string[] = [];
    const context = { expect, skip: (note?: string) => void notes.push(String(note)) };
    const pusher = await limited.createPusher('skip-check');
    await skipUnsupported(context, pusher.sendDelayAfter(new Uint8Array([1]), 10), 'delayed delivery');
    expect(notes).toEqual(['not supported by this pusher: delayed delivery']);
    // A pusher that accepts the call fails the check: a capability claimed false must be enforced.
    const full = await createMemoryHarness(broker).createPusher('skip-check-full');
    const accepted = skipUnsupported(context, full.sendDelayAfter(new Uint8Array([1]), 10), 'delays');
    await expect(accepted).rejects.toThrow();
  });
});

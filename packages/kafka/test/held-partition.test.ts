import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { FetchedMessage } from '../src/client/port.js';
import { HeldPartition } from '../src/delay/held-partition.js';

function message(offset: number): FetchedMessage {
  return {
    key: null,
    value: Buffer.from(`m${offset}`),
    offset: String(offset),
    headers: {},
  };
}

/** A forward whose outcome each test settles by hand, in any order. */
function manualForward() {
  const calls: Array<{ offset: string; at: number; resolve: () => void; reject: (e: Error) => void }> = [];
  const forward = (m: FetchedMessage) =>
    new Promise<void>((resolve, reject) => calls.push({ offset: m.offset, at: Date.now(), resolve, reject }));
  return { calls, forward };
}

describe('HeldPartition', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 1_000_000 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('forwards each held message when it falls due, in offset order', async () => {
    const { calls, forward } = manualForward();
    const held = new HeldPartition('level', 0, forward, () => {});
    held.hold(message(7), Date.now() - 5);
    held.hold(message(8), Date.now() + 100);
    held.hold(message(9), Date.now() + 100);
    expect(calls.map((c) => c.offset)).toEqual(['7']);
    expect(held.waiting).toBe(2);
    await vi.advanceTimersByTimeAsync(99);
    expect(calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls.map((c) => c.offset)).toEqual(['7', '8', '9']);
    expect(calls[1]!.at).toBe(1_000_100);
    expect(held.waiting).toBe(0);
  });

  it('forwards a message due sooner than one held ahead of it at its own due time', async () => {
    // The lowest level takes last hops that wait exactly until due, behind messages due later.
    const { calls, forward } = manualForward();
    const held = new HeldPartition('level', 0, forward, () => {});
    held.hold(message(1), Date.now() + 30);
    held.hold(message(2), Date.now() + 5);
    held.hold(message(3), Date.now() + 30);
    await vi.advanceTimersByTimeAsync(5);
    expect(calls.map((c) => [c.offset, c.at])).toEqual([['2', 1_000_005]]);
    await vi.advanceTimersByTimeAsync(25);
    expect(calls.map((c) => c.offset)).toEqual(['2', '1', '3']);
    // Forwarded out of offset order, the commit still waits for the first offset
    expect(held.uncommittedOffset()).toBe('1');
    calls[0]!.resolve();
    await vi.advanceTimersByTimeAsync(0);
    expect(held.uncommittedOffset()).toBe('1');
    calls[1]!.resolve();
    calls[2]!.resolve();
    await vi.advanceTimersByTimeAsync(0);
    expect(held.uncommittedOffset()).toBe('4');
  });

  it('forwards many messages held in any order by due time, ties in offset order', async () => {
    const { calls, forward } = manualForward();
    const held = new HeldPartition('level', 0, forward, () => {});
    const dues = Array.from({ length: 500 }, () => Date.now() + 1 + Math.floor(Math.random() * 50));
    for (const [offset, due] of dues.entries()) held.hold(message(offset), due);
    await vi.advanceTimersByTimeAsync(25);
    expect(calls.length).toBeLessThan(500);
    await vi.advanceTimersByTimeAsync(25);
    const expected = dues
      .map((due, offset) => ({ due, offset }))
      .sort((a, b) => a.due - b.due || a.offset - b.offset);
    expect(calls.map((c) => Number(c.offset))).toEqual(expected.map((e) => e.offset));
    expect(calls.every((c, index) => c.at === expected[index]!.due)).toBe(true);
  });

  it('never commits past a message that is not forwarded yet', async () => {
    const { calls, forward } = manualForward();
    const held = new HeldPartition('level', 0, forward, () => {});
    expect(held.uncommittedOffset()).toBeUndefined();
    held.hold(message(3), Date.now());
    held.hold(message(4), Date.now());
    held.hold(message(5), Date.now() + 1_000);
    expect(held.uncommittedOffset()).toBe('3');
    held.markCommitted('3');
    // 4 is stored before 3: the commit still waits for 3
    calls[1]!.resolve();
    await vi.advanceTimersByTimeAsync(0);
    expect(held.uncommittedOffset()).toBeUndefined();
    calls[0]!.resolve();
    await vi.advanceTimersByTimeAsync(0);
    expect(held.uncommittedOffset()).toBe('5');
    held.markCommitted('5');
    await vi.advanceTimersByTimeAsync(1_000);
    calls[2]!.resolve();
    await vi.advanceTimersByTimeAsync(0);
    expect(held.uncommittedOffset()).toBe('6');
  });

  it('tries a failed forward again, and reports each failure', async () => {
    const { calls, forward } = manualForward();
    const failures: string[] = [];
    const held = new HeldPartition('level', 0, forward, (error, m) =>
      failures.push(`${m.offset}: ${(error as Error).message}`),
    );
    held.hold(message(1), Date.now());
    calls[0]!.reject(new Error('broker down'));
    await vi.advanceTimersByTimeAsync(0);
    expect(failures).toEqual(['1: broker down']);
    expect(held.uncommittedOffset()).toBe('1');
    await vi.advanceTimersByTimeAsync(1_000);
    expect(calls.map((c) => c.offset)).toEqual(['1', '1']);
    calls[1]!.resolve();
    await vi.advanceTimersByTimeAsync(0);
    expect(held.uncommittedOffset()).toBe('2');
  });

  it('forwards nothing more once dropped, and settles the forwards under way', async () => {
    const { calls, forward } = manualForward();
    const held = new HeldPartition('level', 0, forward, () => {});
    held.hold(message(1), Date.now());
    held.hold(message(2), Date.now() + 50);
    held.drop();
    await vi.advanceTimersByTimeAsync(100);
    expect(calls.map((c) => c.offset)).toEqual(['1']);
    let settled = false;
    void held.settled().then(() => {
      settled = true;
    });
    await vi.advanceTimersByTimeAsync(0);
    expect(settled).toBe(false);
    calls[0]!.resolve();
    await vi.advanceTimersByTimeAsync(0);
    expect(settled).toBe(true);
  });
});

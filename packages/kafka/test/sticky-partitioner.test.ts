import { describe, expect, it } from 'vitest';
import { StickyPartitioner } from '../src/sticky-partitioner.js';

describe('StickyPartitioner', () => {
  it('keeps a batch worth of keyless records on one partition, then moves to the next', () => {
    const partitioner = new StickyPartitioner(4);
    const picks = Array.from({ length: 200 }, () => partitioner.next(200));
    // 16 KiB of 200-byte records: 82 on the first partition, then the next one in turn
    expect(new Set(picks.slice(0, 82)).size).toBe(1);
    expect(picks[82]).toBe((picks[0]! + 1) % 4);
    expect(new Set(picks.slice(82, 164)).size).toBe(1);
    expect(picks[164]).toBe((picks[0]! + 2) % 4);
  });

  it('gives every partition its share over time', () => {
    const partitioner = new StickyPartitioner(3);
    const counts = [0, 0, 0];
    for (let i = 0; i < 30_000; i += 1) counts[partitioner.next(200)]! += 1;
    for (const count of counts) expect(count).toBeGreaterThan(9_800);
  });
});

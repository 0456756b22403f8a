import { describe, expect, it } from 'vitest';
import { murmur2, partitionForKey } from '../src/index.js';

describe('partitionForKey', () => {
  it("matches Kafka's Java murmur2 partitioner", () => {
    // Reference values from org.apache.kafka.common.utils.Utils.murmur2 (Kafka's own unit test vectors).
    const vectors: Array<[string, number]> = [
      ['21', -973932308],
      ['foobar', -790332482],
      ['a-little-bit-long-string', -985981536],
      ['a-little-bit-longer-string', -1486304829],
      ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
      ['abc', 479470107],
    ];
    for (const [input, expected] of vectors) expect(murmur2(Buffer.from(input)), input).toBe(expected);
  });

  it('spreads keys and keeps one key on one partition', () => {
    const partitions = new Set(Array.from({ length: 64 }, (_, i) => partitionForKey(`key-${i}`, 8)));
    expect(partitions.size).toBe(8);
    expect(partitionForKey('user_topic:user.sync', 4)).toBe(partitionForKey('user_topic:user.sync', 4));
  });
});

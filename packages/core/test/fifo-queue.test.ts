import { describe, expect, it } from 'vitest';
import { FifoQueue } from '../src/adapter/index.js';

describe('FifoQueue', () => {
  it('gives entries back in the order they came, through many compactions', () => {
    const queue = new FifoQueue<number>();
    const expected: number[] = [];
    let next = 0;
    // Bursts of pushes and shifts of varying sizes: the head passes the compaction point many times.
    for (let round = 0; round < 200; round += 1) {
      const pushes = (round * 7919) % 3000;
      for (let i = 0; i < pushes; i += 1) {
        queue.push(next);
        expected.push(next);
        next += 1;
      }
      const shifts = Math.min((round * 104_729) % 3500, expected.length);
      const taken: Array<number | undefined> = [];
      for (let i = 0; i < shifts; i += 1) {
        if (queue.peek() !== expected[i]) throw new Error(`peek ${queue.peek()} before ${expected[i]}`);
        taken.push(queue.shift());
      }
      expect(taken).toEqual(expected.splice(0, shifts));
      expect(queue.length).toBe(expected.length);
    }
    const rest: Array<number | undefined> = [];
    while (queue.length > 0) rest.push(queue.shift());
    expect(rest).toEqual(expected);
    expect(queue.length).toBe(0);
    expect(queue.shift()).toBeUndefined();
    expect(queue.peek()).toBeUndefined();
  });
});

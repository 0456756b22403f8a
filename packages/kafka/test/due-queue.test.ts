import { describe, expect, it } from 'vitest';
import { DueQueue } from '../src/delay/due-queue.js';

describe('DueQueue', () => {
  it('gives items back by due time, ties in arrival order', () => {
    const queue = new DueQueue<{ due: number; seq: number }>();
    const items = Array.from({ length: 500 }, (_, seq) => ({ due: Math.floor(Math.random() * 50), seq }));
    for (const item of items) queue.push(item);
    expect(queue.size).toBe(500);
    const taken: Array<{ due: number; seq: number }> = [];
    while (queue.size > 0) taken.push(queue.pop()!);
    expect(taken).toEqual([...items].sort((a, b) => a.due - b.due || a.seq - b.seq));
    expect(queue.pop()).toBeUndefined();
  });

  it('keeps its order when items are added while others are taken', () => {
    const queue = new DueQueue<{ due: number; seq: number }>();
    queue.push({ due: 10, seq: 0 });
    queue.push({ due: 30, seq: 1 });
    expect(queue.pop()?.seq).toBe(0);
    queue.push({ due: 20, seq: 2 });
    queue.push({ due: 5, seq: 3 });
    expect(queue.peek()?.seq).toBe(3);
    expect([queue.pop(), queue.pop(), queue.pop()].map((item) => item?.seq)).toEqual([3, 2, 1]);
  });
});

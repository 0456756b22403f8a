/** Something that falls due at a time; `seq` breaks ties in arrival order. */
export interface Due {
  due: number;
  seq: number;
}

/**
 * A binary min-heap by due time, then arrival: `peek()` is always the next to fall due. Adding and taking
 * cost log n, so thousands of held messages stay cheap.
 */
export class DueQueue<T extends Due> {
  private readonly heap: T[] = [];

  get size(): number {
    return this.heap.length;
  }

  peek(): T | undefined {
    return this.heap[0];
  }

  push(item: T): void {
    const heap = this.heap;
    heap.push(item);
    let at = heap.length - 1;
    while (at > 0) {
      const parent = (at - 1) >> 1;
      if (!earlier(item, heap[parent]!)) break;
      heap[at] = heap[parent]!;
      at = parent;
    }
    heap[at] = item;
  }

  pop(): T | undefined {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop();
    if (heap.length === 0 || last === undefined) return top;
    let at = 0;
    for (;;) {
      const left = 2 * at + 1;
      if (left >= heap.length) break;
      const right = left + 1;
      const child = right < heap.length && earlier(heap[right]!, heap[left]!) ? right : left;
      if (!earlier(heap[child]!, last)) break;
      heap[at] = heap[child]!;
      at = child;
    }
    heap[at] = last;
    return top;
  }

  clear(): void {
    this.heap.length = 0;
  }
}

function earlier(a: Due, b: Due): boolean {
  return a.due < b.due || (a.due === b.due && a.seq < b.seq);
}

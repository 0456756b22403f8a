/**
 * Runs the sends of one key one after another, in call order, while different keys go in parallel.
 * The proxy serves concurrent gRPC calls concurrently, so only this keeps the call order of a key when
 * callers do not await each send.
 */
export class KeySequencer {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(task, task);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }
}
